"""``python -m pipeline run`` split over two processes (pipeline/overlap.py): real subprocesses, real files.

The split must be invisible except in time: the same documents as a one-process run, one numbering of the
steps, one run-log entry, the first failure stopping the run, and no process left behind when the command
is killed.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from pipeline.lake import Lake
from tests.pipeline.test_cli import PROJECT_ROOT, run_cli

CUSTOMER = "CUST_MSM_00002"
VOLATILE = {"generated_at", "ts", "duration_s", "trained_at"}


def _documents(lake: Lake, customer_id: str) -> dict[str, object]:
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in VOLATILE}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    folder = lake.customer_dir("analytics", customer_id)
    return {path.name: strip(orjson.loads(path.read_bytes())) for path in sorted(folder.glob("*.json"))}


@pytest.fixture(scope="module")
def model_lakes(tmp_path_factory, small_risk_model):
    """Two empty lakes holding the same small risk model."""
    return [small_risk_model(Lake(tmp_path_factory.mktemp(name) / "lake")) for name in ("split", "single")]


def test_split_run_writes_what_a_one_process_run_writes(model_lakes):
    split, single = model_lakes
    args = ("run", "--customer-id", CUSTOMER, "--profile", "high_seasonality", "--as-of", "2026-11")
    first = run_cli(*args, "--processes", "2", lake=split.root)
    second = run_cli(*args, "--processes", "1", lake=single.root)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr

    numbered = [line.split("]", 2)[1].strip() for line in first.stdout.splitlines() if "started" in line]
    assert numbered == ["[1/5", "[2/5", "[3/5", "[4/5", "[5/5"]
    assert first.stdout.count("done in") == 5 and "run finished" in first.stdout

    documents = _documents(split, CUSTOMER)
    assert {"risk_model.json", "decision.json", "cashflow_forecast.json", "transaction_summary.json"} <= set(documents)
    assert documents == _documents(single, CUSTOMER)
    for layer in ("raw", "clean"):
        for path in sorted(split.customer_dir(layer, CUSTOMER).iterdir()):
            assert path.read_bytes() == (single.customer_dir(layer, CUSTOMER) / path.name).read_bytes(), path

    runs = split.read_ndjson(split.run_log_path(CUSTOMER))
    assert len(runs) == 1 and runs[0]["status"] == "done" and runs[0]["error"] is None
    assert runs[0]["steps"] == ["generate", "clean", "analyze", "score", "models"]


def test_a_failure_in_the_model_half_stops_the_run_and_is_recorded(model_lakes):
    lake = model_lakes[0]
    done = run_cli("run", "--customer-id", "CUST_MSM_00003", "--profile", "baseline", "--as-of", "2026-11",
                   "--steps", "generate,clean,score,models", "--processes", "2", lake=lake.root)
    assert done.returncode == 1
    assert "error: score: no analytics for CUST_MSM_00003: run analyze first" in done.stderr
    assert "[3/4] score: failed" in done.stdout and "[4/4] models" not in done.stdout
    runs = lake.read_ndjson(lake.run_log_path("CUST_MSM_00003"))
    assert [(r["status"], r["error"]) for r in runs] == [("error", "score: no analytics for CUST_MSM_00003: "
                                                                   "run analyze first")]


def test_a_failure_in_the_data_half_never_starts_the_model_half(model_lakes):
    lake = model_lakes[1]
    done = run_cli("run", "--customer-id", "CUST_MSM_00004", "--steps", "clean,analyze,score", "--processes", "2",
                   lake=lake.root)
    assert done.returncode == 1 and "no raw data for CUST_MSM_00004" in done.stderr
    assert "[1/3] clean: failed" in done.stdout and "score" not in done.stdout
    assert "analyze: started" not in done.stdout   # the run stops at the first failure, across the cut too


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    """Running or sleeping: not gone, and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[-1][:1]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal and /proc are Linux's")
def test_killing_the_command_mid_model_steps_kills_its_second_process(tmp_path, small_risk_model):
    lake = small_risk_model(Lake(tmp_path / "lake"))
    command = [sys.executable, "-m", "pipeline", "run", "--customer-id", "CUST_MSM_00005", "--profile",
               "baseline", "--as-of", "2026-11", "--processes", "2", "--lake", str(lake.root)]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    try:
        assert "[1/5] generate: started" in process.stdout.readline()
        children = _children(process.pid)
        assert len(children) == 1  # forked before the first step: it imports the model steps' libraries
        for line in process.stdout:
            if "[4/5] score: started" in line:  # the second process is now running the model steps
                break
        assert _alive(children[0])
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        deadline = time.monotonic() + 0.5  # the models step alone takes longer: only the kernel's signal is this quick
        while _alive(children[0]) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not _alive(children[0]), "the second process outlived the killed command"
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()


def test_the_categorisers_decisions_cross_to_the_second_process_through_the_go_pipe():
    from analytics.bank.categorise import engine
    from pipeline import overlap

    saved = engine.decisions_memo()
    try:
        engine.categorise("UPI/SHARMA TRADERS/sharma@okicici/Payment", "CREDIT", 1500.0, "UPI")
        memo = engine.decisions_memo()
        assert memo  # decided once, remembered
        key = next(iter(memo))
        planted = ("planted_leaf", "PLANTED PARTY", 0.99, 7)  # not a real decision: shows the memo is what is used
        read_end, write_end = os.pipe()
        overlap._send(write_end, overlap._packed({"analytics.bank.categorise.engine": {key: planted}}))
        os.close(write_end)
        size = overlap._LENGTH.unpack(overlap._receive(read_end, overlap._LENGTH.size))[0]
        engine._DECISIONS.clear()
        overlap._adopt(__import__("pickle").loads(overlap._receive(read_end, size)))
        os.close(read_end)
        assert engine.decide(*key) == planted
    finally:
        engine._DECISIONS.clear()
        engine.remember_decisions(saved)


def test_auto_splits_only_with_a_core_idle():
    from pipeline.overlap import can_overlap

    steps = ["generate", "clean", "analyze", "score", "models"]
    assert can_overlap(steps, "2") and not can_overlap(steps, "1")
    assert not can_overlap(["score", "models"], "2") and not can_overlap(["generate", "clean"], "2")
    idle = os.getloadavg()[0] + 1 <= (os.cpu_count() or 1)
    assert can_overlap(steps, "auto") == idle


def _as_written(body: dict) -> dict:
    """A body as the lake stores it (orjson) and reads it back."""
    return orjson.loads(orjson.dumps(body, option=orjson.OPT_SORT_KEYS))


def test_the_first_process_sends_the_reconciliation_the_models_step_wrote(demo_models_lake, config):
    from analytics.models_registry import ENVELOPE
    from pipeline import overlap

    customer = "CUST_MSM_00003"
    read_end, write_end = os.pipe()
    sender = __import__("threading").Thread(target=overlap._send_independent_outputs,
                                            args=(write_end, demo_models_lake, customer, config, True,
                                                  overlap.FIRST_PROCESS_OUTPUTS))
    sender.start()   # a reconciliation is larger than a pipe's buffer: read while it is written
    elsewhere = overlap._Elsewhere(read_end, overlap.FIRST_PROCESS_OUTPUTS)
    sent = elsewhere("reconciliation")
    sender.join()
    written = demo_models_lake.read_json(demo_models_lake.analytics_path(customer, "reconciliation"))
    assert sent is not None and sent["matches"]
    assert _as_written(sent) == {k: v for k, v in written.items() if k not in ENVELOPE}
    assert elsewhere("cashflow_forecast") is None   # not one of the independent outputs: the step computes it


def test_nothing_sent_means_the_models_step_computes_it_itself(demo_models_lake, config):
    from pipeline import overlap

    NAMES = overlap.FIRST_PROCESS_OUTPUTS
    read_end, write_end = os.pipe()
    overlap._send_independent_outputs(write_end, demo_models_lake, "CUST_MSM_00003", config, False, NAMES)  # failed
    assert overlap._Elsewhere(read_end, NAMES)("reconciliation") is None
    read_end, write_end = os.pipe()
    os.close(write_end)   # the first process died before sending
    assert overlap._Elsewhere(read_end, NAMES)("reconciliation") is None
    read_end, write_end = os.pipe()
    overlap._send_independent_outputs(write_end, demo_models_lake, "CUST_XYZ_00404", config, True, NAMES)  # no data
    assert overlap._Elsewhere(read_end, NAMES)("reconciliation") is None


class _Planted:
    """Another process "computing" the reconciliation: a planted body, and the names it was asked for."""

    names = frozenset({"reconciliation"})

    def __init__(self, body):
        self.body, self.asked = body, []

    def __call__(self, name):
        self.asked.append(name)
        return self.body


def test_run_models_takes_what_was_computed_elsewhere_and_computes_the_rest(demo_models_lake, config):
    from analytics.independent_outputs import independent_outputs
    from analytics.models_registry import run_models
    from analytics.registry import OUTPUT_NAMES
    from pipeline.model_stages import _analytics_documents
    from pipeline.stages import load_customer_data

    customer = "CUST_MSM_00003"
    data = load_customer_data(demo_models_lake, customer)
    docs = _analytics_documents(demo_models_lake, customer, (*OUTPUT_NAMES, "risk_model"))
    planted = _Planted({"metrics": {}, "planted": True})
    given = run_models(data, docs, config, planted)
    assert planted.asked == ["reconciliation"] and given["reconciliation"] is planted.body
    never_came = run_models(data, docs, config, _Planted(None))   # the other process sent nothing: computed here
    alone = run_models(data, docs, config)
    assert never_came["reconciliation"] == alone["reconciliation"]
    assert alone["reconciliation"] == independent_outputs(("reconciliation",), data, docs, config)["reconciliation"]
    assert _as_written(alone["cashflow_forecast"]) == _as_written(given["cashflow_forecast"])
    assert list(alone) == ["cashflow_forecast", "reconciliation", "enhanced_anomalies", "recommendations",
                           "decision", "overall_summary"]


def test_reading_ahead_leaves_the_clean_layer_and_the_model_where_the_steps_take_them(demo_models_lake):
    from analytics.risk.model import load_risk_model
    from pipeline import overlap
    from pipeline.reuse import forget_all, held
    from pipeline.stages import load_customer_data

    forget_all()
    try:
        overlap._read_ahead(demo_models_lake, "CUST_MSM_00003")
        assert "customer data" in held()
        data = load_customer_data(demo_models_lake, "CUST_MSM_00003")
        forget_all()
        assert load_customer_data(demo_models_lake, "CUST_MSM_00003") == data   # what was read ahead is the layer
        assert load_risk_model(demo_models_lake) is load_risk_model(demo_models_lake)   # kept, not read twice
        overlap._read_ahead(demo_models_lake, "CUST_XYZ_00404")   # nothing to read: left for the steps to report
    finally:
        forget_all()
