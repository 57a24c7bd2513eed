"""Lake paths and writes: ids checked first, writes atomic, erase complete."""
import os

import pytest

from pipeline.lake import InvalidCustomerIdError, Lake


@pytest.mark.parametrize("bad", ["../etc", "CUST_MSM_1", "", None, 12345, "CUST_MSM_000011", "CUST_MsM_00001", "CUST_MSM_0000١",
                                 "CUST_MSM_00001\n", "/abs/CUST_MSM_00001"])
def test_every_path_refuses_bad_ids_without_touching_the_disk(tmp_path, bad):
    lake = Lake(tmp_path / "lake")
    for build in (lambda: lake.raw_path(bad, "transactions"), lambda: lake.analytics_path(bad, "credit_score"),
                  lambda: lake.erase(bad), lambda: lake.log_path(bad, "injected")):
        with pytest.raises(InvalidCustomerIdError):
            build()
    assert not (tmp_path / "lake").exists()


def test_source_and_document_names_cannot_escape(tmp_path):
    lake = Lake(tmp_path)
    for bad in ("../x", "a/b", "", "UPPER"):
        with pytest.raises(ValueError):
            lake.raw_path("CUST_MSM_00001", bad)


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path):
    lake = Lake(tmp_path)
    path = lake.clean_path("CUST_MSM_00001", "transactions")
    lake.write_ndjson(path, [{"a": 1}])

    def exploding():
        yield {"a": 2}
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        lake.write_ndjson(path, exploding())
    assert lake.read_ndjson(path) == [{"a": 1}]
    assert os.listdir(path.parent) == ["transactions.ndjson"]  # no temp file left behind


def test_erase_removes_every_layer_and_audits(tmp_path):
    lake = Lake(tmp_path)
    cid = "CUST_MSM_00001"
    for layer in ("raw", "clean", "quarantine", "analytics", "logs"):
        (lake.customer_dir(layer, cid)).mkdir(parents=True)
        (lake.customer_dir(layer, cid) / "x.json").write_text("{}")
    other = lake.raw_path("CUST_MSM_00002", "accounts")
    lake.write_ndjson(other, [{"keep": True}])
    assert lake.erase(cid) == ["raw", "clean", "quarantine", "analytics", "logs"]
    assert lake.customers() == ["CUST_MSM_00002"]
    lake.audit("erase", cid, reason="test")
    lake.audit("erase", cid, reason="again")
    assert [e["reason"] for e in lake.read_audit(cid)] == ["test", "again"]
    assert lake.read_ndjson(other) == [{"keep": True}]


def test_erase_removes_the_officers_decisions_and_keeps_others(tmp_path):
    lake = Lake(tmp_path)
    mine, other = lake.officer_decisions_path("CUST_MSM_00001"), lake.officer_decisions_path("CUST_MSM_00002")
    for path in (mine, other):
        lake.append_line(path, {"decision": "DECLINE", "reason": "site visit"})
    assert mine.parent == lake.customer_dir("logs", "CUST_MSM_00001")
    assert lake.erase("CUST_MSM_00001") == ["logs"]
    assert not mine.exists() and lake.read_ndjson(other) == [{"decision": "DECLINE", "reason": "site visit"}]
    with pytest.raises(InvalidCustomerIdError):
        lake.officer_decisions_path("../CUST_MSM_00001")
