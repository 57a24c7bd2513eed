"""Pipeline jobs: 202 now, the work in a background task, progress over Socket.IO, state pollable.

A job runs ``python -m pipeline run --progress-json`` — exactly what an analyst
would type — in its own process; each progress line it prints is appended to
the job and emitted as a ``pipeline_log`` event to the customer's room. The final state is emitted as
``pipeline_status`` from a ``finally`` so a client always learns how it ended.
One job per customer at a time (409 otherwise). Job state is mirrored to
``logs/<customer_id>/jobs/<job_id>.json`` so a page reload — even after a
server restart — finds it.

A batch job (:meth:`JobManager.start_batch`) runs ``python -m pipeline batch``
for many customers the same way; its lines go to the ``batch`` room that
analysts join to watch it, its state to ``batches/<job_id>.json``. Its
customers count as running for its whole length, so no single job races it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from collections import deque
from datetime import datetime, timezone
from typing import Any

from api_panel.errors import ConflictError, NotFoundError
from api_panel.job_recovery import INTERRUPTED
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


BATCH_ROOM = "batch"
BATCH_KEY = "*batch*"  # the running-jobs key of the one batch that may run at a time


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
        self._keys: dict[str, list[str]] = {}
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
            self._register(job, [customer_id])
        return self._launch(job_id)

    def start_command(self, customer_id: str, step: str, cli_args: list[str], requested_by: str) -> dict[str, Any]:
        """Register and launch one ``python -m pipeline <cli_args>`` job for a customer (the AA consent request
        and fetch); 409 if the customer already has a job running."""
        validate_customer_id(customer_id)
        with self._lock:
            if customer_id in self._running:
                raise ConflictError(f"job {self._running[customer_id]} is already running for {customer_id}",
                                    code="job_running")
            job_id = "job_" + uuid.uuid4().hex[:16]
            job = {"job_id": job_id, "customer_id": customer_id, "step": step, "steps": [step], "status": "pending",
                   "message": None, "requested_by": requested_by, "created_at": _now(), "started_at": None,
                   "finished_at": None, "cli": list(cli_args),
                   "command": f"python -m pipeline {' '.join(cli_args)} --lake {self.lake.root}"}
            self._register(job, [customer_id])
        return self._launch(job_id)

    def start_batch(self, customer_ids: list[str], steps: list[str], requested_by: str,
                    workers: int = 2) -> dict[str, Any]:
        """Register and launch a batch over ``customer_ids``; 409 if a batch, or a job of one of them, runs."""
        for customer_id in customer_ids:
            validate_customer_id(customer_id)
        with self._lock:
            if BATCH_KEY in self._running:
                raise ConflictError(f"batch {self._running[BATCH_KEY]} is already running", code="job_running")
            busy = [c for c in customer_ids if c in self._running]
            if busy:
                raise ConflictError(f"a job is running for {', '.join(busy[:5])}; wait for it to finish",
                                    code="job_running")
            job_id = "job_" + uuid.uuid4().hex[:16]
            listing = self.lake.batch_customers_path(job_id)
            job = {"job_id": job_id, "customer_id": None, "step": "batch", "steps": steps, "status": "pending",
                   "message": None, "requested_by": requested_by, "created_at": _now(), "started_at": None,
                   "finished_at": None, "customers": len(customer_ids), "workers": workers,
                   "progress": {"done": 0, "failed": 0, "total": len(customer_ids)}, "failed": [],
                   "command": f"python -m pipeline batch --customers {listing} --steps {','.join(steps)} "
                              f"--workers {workers} --lake {self.lake.root}"}
            self.lake.write_bytes(listing, ("\n".join(customer_ids) + "\n").encode())
            self._register(job, [*customer_ids, BATCH_KEY])
        return self._launch(job_id)

    def _register(self, job: dict, running_keys: list[str], log: list | None = None) -> None:  # holds self._lock
        job_id = job["job_id"]
        job.setdefault("server_pid", os.getpid())  # with "pid", what a restarted server checks (job_recovery)
        self._jobs[job_id] = job
        self._logs[job_id] = deque(log or [], maxlen=LOG_LINES_KEPT)
        self._finished[job_id] = threading.Event()
        self._keys[job_id] = running_keys
        for key in running_keys:
            self._running[key] = job_id

    def _launch(self, job_id: str) -> dict[str, Any]:
        self._persist(job_id)
        snapshot = dict(self._jobs[job_id])  # the 202 says "pending" even if the task has already started
        socketio.start_background_task(self._run, job_id)
        return snapshot

    @staticmethod
    def _room(job: dict) -> str:
        return BATCH_ROOM if job["step"] == "batch" else room_for(job["customer_id"])

    def _emit_log(self, job: dict, level: str, message: str) -> None:
        line = {"job_id": job["job_id"], "customer_id": job["customer_id"], "step": job.get("current_step") or job["step"],
                "level": level, "message": message, "ts": _now()}
        self._logs[job["job_id"]].append(line)
        socketio.emit("pipeline_log", line, to=self._room(job))

    def _run(self, job_id: str) -> None:
        job = self._jobs[job_id]
        job.update(status="running", started_at=_now())
        self._persist(job_id)
        socketio.emit("pipeline_status", self._public(job), to=self._room(job))
        try:
            if not job["steps"]:
                raise RuntimeError(f"step {job['step']} is not available in this installation")
            returncode, stderr = self._run_command(job)
            job["status"] = "done" if returncode == 0 else "error"
            last = self._logs[job_id][-1]["message"] if "cli" in job and self._logs[job_id] else None
            job["message"] = (last or f"{', '.join(job['steps'])} finished") if returncode == 0 else \
                (stderr.strip().splitlines() or [f"exit status {returncode}"])[-1].removeprefix("error: ")
        except Exception as exc:  # noqa: BLE001 - a job must always end with a state, never vanish
            job["status"], job["message"] = "error", f"{type(exc).__name__}: {exc}"
            self._emit_log(job, "error", job["message"])
        finally:
            self._finish(job_id)

    def _finish(self, job_id: str) -> None:
        """What ends every job, however it ended: the time, the lock released, the state saved and emitted."""
        job = self._jobs[job_id]
        job["finished_at"] = _now()
        with self._lock:
            for key in self._keys.pop(job_id, []):
                self._running.pop(key, None)
        if job["step"] == "batch":
            self.lake.batch_customers_path(job_id).unlink(missing_ok=True)
        self._persist(job_id)
        socketio.emit("pipeline_status", self._public(job), to=self._room(job))
        self._finished[job_id].set()

    def end_interrupted(self, state: dict) -> None:
        """End a job a previous server left unfinished (its process is gone): ``error``, "interrupted by a
        restart", emitted and saved like any other end (see :mod:`api_panel.job_recovery`)."""
        state = {k: v for k, v in state.items() if k != "log"}
        with self._lock:
            if state["job_id"] not in self._jobs:
                self._register(state, [], [])
        self._interrupt(state["job_id"])

    def adopt_orphan(self, state: dict, wait_for_exit) -> None:
        """Hold the customer's lock for a job whose process outlived its server, and end the job as interrupted
        once ``wait_for_exit()`` returns (in a background task): nobody read its output, so no "done"."""
        job = {k: v for k, v in state.items() if k != "log"}
        keys = [BATCH_KEY] if job["step"] == "batch" else [job["customer_id"]]
        listing = self.lake.batch_customers_path(job["job_id"]) if job["step"] == "batch" else None
        if listing is not None and listing.exists():
            keys += listing.read_text().split()
        with self._lock:
            self._register(job, keys, state.get("log") or [])

        def watch():
            wait_for_exit()
            self._interrupt(job["job_id"])

        socketio.start_background_task(watch)

    def _interrupt(self, job_id: str) -> None:
        job = self._jobs[job_id]
        job.update(status="error", message=INTERRUPTED)
        self._emit_log(job, "error", f"{INTERRUPTED}: the job's process is gone, its outcome unknown; run it again")
        self._finish(job_id)

    def _run_command(self, job: dict) -> tuple[int, str]:
        """Run the pipeline CLI for the job in its own process and relay every progress line.

        A separate process keeps CPU-heavy steps (training, models) off the
        server's GIL, so the API stays responsive while jobs run, and the job
        is exactly the command shown to the analyst.
        """
        if job["step"] == "batch":
            argv = [sys.executable, "-m", "pipeline", "batch", "--customers",
                    str(self.lake.batch_customers_path(job["job_id"])), "--steps", ",".join(job["steps"]),
                    "--workers", str(job["workers"]), "--lake", str(self.lake.root), "--progress-json"]
        elif "cli" in job:
            argv = [sys.executable, "-m", "pipeline", *job["cli"], "--lake", str(self.lake.root), "--progress-json"]
        else:
            argv = [sys.executable, "-m", "pipeline", "run", "--customer-id", job["customer_id"],
                    "--steps", ",".join(job["steps"]), "--lake", str(self.lake.root), "--progress-json"]
        process = subprocess.Popen(argv, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   bufsize=1)
        job["pid"] = process.pid
        self._persist(job["job_id"])  # a restarted server tells a live job from a dead one by this pid
        for raw in process.stdout:
            try:
                line = json.loads(raw)
                level, message = str(line["level"]), str(line["message"])
            except (ValueError, KeyError, TypeError):
                level, message = "info", raw.rstrip()
            if job["step"] == "batch":
                _count_batch_line(job, message)
            elif message.startswith("[") and "] " in message and ": started" in message:
                job["current_step"] = message.split("] ", 1)[1].split(":", 1)[0]
            self._emit_log(job, level if level in LEVELS else "info", message)
        stderr = process.stderr.read()
        return process.wait(), stderr

    def wait(self, job_id: str, timeout: float | None = None) -> bool:
        """Block until the job has ended (for tests and scripts); True if it ended within ``timeout``."""
        event = self._finished.get(job_id)
        return event.wait(timeout) if event else True

    def _public(self, job: dict) -> dict[str, Any]:
        return {k: v for k, v in job.items() if k not in ("current_step", "cli")}

    def _persist(self, job_id: str) -> None:
        job = self._jobs[job_id]
        path = self.lake.batch_job_path(job_id) if job["step"] == "batch" else \
            self.lake.job_path(job["customer_id"], job_id)
        try:
            self.lake.write_json(path,
                                 {**self._public(job), "log": list(self._logs[job_id])[-LOG_LINES_RETURNED:]})
        except (OSError, LakeError):
            pass  # the in-memory state still serves this process

    def get(self, job_id: str) -> dict[str, Any]:
        """The job's state with its last log lines (from memory, else from its file)."""
        job = self._jobs.get(job_id)
        if job is not None:
            return {**self._public(job), "log": list(self._logs[job_id])[-LOG_LINES_RETURNED:]}
        try:
            batch = self.lake.batch_job_path(job_id)
        except ValueError:
            raise NotFoundError(f"job {job_id} not found", code="job_not_found") from None
        if batch.exists():
            return self.lake.read_json(batch)
        for customer_id in self.lake.customers():
            path = self.lake.job_path(customer_id, job_id)
            if path.exists():
                return self.lake.read_json(path)
        raise NotFoundError(f"job {job_id} not found", code="job_not_found")

    def running_for(self, customer_id: str) -> str | None:
        """The id of the customer's running job, if any."""
        return self._running.get(customer_id)


def _count_batch_line(job: dict, message: str) -> None:
    """Fold one ``python -m pipeline batch`` line (``[i/n] CUST_… done in …`` / ``… error: …``) into the job's
    progress, so a reload shows how far it got and which customers failed."""
    if not message.startswith("[") or "] " not in message:
        return
    rest = message.split("] ", 1)[1]
    customer_id, _, outcome = rest.partition(" ")
    if outcome.startswith("done"):
        job["progress"]["done"] += 1
    elif outcome.startswith("error"):
        job["progress"]["failed"] += 1
        if len(job["failed"]) < LOG_LINES_RETURNED:
            job["failed"].append({"customer_id": customer_id, "error": outcome.removeprefix("error: ")})
