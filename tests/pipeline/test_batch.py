"""Batch runs on a real Dask LocalCluster of two worker processes, with light customers and deliberate failures."""
import re
from datetime import date

import pytest

from pipeline.batch import BatchInputError, BatchItem, all_customers, dask_client, read_customer_file, run_batch
from pipeline.cli import main
from pipeline.customers import last_run
from pipeline.lake import Lake
from pipeline.runner import run_steps

AS_OF = date(2026, 11, 1)
GOOD = {"CUST_BAT_00001": "customer_concentration", "CUST_BAT_00002": "stable_income",
        "CUST_BAT_00003": "high_debt", "CUST_BAT_00004": "customer_concentration"}
BAD_PROFILE = "CUST_BAT_00005"
IMPORTED = "CUST_BAT_00006"


def test_customer_file_lines_comments_profiles_and_duplicates(tmp_path):
    path = tmp_path / "customers.txt"
    path.write_text("# id[,profile]\nCUST_BAT_00001\n\nCUST_BAT_00002, high_debt  # trailing comment\n"
                    "CUST_BAT_00001,fraud\n")
    assert read_customer_file(path) == [BatchItem("CUST_BAT_00001"), BatchItem("CUST_BAT_00002", "high_debt")]
    path.write_text("CUST_BAT_00001,a,b\n")
    with pytest.raises(BatchInputError, match="customers.txt:1"):
        read_customer_file(path)
    with pytest.raises(BatchInputError, match="cannot read"):
        read_customer_file(tmp_path / "missing.txt")


def test_all_is_the_lake_plus_the_demo_customers(tmp_path, config):
    lake = Lake(tmp_path / "lake")
    run_steps(lake, "CUST_BAT_00001", ["generate"], config, lambda *_: None,
              {"generate": {"profile": "high_debt", "as_of": AS_OF}})
    items = {item.customer_id: item.profile for item in all_customers(lake, config)}
    assert items == {"CUST_BAT_00001": "high_debt", **config["demo_customers"]}


@pytest.fixture()
def batch_lake(tmp_path, config):
    """An empty lake but for one customer imported earlier (marked imported: a batch must never regenerate it)."""
    lake = Lake(tmp_path / "lake")
    outcome = run_steps(lake, IMPORTED, ["generate"], config, lambda *_: None,
                        {"generate": {"profile": "stable_income", "as_of": AS_OF}})
    assert outcome["status"] == "done"
    meta = lake.read_json(lake.customer_meta_path(IMPORTED))
    lake.write_json(lake.customer_meta_path(IMPORTED), {**meta, "profile": "imported", "source": "aa_import"})
    return lake


def test_batch_command_reports_each_customer_and_goes_on_after_failures(batch_lake, tmp_path, capsys):
    lake = batch_lake
    listing = tmp_path / "customers.txt"
    lines = [f"{cid},{profile}" for cid, profile in GOOD.items()]
    lines += [f"{BAD_PROFILE},no_such_profile", IMPORTED, "not_an_id"]
    listing.write_text("\n".join(lines) + "\n")

    status = main(["batch", "--customers", str(listing), "--workers", "2", "--steps", "generate,clean,analyze",
                   "--as-of", "2026-11", "--lake", str(lake.root)])
    out = capsys.readouterr().out
    assert status == 1
    assert "on 2 worker(s)" in out
    progress = re.findall(r"\[(\d+)/7\] (\S+) (done|error)", out)
    assert sorted(int(i) for i, _, _ in progress) == list(range(1, 8))  # every customer reported, counted in order
    outcome = {cid: result for _, cid, result in progress}
    assert outcome == {**{cid: "done" for cid in GOOD}, BAD_PROFILE: "error", IMPORTED: "done", "not_an_id": "error"}
    assert "unknown profile 'no_such_profile'" in out and "invalid customer id 'not_an_id'" in out
    assert "batch finished: 5 done, 2 failed of 7" in out and "customers/s" in out

    for cid, profile in GOOD.items():
        assert lake.read_json(lake.customer_meta_path(cid))["profile"] == profile
        assert lake.analytics_path(cid, "credit_score").exists()
        assert last_run(lake, cid)["status"] == "done"
    assert not lake.has_customer(BAD_PROFILE)
    # the imported customer was cleaned and analysed from its own raw data, never regenerated
    assert "generate skipped" in out
    assert lake.read_json(lake.customer_meta_path(IMPORTED))["profile"] == "imported"
    assert last_run(lake, IMPORTED)["steps"] == ["clean", "analyze"]


def test_batch_trains_or_loads_the_risk_model_once_before_scoring(tmp_path, config, small_risk_model):
    lake = small_risk_model(Lake(tmp_path / "lake"))
    model = lake.model_path("risk_model")
    before = model.stat().st_mtime_ns
    lines = []
    items = [BatchItem("CUST_BAT_00011", "customer_concentration"), BatchItem("CUST_BAT_00012", "high_debt")]
    with dask_client(workers=2) as client:
        summary = run_batch(client, lake, config, items, ["generate", "clean", "analyze", "score"],
                            lambda level, message: lines.append(message), AS_OF)
    assert summary["done"] == 2 and summary["failed"] == 0 and summary["workers"] == 2
    assert model.stat().st_mtime_ns == before  # loaded, not retrained
    for item in items:
        risk = lake.read_json(lake.analytics_path(item.customer_id, "risk_model"))
        assert risk["metrics"]["probability_of_default"]["value"] is not None
    assert lines[-1].startswith("batch finished: 2 done, 0 failed of 2")
