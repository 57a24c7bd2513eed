"""The server's refresh schedule: ``python -m pipeline refresh`` every ``interval_minutes``, when enabled.

``config.json``::

    "refresh": {"enabled": false, "interval_minutes": 60}

When enabled, ``create_app`` starts one background task that waits an
interval, runs the refresh command in its own process (as
:mod:`api_panel.jobs` runs the pipeline: CPU-heavy steps stay off the
server's GIL, and the schedule does exactly what cron calling the same
command would), logs the outcome, raises a ``refresh_failed`` alert for a
failed run or customer and checks the risk model's drift (``drift`` alerts,
:mod:`monitoring.alerts`). Tests keep it off unless they pass
``REFRESH`` in the factory's test config, with a tiny interval, and stop it.
"""
from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from datetime import datetime, timezone
from typing import Any

from api_panel.extensions import socketio
from pipeline.config import PROJECT_ROOT
from pipeline.lake import Lake

log = logging.getLogger("api_panel.refresh")


class RefreshSchedule:
    """Runs the refresh command periodically for one lake; ``stop()`` ends the loop after the current run."""

    def __init__(self, lake: Lake, interval_s: float, settings: dict[str, Any] | None = None):
        self.lake = lake
        self.settings = settings or {}  # config.json: the alert rules and transports (monitoring.alerts)
        self.interval_s = interval_s
        self.runs = 0
        self.last: dict[str, Any] | None = None  # {started_at, returncode, summary|error}
        self.ran = threading.Event()  # set after each run, for tests and scripts that wait for one
        self._stop = threading.Event()
        self._task = None

    def start(self) -> RefreshSchedule:
        """Start the background task (first run after one interval)."""
        self._task = socketio.start_background_task(self._loop)
        return self

    def stop(self, timeout: float | None = 60) -> None:
        """Ask the loop to end and wait up to ``timeout`` seconds for it (a running refresh finishes first)."""
        self._stop.set()
        join = getattr(self._task, "join", None)
        if join is not None:
            join(timeout)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.run_once()

    def command(self) -> list[str]:
        """The command run each interval (cron or any orchestrator can run the same)."""
        return [sys.executable, "-m", "pipeline", "refresh", "--json", "--lake", str(self.lake.root)]

    def run_once(self) -> dict[str, Any]:
        """Run one refresh now, log its outcome and return ``{started_at, returncode, summary | error}``."""
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        outcome: dict[str, Any] = {"started_at": started}
        try:
            done = subprocess.run(self.command(), cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
            outcome["returncode"] = done.returncode
            try:
                report = json.loads(done.stdout.strip().splitlines()[-1])
                outcome["summary"] = report["summary"]
                outcome["customers"] = [{k: row.get(k) for k in ("customer_id", "outcome", "reason", "error")}
                                        for row in report["customers"] if row["outcome"] != "unchanged"]
            except (ValueError, KeyError, IndexError, TypeError):
                outcome["error"] = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        except OSError as exc:
            outcome.update(returncode=None, error=f"{type(exc).__name__}: {exc}")
        self._log(outcome)
        outcome["alerts"] = self._alert(outcome)
        self.runs += 1
        self.last = outcome
        self.ran.set()
        return outcome

    def _alert(self, outcome: dict[str, Any]) -> list[dict]:
        """Raise ``refresh_failed`` alerts for a failed run or customer, then check the risk model's drift on the
        population the refresh re-scored (``drift`` alerts); alerting never breaks the schedule."""
        from monitoring.alerts import raise_alerts, refresh_alerts
        from monitoring.drift import NoReferenceError, check_drift

        raised: list[dict] = []
        try:
            raised += raise_alerts(self.lake, self.settings, refresh_alerts(outcome))
            if "summary" in outcome:
                raised += check_drift(self.lake, self.settings)["alerts"]
        except NoReferenceError:
            pass  # a model trained before drift monitoring: nothing to compare with
        except Exception:  # noqa: BLE001 - the next run must still happen; the log says what broke
            log.exception("alerting after the scheduled refresh failed")
        return raised

    def _log(self, outcome: dict[str, Any]) -> None:
        if "summary" not in outcome:
            log.error("scheduled refresh failed: %s", outcome.get("error"))
            return
        counts = ", ".join(f"{n} {name}" for name, n in outcome["summary"].items() if n) or "nothing to do"
        log.log(logging.WARNING if outcome["summary"].get("failed") else logging.INFO, "scheduled refresh: %s", counts)
        for row in outcome["customers"]:
            log.info("refresh %s: %s (%s)", row["customer_id"], row["outcome"], row.get("error") or row["reason"])


def start_refresh_schedule(lake: Lake, settings: dict[str, Any], test_config: dict[str, Any]) -> RefreshSchedule | None:
    """Start the schedule if ``refresh.enabled`` (test config ``REFRESH`` overrides; tests are off by default)."""
    if "REFRESH" in test_config:
        options = test_config["REFRESH"] or {}
    else:
        options = {} if test_config.get("TESTING") else settings.get("refresh", {})
    if not options.get("enabled"):
        return None
    minutes = float(options.get("interval_minutes", 60))
    if minutes <= 0:
        raise ValueError("refresh.interval_minutes must be positive")
    return RefreshSchedule(lake, minutes * 60, settings).start()
