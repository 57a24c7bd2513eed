"""Which of a customer's data an AA import keeps: all of it when the delivery is their own, none when it is not."""
import datetime as dt

import orjson
import pytest

from generators.aa_fip import fi_documents
from pipeline.aa_store import import_aa
from pipeline.lake import SOURCES, Lake
from pipeline.stages import generate_stage

AS_OF = dt.date(2026, 11, 1)
CUSTOMER, STRANGER = "CUST_MSM_00006", "CUST_MSM_00003"


@pytest.fixture()
def lake(tmp_path, config):
    lake = Lake(tmp_path / "lake")
    generate_stage(lake, CUSTOMER, config, as_of=AS_OF)
    return lake


def _document(tmp_path, customer_id, fi_type, config, name="fi.json"):
    [(_, doc)] = fi_documents(customer_id, [fi_type], AS_OF, config)
    path = tmp_path / name
    path.write_bytes(doc)
    return path


def _files(lake):
    paths = [lake.raw_path(CUSTOMER, s) for s in SOURCES]
    paths += [lake.consent_path(CUSTOMER), lake.log_path(CUSTOMER, "injected"), lake.customer_meta_path(CUSTOMER)]
    return {p.name: p.read_bytes() for p in paths if p.exists()}


def test_the_customers_own_accounts_replace_only_accounts_and_transactions(tmp_path, config, lake):
    before = _files(lake)
    result = import_aa(lake, CUSTOMER, _document(tmp_path, CUSTOMER, "DEPOSIT", config))
    after = _files(lake)
    changed = {name for name in before if after.get(name) != before[name]}
    assert changed == {"accounts.ndjson", "transactions.ndjson", "customer.json"}
    meta = orjson.loads(after["customer.json"])
    assert {k: v for k, v in meta.items() if k != "aa_fetch"} == orjson.loads(before["customer.json"])
    assert meta["aa_fetch"]["source"] == "fi.json" and meta["aa_fetch"]["fi_versions"] == {"DEPOSIT": ["1.1"]}
    assert meta["aa_fetch"]["counts"] == {"accounts": 1, "transactions": len(result.transactions)}
    [warning] = result.warnings
    assert "replaced raw accounts, transactions" in warning and "kept gst_returns, credit_bureau" in warning


def test_the_customers_own_gst_returns_replace_gstr1_and_3b_only(tmp_path, config, lake):
    def by_type(lines):
        kinds = {}
        for line in lines:
            try:
                kind = str(orjson.loads(line).get("return_type")).upper()
            except orjson.JSONDecodeError:
                kind = "unreadable"
            kinds.setdefault(kind, []).append(line)
        return kinds

    before, raw_before = _files(lake), by_type(lake.read_lines(lake.raw_path(CUSTOMER, "gst_returns")))
    result = import_aa(lake, CUSTOMER, _document(tmp_path, CUSTOMER, "GSTR1_3B", config))
    after, raw_after = _files(lake), by_type(lake.read_lines(lake.raw_path(CUSTOMER, "gst_returns")))
    assert {n for n in before if after.get(n) != before[n]} == {"gst_returns.ndjson", "customer.json"}
    assert raw_after["GSTR2B"] == raw_before["GSTR2B"]          # not delivered by GSTR1_3B, so kept as it was
    assert raw_after.get("unreadable") == raw_before.get("unreadable")
    assert len(raw_after["GSTR1"]) + len(raw_after["GSTR3B"]) == len(result.gst_returns)
    assert "replaced raw gst_returns" in result.warnings[0]


@pytest.mark.parametrize("fi_type", ["DEPOSIT", "GSTR1_3B"])
def test_another_customers_data_replaces_the_synthetic_customer(tmp_path, config, lake, fi_type):
    result = import_aa(lake, CUSTOMER, _document(tmp_path, STRANGER, fi_type, config))
    delivered = {"DEPOSIT": {"accounts", "transactions"}, "GSTR1_3B": {"gst_returns"}}[fi_type]
    assert {s for s in SOURCES if lake.raw_path(CUSTOMER, s).exists()} == delivered
    assert not lake.consent_path(CUSTOMER).exists() and not lake.log_path(CUSTOMER, "injected").exists()
    meta = lake.read_json(lake.customer_meta_path(CUSTOMER))
    assert meta["profile"] == "imported" and "aa_fetch" not in meta
    assert "replaced the synthetic data" in result.warnings[-1]


def test_a_partial_match_of_accounts_is_not_the_customers_own(tmp_path, config, lake):
    doc = orjson.loads(_document(tmp_path, CUSTOMER, "DEPOSIT", config).read_bytes())
    doc["account"]["maskedAccNumber"] = "XXXXXXXX0000"        # same linkedAccRef, another account number
    path = tmp_path / "other.json"
    path.write_bytes(orjson.dumps(doc))
    import_aa(lake, CUSTOMER, path)
    assert not lake.raw_path(CUSTOMER, "credit_bureau").exists()
    assert lake.read_json(lake.customer_meta_path(CUSTOMER))["profile"] == "imported"
