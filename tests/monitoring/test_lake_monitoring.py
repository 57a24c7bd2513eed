"""The Lake's monitoring paths and appends: ids checked first, batch appends, tails, erase."""
import pytest

from pipeline.lake import Lake


@pytest.mark.parametrize("bad", ["../x", "a/b", "", ".hidden", "x" * 65, None, "OC 1", "ＯＣ1"])
def test_a_loan_id_that_cannot_name_a_file_is_refused_before_the_disk(tmp_path, bad):
    lake = Lake(tmp_path)
    with pytest.raises(ValueError):
        lake.risk_history_path(bad)
    assert not any(tmp_path.iterdir())


def test_unrouted_quarantine_is_not_a_customer(tmp_path):
    lake = Lake(tmp_path)
    lake.append_lines(lake.unrouted_quarantine_path("repayment_events"), [b'{"a":1}'])
    assert lake.customers() == [] and lake.unrouted_quarantine_path("repayment_events").exists()


def test_appends_return_the_size_and_the_last_line_is_read_from_the_tail(tmp_path):
    lake = Lake(tmp_path)
    path = lake.risk_history_path("OC123")
    assert lake.read_last_line(path) is None
    size = lake.append_lines(path, [b'{"n":1}', b'{"n":2}'], sync=False)
    assert size == path.stat().st_size == 16
    lake.sync([path, path])
    long_line = b'{"n":"' + b"x" * 200_000 + b'"}'
    lake.append_lines(path, [long_line], sync=True)
    assert lake.read_last_line(path, chunk=1024) == long_line
    assert lake.read_ndjson(path)[0] == {"n": 1}


def test_erase_removes_the_loan_book_and_its_risk_histories(tmp_path):
    lake = Lake(tmp_path)
    cid = "CUST_TST_00001"
    lake.write_json(lake.loan_book_path(cid), {"customer_id": cid, "loans": [{"loan_id": "OC1"}, {"loan_id": "OC2"}]})
    for loan_id in ("OC1", "OC2", "OC3"):
        lake.append_lines(lake.risk_history_path(loan_id), [b"{}"], sync=False)
    lake.write_json(lake.analytics_path(cid, "credit_score"), {})
    assert lake.erase(cid) == ["analytics", "monitoring"]
    assert not lake.loan_book_path(cid).exists() and lake.loan_book_customers() == []
    assert [p.name for p in (tmp_path / "monitoring" / "risk").iterdir()] == ["OC3.ndjson"]  # another customer's
    assert lake.erase(cid) == []
