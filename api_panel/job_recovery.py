"""Jobs a previous server left unfinished: found when the control process starts, ended honestly.

Why: a job's state lives in the server's memory and is mirrored to the lake
(``logs/<id>/jobs/<job>.json``, ``batches/<job>.json``). When the server dies
with its job (kill -9, OOM, a power cut) the file keeps saying ``running``
forever, and a page reload shows a job that will never end. On start, the
control process (:func:`recover_interrupted_jobs`, called from ``create_app``)
reads every stored job that is still ``pending`` or ``running`` and decides by
its recorded process ids:

* the job's ``python -m pipeline`` process is alive and its parent is still the
  server that started it (another app on this lake, in this or another
  process): left alone, its owner will finish it;
* the process is alive but orphaned (its server died, the child ran on): left
  running, but the customer stays locked until it exits, and then the job is
  ended as interrupted (nobody read its output, so "done" cannot be claimed);
* no such process: the job ends now as ``error`` "interrupted by a restart".

Ending a job writes the file, emits the final ``pipeline_status`` to the
customer's (or the batch) room, and releases its lock, as a job's ``finally``
would have.
"""
from __future__ import annotations

import os
import select
from pathlib import Path
from typing import Any

from pipeline.lake import LakeError

INTERRUPTED = "interrupted by a restart"
UNFINISHED = ("pending", "running")


def _proc_stat(pid: int) -> tuple[str, int] | None:
    """A live process's state letter and parent pid, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], int(fields[1])


def is_pipeline_process(pid: object, lake_root: Path) -> bool:
    """Whether ``pid`` is a live ``python -m pipeline ... --lake <lake_root>`` process (not a zombie, not a
    reused pid now running something else)."""
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    stat = _proc_stat(pid)
    if stat is None or stat[0] in ("Z", "X"):
        return False
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    args = [a.decode(errors="replace") for a in argv]
    pairs = set(zip(args, args[1:]))
    return ("-m", "pipeline") in pairs and ("--lake", str(lake_root)) in pairs


def _owned_by_live_server(state: dict) -> bool:
    """The job's process is alive and still the child of the server that recorded it."""
    stat = _proc_stat(state["pid"])
    return stat is not None and stat[1] == state.get("server_pid")


def recover_interrupted_jobs(manager: Any) -> list[str]:   # an api_panel.jobs.JobManager (which imports us)
    """End or adopt every unfinished job found in the lake; the ids of the jobs ended now."""
    ended = []
    for path in manager.lake.job_state_paths():
        try:
            state = manager.lake.read_json(path)
        except (LakeError, OSError, ValueError):
            continue
        if not isinstance(state, dict) or state.get("status") not in UNFINISHED or "job_id" not in state:
            continue
        if is_pipeline_process(state.get("pid"), manager.lake.root):
            if not _owned_by_live_server(state):
                manager.adopt_orphan(state, lambda pid=state["pid"]: wait_for_exit(pid))
            continue
        if state.get("pid") is None and state.get("server_pid") == os.getpid():
            continue  # registered by another app of this very process a moment ago; its task will launch it
        manager.end_interrupted(state)
        ended.append(state["job_id"])
    return ended


def wait_for_exit(pid: int) -> None:
    """Block until a process that is not our child exits (a pidfd becomes readable when it does)."""
    try:
        fd = os.pidfd_open(pid)
    except OSError:  # already gone
        return
    try:
        select.select([fd], [], [])
    finally:
        os.close(fd)
