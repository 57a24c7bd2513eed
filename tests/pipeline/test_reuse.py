"""What a step keeps in memory for the next: the same answers as reading and computing afresh, dropped on erasure."""
import shutil

import pytest

from analytics.bank.statement import prepare_transactions
from pipeline.lake import Lake
from pipeline.reuse import Remembered, forget_all, held
from pipeline.runner import run_steps
from pipeline.stages import load_customer_data

CUSTOMER = "CUST_MSM_00009"   # its partners are not account holders: analyze and models prepare different frames


@pytest.fixture()
def lake(tmp_path, demo_lake):
    """A private copy of the demo lake (tests here rewrite and erase files)."""
    copy = Lake(tmp_path / "lake")
    shutil.copytree(demo_lake.root, copy.root)
    forget_all()
    yield copy
    forget_all()


def strip_times(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "generated_at"}


def test_a_later_read_gets_the_same_data_until_a_clean_file_changes(lake):
    first = load_customer_data(lake, CUSTOMER)
    assert load_customer_data(lake, CUSTOMER) is first
    path = lake.clean_path(CUSTOMER, "transactions")
    lake.write_ndjson(path, first.records["transactions"][:-1])   # a rewrite, as the clean step does
    second = load_customer_data(lake, CUSTOMER)
    assert second is not first
    assert len(second.records["transactions"]) == len(first.records["transactions"]) - 1
    lake.write_json(lake.customer_meta_path(CUSTOMER), {**second.customer, "as_of": "2026-06-01"})
    assert load_customer_data(lake, CUSTOMER).as_of.isoformat() == "2026-06-01"


def test_one_memo_holds_one_value():
    memo = Remembered("test memo")
    memo.put(("a", [1, 2]), "first")
    assert memo.get(("a", [1, 2])) == "first" and memo.get(("a", [1, 3])) is None
    memo.put(("b",), "second")
    assert memo.get(("a", [1, 2])) is None and memo.get(("b",)) == "second"
    memo.clear()
    assert not memo.holds and memo.get(("b",)) is None


@pytest.mark.parametrize("erase", ["customer", "sources"])
def test_erasing_drops_what_the_steps_kept_in_memory(lake, erase):
    data = load_customer_data(lake, CUSTOMER)
    prepare_transactions(data.records["transactions"], data.records["accounts"])
    assert {"customer data", "classified statement"} <= set(held())
    if erase == "customer":
        lake.erase(CUSTOMER)
    else:
        lake.erase_sources(CUSTOMER, ["transactions"])
    assert held() == []


def test_the_models_step_writes_the_same_after_analyze_as_on_its_own(lake, config, small_risk_model):
    small_risk_model(lake)
    seen = {}

    def progress(level, message):
        if "models: started" in message:
            seen["held"], seen["data"] = held(), load_customer_data(lake, CUSTOMER)

    outcome = run_steps(lake, CUSTOMER, ["analyze", "score", "models"], config, progress)
    assert outcome["status"] == "done", outcome
    assert {"customer data", "classified statement"} <= set(seen["held"])   # models starts from analyze's work
    assert held() == []   # and nothing outlives the run
    names = ("cashflow_forecast", "reconciliation", "enhanced_anomalies", "recommendations", "decision")
    reused = {n: strip_times(lake.read_json(lake.analytics_path(CUSTOMER, n))) for n in names}
    fresh = load_customer_data(lake, CUSTOMER)
    assert fresh is not seen["data"] and fresh == seen["data"]   # the steps left the shared data as they read it
    forget_all()
    assert run_steps(lake, CUSTOMER, ["models"], config, lambda level, msg: None)["status"] == "done"
    alone = {n: strip_times(lake.read_json(lake.analytics_path(CUSTOMER, n))) for n in names}
    assert alone == reused
