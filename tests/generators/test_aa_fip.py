"""The local FIP: what it holds (the generate stage's mess minus the unimportable), and the FI documents it sends."""
import datetime as dt

import orjson
import pytest

from generators.aa_fip import (DEPOSIT_VERSIONS, deposit_documents, fi_documents, fi_version_for, fip_records,
                               gstr_document, mask_gstin)
from generators.registry import generate_customer
from pipeline.aa_import import parse_aa_document
from pipeline.cleaning import clean_source
from pipeline.lake import Lake
from pipeline.stages import generate_stage

AS_OF = dt.date(2026, 11, 1)
CUSTOMER = "CUST_MSM_00003"


@pytest.fixture(scope="module")
def generated(config):
    return generate_customer(CUSTOMER, None, AS_OF, config)


def test_the_schema_version_is_a_stable_choice_per_customer(config):
    ids = [f"CUST_FIP_{i:05d}" for i in range(40)]
    first = [fi_version_for(c, config) for c in ids]
    assert first == [fi_version_for(c, {**config, "aa": {"fi_version": "mixed"}}) for c in ids]
    assert set(first) == set(DEPOSIT_VERSIONS)        # the demo covers both
    assert fi_version_for("CUST_MSM_00001", config) == "2.0.0"   # a SHA-256, never Python's salted hash()
    assert fi_version_for("CUST_MSM_00006", config) == "1.1"
    assert {fi_version_for(c, {"aa": {"fi_version": "1.1"}}) for c in ids} == {"1.1"}
    assert {fi_version_for(c, {"aa": {"fi_version": "2.0.0"}}) for c in ids} == {"2.0.0"}
    with pytest.raises(ValueError, match="fi_version"):
        fi_version_for(CUSTOMER, {"aa": {"fi_version": "3"}})


@pytest.mark.parametrize("source", ["accounts", "transactions", "gst_returns"])
def test_the_fip_holds_the_generate_stages_lines_but_the_unimportable(tmp_path, config, source):
    lake = Lake(tmp_path)
    generate_stage(lake, CUSTOMER, config, as_of=AS_OF)
    planted = lake.read_json(lake.log_path(CUSTOMER, "injected"))["sources"][source]
    raw = lake.read_lines(lake.raw_path(CUSTOMER, source))
    held, account = fip_records(CUSTOMER, source, AS_OF, config)
    lines = [orjson.dumps(r) for r in held]
    remaining = list(raw)
    for line in lines:            # in order, byte for byte, a sub-sequence of what generate wrote
        remaining = remaining[remaining.index(line) + 1:] if line in remaining else pytest.fail("not in raw")
    assert len(raw) - len(lines) == planted["expected"]["quarantined"]
    assert set(account) == set(planted)
    assert account["lines"] == len(held) and account["unrepairable"] == {}
    assert account["expected"] == {**planted["expected"], "quarantined": 0}
    assert account["duplicates"] == planted["duplicates"]
    report = clean_source(source, lines).report
    assert report["quarantined"]["total"] == 0 and report["written"] == account["expected"]["written"]
    assert report["repaired"] == account["repairs"] and report["missing_optional"] == account["missing_optional"]


def test_v1_and_v2_documents_import_to_the_same_records(generated, config):
    v1, v2 = (parse_aa_document(deposit_documents(generated, AS_OF, config, version)[0]) for version in DEPOSIT_VERSIONS)
    assert v1.fi_versions == ["1.1"] and v2.fi_versions == ["2.0.0"]
    assert v1.transactions == v2.transactions and len(v1.transactions) > 1000
    cleaned = [clean_source("accounts", [orjson.dumps({**a, "version": "-"}) for a in r.accounts]).clean
               for r in (v1, v2)]
    assert cleaned[0] == cleaned[1] and len(cleaned[0]) == 1


def test_a_v2_document_speaks_v2(generated, config):
    account = orjson.loads(deposit_documents(generated, AS_OF, config, "2.0.0")[0])["account"]
    assert account["version"] == "2.0.0" and account["type"] == "deposit"
    assert {"linkedAccRef", "maskedAccNumber", "profile", "summary", "transactions"} <= set(account)
    summary = account["summary"]
    assert {"ifsc", "accountType", "accountSubType", "pendingTxns", "exchgeRate"} <= set(summary)
    assert not {"ifscCode", "type"} & set(summary)
    holder = account["profile"]["holders"]["holder"][0]
    assert holder["ckycRegistered"] in ("YES", "NO") and "ckycCompliance" not in holder
    txns = account["transactions"]
    assert txns["startDate"] <= txns["endDate"] == "2026-10-31"
    assert all("transactionalBalance" in t and "currentBalance" not in t and "linkedAccRef" not in t
               for t in txns["transaction"])


def test_the_gstr1_3b_document_carries_the_returns_as_held(generated, config):
    doc = orjson.loads(gstr_document(generated, AS_OF, config))["account"]
    gstin = generated.customer["gstin"]
    assert doc["type"] == "gstr1_3b" and doc["version"] == "1.0.0" and doc["profile"]["gstin"] == gstin
    assert doc["maskedGstinNumber"] == mask_gstin(gstin) and gstin[2:12] not in doc["maskedGstinNumber"]
    held, _ = fip_records(CUSTOMER, "gst_returns", AS_OF, config)
    sent = doc["transactions"]["gstr1Details"]["gstr1"] + doc["transactions"]["gstr3bDetails"]["gstr3b"]
    assert sorted(map(orjson.dumps, sent)) == sorted(orjson.dumps(r) for r in held
                                                     if r["return_type"].upper() in ("GSTR1", "GSTR3B"))


def test_only_the_consented_fi_types_are_sent(config):
    assert fi_documents(CUSTOMER, ["MUTUAL_FUNDS"], AS_OF, config) == []
    assert [t for t, _ in fi_documents(CUSTOMER, ["GSTR1_3B"], AS_OF, config)] == ["GSTR1_3B"]
    both = fi_documents(CUSTOMER, ["DEPOSIT", "GSTR1_3B"], AS_OF, config)
    assert [t for t, _ in both] == ["DEPOSIT", "GSTR1_3B"]
    assert both == fi_documents(CUSTOMER, ["GSTR1_3B", "DEPOSIT"], AS_OF, config)   # deterministic bytes
