"""A scheduled refresh that fails for a customer sends a ``refresh_failed`` alert by e-mail, once a day."""
import os
import shutil
import time
from datetime import date

from api_panel.schedule import RefreshSchedule
from pipeline.lake import Lake
from pipeline.runner import run_steps
from tests.alert_servers import alert_config, smtp_inbox

BROKEN = "CUST_SCH_00002"


def _age(lake: Lake) -> None:
    """Make the customer's raw data 90 days old (the failed refresh's generate step rewrote it)."""
    old = time.time() - 90 * 86400
    os.utime(lake.customer_dir("raw", BROKEN), (old, old))


def _lake_whose_refresh_fails(root, config) -> Lake:
    """A customer with an active PERIODIC consent and 90-day-old data (due), whose clean layer is a file where a
    directory should be (a damaged lake): the refresh's clean step fails for that customer."""
    lake = Lake(root)
    outcome = run_steps(lake, BROKEN, ["generate"], config, lambda *_: None,
                        {"generate": {"profile": "baseline", "as_of": date.today().replace(day=1)}})
    assert outcome["status"] == "done"
    lake.run_log_path(BROKEN).unlink()   # no run on record: the data's age is the raw layer's
    _age(lake)
    shutil.rmtree(lake.customer_dir("clean", BROKEN), ignore_errors=True)
    lake.write_bytes(lake.customer_dir("clean", BROKEN), b"not a directory")
    return lake


def test_a_failed_scheduled_refresh_sends_one_alert_a_day(tmp_path, config):
    lake = _lake_whose_refresh_fails(tmp_path / "lake", config)
    with smtp_inbox() as (inbox, port):
        schedule = RefreshSchedule(lake, 3600, alert_config(config, port))
        first = schedule.run_once()
        _age(lake)
        second = schedule.run_once()   # fails again the same day
    assert first["summary"]["failed"] == 1 and [r["customer_id"] for r in first["customers"]] == [BROKEN]
    assert [(a["rule"], a["subject"], a["outcome"]) for a in first["alerts"]] == [
        ("refresh_failed", BROKEN, "sent")]
    assert second["summary"]["failed"] == 1 and [a["outcome"] for a in second["alerts"]] == ["suppressed"]
    [message] = inbox.messages
    assert message["Subject"] == f"[MSME Lake] Scheduled refresh failed: {BROKEN} ({date.today().isoformat()})"
    assert f"The scheduled refresh of {BROKEN} failed: " in message.get_content()
    audited = [e for e in lake.read_audit(BROKEN) if e["action"] == "alert"]
    assert [(e["rule"], e["outcome"]) for e in audited] == [("refresh_failed", "sent"), ("refresh_failed", "suppressed")]
