"""Every record of every source, for every profile, is valid against its JSON Schema."""
from __future__ import annotations

import datetime as dt

import fastjsonschema

from .conftest import AS_OF


def _reasons(g, source, i, record, validators) -> list[str]:
    return [f"{g.customer_id}/{g.profile}/{source}[{i}] {err.json_path}: {err.message}"
            for err in validators[source].iter_errors(record)]


def test_every_record_of_one_customer_per_profile_validates_with_draft_2020_12(demo_customers, validators):
    seen, failures = set(), []
    for g in demo_customers.values():
        if g.profile in seen:
            continue
        seen.add(g.profile)
        for source, records in g.records.items():
            for i, record in enumerate(records):
                failures += _reasons(g, source, i, record, validators)
    assert len(seen) == 8
    assert not failures, "\n".join(failures[:20])


def test_every_record_of_every_customer_validates(all_customers, fast_validators, validators):
    failures = []
    for g in all_customers:
        for source, records in g.records.items():
            check = fast_validators[source]
            for i, record in enumerate(records):
                try:
                    check(record)
                except fastjsonschema.JsonSchemaException as exc:
                    failures += _reasons(g, source, i, record, validators) or [f"{g.customer_id}/{source}[{i}]: {exc}"]
    assert not failures, "\n".join(failures[:20])


def test_the_validators_reject_a_broken_record(all_customers, fast_validators, validators):
    txn = dict(all_customers[0].records["transactions"][0], amount=0.0, mode="CHEQUE")
    assert len(list(validators["transactions"].iter_errors(txn))) == 2
    try:
        fast_validators["transactions"](txn)
    except fastjsonschema.JsonSchemaException:
        pass
    else:
        raise AssertionError("fastjsonschema accepted an invalid transaction")


def test_consent_validates_and_says_what_the_brief_requires(all_customers, validators):
    for g in all_customers:
        c = g.consent
        assert not list(validators["consent"].iter_errors(c))
        assert (c["status"], c["consentMode"], c["fetchType"]) == ("ACTIVE", "STORE", "PERIODIC")
        assert c["Purpose"]["code"] == "104" and c["Purpose"]["text"]
        assert {"DEPOSIT", "GSTR1_3B", "MUTUAL_FUNDS", "INSURANCE_POLICIES"} <= set(c["fiTypes"])
        assert c["DataLife"] == {"unit": "YEAR", "value": 1} and c["Frequency"] == {"unit": "MONTH", "value": 1}
        assert c["consentStart"] == f"{AS_OF.isoformat()}T10:00:00+05:30"
        assert c["consentExpiry"] == "2027-11-01T10:00:00+05:30"
        assert c["FIDataRange"]["from"] == "2023-11-01T00:00:00+05:30"
        assert c["FIDataRange"]["to"] == "2026-10-31T23:59:59+05:30"
        assert c["customer_id"] == g.customer_id


def test_amounts_are_rounded_to_paise(all_customers):
    for g in all_customers:
        for t in g.records["transactions"]:
            for key in ("amount", "currentBalance"):
                assert round(t[key], 2) == t[key]
        for r in g.records["gst_returns"]:
            if r["return_type"] == "GSTR3B":
                assert round(r["sup_details"]["osup_det"]["txval"], 2) == r["sup_details"]["osup_det"]["txval"]


def test_transactions_always_carry_reference_mode_and_value_date(all_customers):
    for g in all_customers:
        for t in g.records["transactions"]:
            assert t["reference"] and t["mode"] and dt.date.fromisoformat(t["valueDate"])
            assert isinstance(t["amount"], float)
        for a in g.records["accounts"]:
            assert a["profile"]["holders"]["holder"][0]["ckycCompliance"] is True
