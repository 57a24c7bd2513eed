"""Pipeline jobs: 202 now, the work in a background task, progress over Socket.IO, state pollable.

A job runs ``python -m pipeline run --progress-json`` — exactly what an analyst
would type — in its own process; each progress line it prints is appended to
the job and emitted as a ``pipeline_log`` event to the customer's room. The final state is emitted as
``pipeline_status`` from a ``finally`` so a client always learns how it ended.
One job per customer at a time (409 otherwise). Job state is mirrored to
``logs/<customer_id>/jobs/<job_id>.json`` so a page reload — even after a
server restart — finds it.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import uuid
from collections import deque
from datetime import datetime, timezone
from typing import Any

from api_panel.errors import ConflictError, NotFoundError
from api_panel.extensions import socketio
from pipeline.config import PROJECT_ROOT
from pipeline.lake import Lake, LakeError, validate_customer_id

STEP_PLANS: dict[str, list[str]] = {
    "generate": ["generate"],
    "clean": ["clean"],
    "analyze": ["analyze"],
    "calculate_score": ["score"],
    "models": ["models"],
    "run_all": ["generate", "clean", "analyze", "score", "models"],
}
LOG_LINES_KEPT = 500
LOG_LINES_RETURNED = 100
STATUSES = ("pending", "running", "done", "error")
LEVELS = ("info", "success", "warning", "error")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def room_for(customer_id: str) -> str:
    """The Socket.IO room that receives a customer's job events."""
    return f"customer:{customer_id}"


class JobManager:
    """Starts, tracks and reports pipeline jobs for one lake."""

    def __init__(self, lake: Lake, config: dict):
        self.lake = lake
        self.config = config
        self._jobs: dict[str, dict[str, Any]] = {}
        self._logs: dict[str, deque] = {}
        self._running: dict[str, str] = {}
        self._finished: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def start(self, customer_id: str, step: str, requested_by: str, runnable_steps: set[str]) -> dict[str, Any]:
        """Register and launch a job; 409 if the customer already has one running."""
        validate_customer_id(customer_id)
        steps = [s for s in STEP_PLANS[step] if s in runnable_steps]
        with self._lock:
            if customer_id in self._running:
                raise ConflictError(f"job {self._running[customer_id]} is already running for {customer_id}",
                                    code="job_running")
            job_id = "job_" + uuid.uuid4().hex[:16]
            job = {"job_id": job_id, "customer_id": customer_id, "step": step, "steps": steps, "status": "pending",
                   "message": None, "requested_by": requested_by, "created_at": _now(), "started_at": None,
                   "finished_at": None, "command": f"python -m pipeline run --customer-id {customer_id} "
                                                   f"--steps {','.join(steps)} --lake {self.lake.root}"}
            self._jobs[job_id] = job
            self._logs[job_id] = deque(maxlen=LOG_LINES_KEPT)
            self._finished[job_id] = threading.Event()
            self._running[customer_id] = job_id
        self._persist(job_id)
        snapshot = dict(job)  # the 202 says "pending" even if the task has already started
        socketio.start_background_task(self._run, job_id)
        return snapshot

    def _emit_log(self, job: dict, level: str, message: str) -> None:
        line = {"job_id": job["job_id"], "customer_id": job["customer_id"], "step": job.get("current_step") or job["step"],
                "level": level, "message": message, "ts": _now()}
        self._logs[job["job_id"]].append(line)
        socketio.emit("pipeline_log", line, to=room_for(job["customer_id"]))

    def _run(self, job_id: str) -> None:
        job = self._jobs[job_id]
        job.update(status="running", started_at=_now())
        self._persist(job_id)
        socketio.emit("pipeline_status", self._public(job), to=room_for(job["customer_id"]))
        try:
            if not job["steps"]:
                raise RuntimeError(f"step {job['step']} is not available in this installation")
            returncode, stderr = self._run_command(job)
            job["status"] = "done" if returncode == 0 else "error"
            job["message"] = f"{', '.join(job['steps'])} finished" if returncode == 0 else \
                (stderr.strip().splitlines() or [f"exit status {returncode}"])[-1].removeprefix("error: ")
        except Exception as exc:  # noqa: BLE001 - a job must always end with a state, never vanish
            job["status"], job["message"] = "error", f"{type(exc).__name__}: {exc}"
            self._emit_log(job, "error", job["message"])
        finally:
            job["finished_at"] = _now()
            with self._lock:
                self._running.pop(job["customer_id"], None)
            self._persist(job_id)
            socketio.emit("pipeline_status", self._public(job), to=room_for(job["customer_id"]))
            self._finished[job_id].set()

    def _run_command(self, job: dict) -> tuple[int, str]:
        """Run the pipeline CLI for the job in its own process and relay every progress line.

        A separate process keeps CPU-heavy steps (training, models) off the
        server's GIL, so the API stays responsive while jobs run, and the job
        is exactly the command shown to the analyst.
        """
        argv = [sys.executable, "-m", "pipeline", "run", "--customer-id", job["customer_id"],
                "--steps", ",".join(job["steps"]), "--lake", str(self.lake.root), "--progress-json"]
        process = subprocess.Popen(argv, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   bufsize=1)
        job["pid"] = process.pid
        for raw in process.stdout:
            try:
                line = json.loads(raw)
                level, message = str(line["level"]), str(line["message"])
            except (ValueError, KeyError, TypeError):
                level, message = "info", raw.rstrip()
            if message.startswith("[") and "] " in message and ": started" in message:
                job["current_step"] = message.split("] ", 1)[1].split(":", 1)[0]
            self._emit_log(job, level if level in LEVELS else "info", message)
        stderr = process.stderr.read()
        return process.wait(), stderr

    def wait(self, job_id: str, timeout: float | None = None) -> bool:
        """Block until the job has ended (for tests and scripts); True if it ended within ``timeout``."""
        event = self._finished.get(job_id)
        return event.wait(timeout) if event else True

    def _public(self, job: dict) -> dict[str, Any]:
        return {k: v for k, v in job.items() if k != "current_step"}

    def _persist(self, job_id: str) -> None:
        job = self._jobs[job_id]
        try:
            self.lake.write_json(self.lake.job_path(job["customer_id"], job_id),
                                 {**self._public(job), "log": list(self._logs[job_id])[-LOG_LINES_RETURNED:]})
        except (OSError, LakeError):
            pass  # the in-memory state still serves this process

    def get(self, job_id: str) -> dict[str, Any]:
        """The job's state with its last log lines (from memory, else from its file)."""
        job = self._jobs.get(job_id)
        if job is not None:
            return {**self._public(job), "log": list(self._logs[job_id])[-LOG_LINES_RETURNED:]}
        for customer_id in self.lake.customers():
            path = self.lake.job_path(customer_id, job_id)
            if path.exists():
                return self.lake.read_json(path)
        raise NotFoundError(f"job {job_id} not found", code="job_not_found")

    def running_for(self, customer_id: str) -> str | None:
        """The id of the customer's running job, if any."""
        return self._running.get(customer_id)
