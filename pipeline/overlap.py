"""A ``run`` on two cores: the model steps' libraries are imported while the data steps run.

``generate`` and ``clean`` need only orjson, ``analyze`` pandas; ``score`` and ``models`` need scikit-learn,
shap (with numba), statsmodels and scipy, whose imports alone take ~1.5-2 s. Done one after the other, a
cold ``python -m pipeline run`` pays both (``python -m bench speed``). So the command forks once before its
first step: the child imports what the model steps use, then waits; this process runs the data steps and
hands over; the child runs the rest and reports back through a pipe.

The run stays one run: one numbering of its steps, one progress stream (both processes write to the same
output, one at a time), one run-log entry, the first failure stops it. If either side dies, the other
notices (end of file on its pipe; the child also gets SIGKILL when its parent dies) and the run is an error.
"""
from __future__ import annotations

import importlib
import os
import select
import pickle
import signal
import struct
import sys
import time
from typing import Any

import orjson

from generators.gc_pause import cycle_collection_paused
from pipeline.runner import record_run, walk_steps
from pipeline.stages import Progress

LIGHT_STEPS = frozenset({"generate", "clean", "analyze"})
# what each heavy step imports when it runs (their modules import their libraries at the top)
WARM_IMPORTS = {
    "analyze": ("analytics.registry",),
    "score": ("analytics.risk.model", "analytics.risk.registry", "analytics.score.credit_score", "shap"),
    "models": ("analytics.models_registry", "analytics.forecasting.cashflow", "analytics.anomalies.ml"),
}
# what the data steps leave in this process that the model steps would compute again: handed to the second
# process with the go, as (module, function giving it, function adopting it); the models step categorises the
# statement again, and the categoriser's decisions are most of that (``python -m bench speed``)
HANDOVER = (("analytics.bank.categorise.engine", "decisions_memo", "remember_decisions"),)
# what a data step imports that the model steps import too (pandas, the analytics): loaded before the fork, so
# the two processes share one import of it instead of each paying for it (~0.35 s of CPU)
SHARED_IMPORTS = {"analyze": ("analytics.registry",)}
# the models outputs that need no risk model and no model library (analytics.independent_outputs): computed by the
# first process, idle once the data steps are done, while the second scores (a third process, forked from the
# warm second for the ML anomalies, was measured too: +0.35 s of CPU and no sooner on two shared cores)
FIRST_PROCESS_OUTPUTS = ("reconciliation",)
DATA_STEP = "clean"   # once it is done, the clean layer the model steps read is written
_PR_SET_PDEATHSIG = 1
_LENGTH = struct.Struct("<Q")


def can_overlap(steps: list[str], processes: str = "auto") -> bool:
    """True when the run starts with data steps and goes on to model steps, this system can fork, and
    ``processes`` is "2", or "auto" with a core idle: on a busy machine the split only adds the second
    process's duplicate imports (~1 s of CPU) to the load, and one process finishes sooner."""
    light = _light_prefix(steps)
    if processes == "1" or not hasattr(os, "fork") or not 0 < light < len(steps):
        return False
    return processes == "2" or os.getloadavg()[0] + 1 <= (os.cpu_count() or 1)


def _light_prefix(steps: list[str]) -> int:
    count = 0
    while count < len(steps) and steps[count] in LIGHT_STEPS:
        count += 1
    return count


def run_overlapped(lake, customer_id: str, steps: list[str], config: dict, progress: Progress,
                   options: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Run ``steps`` as :func:`pipeline.runner.run_steps` does, the heavy ones in a forked, pre-warmed child."""
    started = time.perf_counter()
    split = _light_prefix(steps)
    light, heavy = steps[:split], steps[split:]
    _import_shared(light)
    _flush()
    go_read, go_write = os.pipe()
    result_read, result_write = os.pipe()
    parts_read, parts_write = os.pipe() if "models" in heavy else (-1, -1)
    # the light steps up to the one that writes the clean layer, then the rest: in between the child, its
    # imports done, reads ahead what the model steps read first
    cut = light.index(DATA_STEP) + 1 if DATA_STEP in light[:-1] else len(light)
    ready_read, ready_write = os.pipe() if cut < len(light) else (-1, -1)
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child never returns from here
        _close(go_write, result_read, parts_write, ready_write)
        heavy_options = dict(options or {})
        if parts_read >= 0:
            heavy_options["models"] = {**heavy_options.get("models", {}),
                                       "computed_elsewhere": _Elsewhere(parts_read, FIRST_PROCESS_OUTPUTS)}
        _heavy_child(parent, go_read, result_write, lambda: walk_steps(
            lake, customer_id, heavy, config, progress, heavy_options, first=split + 1, total=len(steps)), heavy,
            ready_read, lambda: _read_ahead(lake, customer_id))
    _close(go_read, result_write, parts_read, ready_read)
    try:
        outcome = walk_steps(lake, customer_id, light[:cut], config, progress, options, total=len(steps))
        if ready_write >= 0:
            if outcome["status"] == "done":
                _send(ready_write, b"1")
            _close(ready_write)
            ready_write = -1
            if outcome["status"] == "done":
                rest = walk_steps(lake, customer_id, light[cut:], config, progress, options, first=cut + 1,
                                  total=len(steps))
                outcome = {**rest, "results": {**outcome["results"], **rest["results"]}}
    except BaseException:
        _close(go_write, parts_write, ready_write)  # the child reads end of file and stops
        os.waitpid(pid, 0)
        raise
    _flush()
    _send(go_write, b"1" + _packed(_handover()) if outcome["status"] == "done" else b"0")
    os.close(go_write)
    if parts_write >= 0:
        _send_independent_outputs(parts_write, lake, customer_id, config, outcome["status"] == "done",
                                  FIRST_PROCESS_OUTPUTS)
    if outcome["status"] == "done":
        outcome = _merge(outcome, _read_child(result_read, pid))
    else:
        os.close(result_read)
        os.waitpid(pid, 0)
    record_run(lake, customer_id, steps, outcome, time.perf_counter() - started)
    return outcome


def _heavy_child(parent: int, go_read: int, result_write: int, run, heavy: list[str], ready_read: int = -1,
                 read_ahead=None) -> None:
    """Import the heavy steps' modules, read ahead once the clean layer is written (if the go has not come
    yet), wait for the go, run them, send the outcome, and end the process."""
    status = 0
    try:
        _die_with(parent)
        _warm(heavy, go_read)
        if ready_read >= 0 and go_read not in select.select([go_read, ready_read], [], [])[0]:
            if os.read(ready_read, 1) == b"1":
                read_ahead()
        go = os.read(go_read, 1)
        if go == b"1":
            _adopt(_unpacked(go_read))
            _send(result_write, orjson.dumps(run(), default=str))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which reports it to the user
        status = 1
        try:
            message = {"status": "error", "error": f"{type(exc).__name__}: {exc}", "results": {}}
            os.write(result_write, orjson.dumps(message, default=str))
        except OSError:
            pass
    finally:
        _flush()
        os._exit(status)  # no interpreter teardown: everything is written, and it would cost ~0.6 s


def _read_ahead(lake, customer_id: str) -> None:
    """Read what the model steps read first while the first process still analyses: the clean layer
    (:func:`pipeline.stages.load_customer_data`, kept by :mod:`pipeline.reuse`) and the saved risk model (kept
    by :func:`analytics.risk.model.load_risk_model`). Both are keyed by their files, so the steps take them only
    if nothing changed; any failure is left for the steps to meet and report."""
    try:
        from analytics.risk.model import load_risk_model
        from pipeline.stages import load_customer_data

        load_customer_data(lake, customer_id)
        load_risk_model(lake)
    except Exception:  # noqa: BLE001 - the steps read them again and report their own errors
        pass


def _close(*fds: int) -> None:
    """Close the pipe ends given (-1: none)."""
    for fd in fds:
        if fd >= 0:
            os.close(fd)


def _import_shared(light: list[str]) -> None:
    """Import :data:`SHARED_IMPORTS` for the data steps about to run (a failure is left for the step to report)."""
    with cycle_collection_paused(freeze=True):
        for step in light:
            for name in SHARED_IMPORTS.get(step, ()):
                try:
                    importlib.import_module(name)
                except Exception:  # noqa: BLE001 - the step imports it again and fails with its own error
                    pass


def _send_independent_outputs(fd: int, lake, customer_id: str, config: dict, wanted: bool,
                              names: tuple[str, ...]) -> None:
    """While the second process scores, compute the ``models`` outputs ``names`` (which need no risk model) and
    send them (:func:`pipeline.model_stages.independent_model_outputs`); on any failure send none, and the models
    step computes them itself."""
    bodies: dict[str, Any] = {}
    try:
        if wanted:
            from pipeline.model_stages import independent_model_outputs

            bodies = independent_model_outputs(lake, customer_id, config, names)
    except Exception:  # noqa: BLE001 - the models step computes them again and reports its own error
        bodies = {}
    try:
        _send(fd, _packed(bodies))
    except OSError:  # the second process ended without reading them (a step failed before): nothing to hand
        pass
    finally:
        os.close(fd)


class _Elsewhere:
    """The ``models`` step's ``computed_elsewhere`` in the second process
    (:class:`analytics.models_registry.ComputedElsewhere`): the first process's bodies of ``names``, read (waiting
    for them) on the first request; None for any it did not send, and the step computes those."""

    def __init__(self, fd: int, names: tuple[str, ...]):
        self._fd = fd
        self.names = frozenset(names)
        self._bodies: dict[str, Any] | None = None

    def __call__(self, name: str) -> dict | None:
        if self._bodies is None:
            try:
                self._bodies = _unpacked(self._fd)
            except (EOFError, OSError, pickle.UnpicklingError):
                self._bodies = {}
            finally:
                os.close(self._fd)
        return self._bodies.get(name)


def _handover() -> dict[str, Any]:
    """The state :data:`HANDOVER` names, from the modules this process has loaded."""
    return {module: getattr(sys.modules[module], give)() for module, give, _ in HANDOVER if module in sys.modules}


def _adopt(state: dict[str, Any]) -> None:
    for module, _, adopt in HANDOVER:
        if module in state:
            getattr(importlib.import_module(module), adopt)(state[module])


def _packed(state: dict[str, Any]) -> bytes:
    payload = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)  # between two processes of this command
    return _LENGTH.pack(len(payload)) + payload


def _send(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _unpacked(fd: int) -> Any:
    """The next message :func:`_packed` made, read from ``fd`` (EOFError if the writer stopped before its end)."""
    return pickle.loads(_receive(fd, _LENGTH.unpack(_receive(fd, _LENGTH.size))[0]))


def _receive(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the first process stopped while handing over")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _die_with(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies (a killed job must not leave its second half)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _warm(heavy: list[str], go_read: int) -> None:
    """Import what ``heavy`` will import, in the order the steps need it, until the go arrives: from then on
    the steps import the rest themselves as they reach it. A module that fails to import is left for its
    step to report."""
    with cycle_collection_paused(freeze=True):
        for step in heavy:
            for name in WARM_IMPORTS.get(step, ()):
                if select.select([go_read], [], [], 0)[0]:
                    return
                try:
                    if name == "shap":
                        from analytics.risk.explainer import load_shap

                        load_shap()
                    else:
                        importlib.import_module(name)
                except Exception:  # noqa: BLE001 - the step imports it again and fails with its own error
                    pass


def _read_child(result_read: int, pid: int) -> dict[str, Any]:
    chunks = []
    with os.fdopen(result_read, "rb") as pipe:
        while chunk := pipe.read(1 << 16):
            chunks.append(chunk)
    _, wait_status = os.waitpid(pid, 0)
    data = b"".join(chunks)
    if not data:
        code = os.waitstatus_to_exitcode(wait_status)
        return {"status": "error", "error": f"the process running the analysis ended without a result (exit {code})",
                "results": {}}
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return {"status": "error", "error": "the process running the analysis sent an unreadable result",
                "results": {}}


def _merge(light: dict[str, Any], heavy: dict[str, Any]) -> dict[str, Any]:
    return {"status": heavy["status"], "error": heavy["error"], "results": {**light["results"], **heavy["results"]}}


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
