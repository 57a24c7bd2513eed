"""Mutual funds, insurance, OCEN and ONDC summaries on small hand-built records."""
from __future__ import annotations

from datetime import date

import pytest

from analytics.other_sources.insurance import summarize_insurance
from analytics.other_sources.mutual_funds import summarize_mutual_funds
from analytics.other_sources.ocen import decision, summarize_ocen
from analytics.other_sources.ondc import summarize_ondc
from tests.analytics.gst.test_summary import CONFIG, assert_metric_tree

AS_OF = date(2024, 7, 15)


# --- mutual funds -------------------------------------------------------------------------------------

def holding(folio, isin, units, nav, inv, lien=0.0, lockin=0.0, nav_date="2024-07-12", current=None):
    return {"recordType": "HOLDING", "folioNo": folio, "isin": isin, "amc": "AMC", "schemeCode": isin[-4:],
            "units": units, "nav": nav, "navDate": nav_date, "lienUnits": lien, "lockinUnits": lockin,
            "investmentValue": inv, "currentValue": units * nav if current is None else current}


def mf_txn(txn_id, day, amount, kind="SIP", mode=None):
    return {"recordType": "TRANSACTION", "folioNo": "F1", "isin": "INF000A01AB1", "txnId": txn_id, "type": kind,
            "amount": amount, "executionDate": day, **({"mode": mode} if mode else {})}


def test_mutual_funds_gain_lien_free_value_and_sip():
    # A: 1,000 units x 50 = 50,000 (cost 40,000), 200 units under lien. B (ELSS): 500 x 20 = 10,000 (cost 12,000),
    #    100 units locked in. A stale copy of A (older navDate) must be ignored.
    # current 60,000; invested 52,000; gain 8,000 = 15.3846%; lien value 200 x 50 = 10,000;
    # free = 800 x 50 + 400 x 20 = 48,000.
    # SIP: window after 2024-01-15 up to 2024-07-15 -> six instalments of 5,000 (Feb..Jul; Dec and 2024-01-05 are
    #  out) = 30,000 / 6 = 5,000 a month. A lumpsum BUY is not a SIP; a BUY in mode SIP is (counted: +6,000/6).
    recs = [holding("F1", "INF000A01AB1", 1000, 50, 40_000, lien=200),
            holding("F1", "INF000A01AB1", 1000, 45, 40_000, lien=200, nav_date="2024-06-01"),
            holding("F2", "INF000B01CD2", 500, 20, 12_000, lockin=100),
            *[mf_txn(f"S{m}", f"2024-{m:02d}-05", 5_000) for m in range(2, 8)],
            mf_txn("S0", "2023-12-05", 5_000), mf_txn("S1", "2024-01-05", 5_000),
            mf_txn("L1", "2024-03-10", 50_000, kind="BUY", mode="LUMPSUM"),
            mf_txn("B1", "2024-04-10", 6_000, kind="BUY", mode="SIP")]
    out = summarize_mutual_funds(recs, AS_OF, CONFIG)
    m = out["metrics"]
    assert (m["current_value"]["value"], m["investment_value"]["value"], m["gain_loss"]["value"]) == \
        (60_000, 52_000, 8_000)
    assert m["gain_loss_pct"]["value"] == pytest.approx(15.3846, abs=1e-4)
    assert m["lien_marked_units"]["value"] == 200 and m["lien_marked_value"]["value"] == 10_000
    assert m["free_value"]["value"] == 48_000
    assert m["folio_count"]["value"] == 2
    assert m["sip_monthly"]["value"] == 6_000      # (30,000 + 6,000) / 6
    assert sorted(m["sip_monthly"]["inputs"]["txn_ids"]) == ["B1", "S2", "S3", "S4", "S5", "S6", "S7"]
    assert len(out["holdings"]) == 2 and out["holdings"][0]["free_value"] == 40_000
    assert_metric_tree(out)


# --- insurance ----------------------------------------------------------------------------------------

def policy(number, ptype, status, premium, freq, sum_assured, cover=None, next_due=None, maturity=None):
    rec = {"policyNumber": number, "policyType": ptype, "policyStatus": status, "premiumAmount": premium,
           "premiumFrequency": freq, "sumAssured": sum_assured, "policyStartDate": "2020-04-01"}
    if cover is not None:
        rec["coverAmount"] = cover
    if next_due:
        rec["nextPremiumDueDate"] = next_due
    if maturity:
        rec["maturityDate"] = maturity
    return rec


def test_insurance_lapsed_overdue_and_premiums():
    # In force: P1 term (1,000 monthly -> 12,000 a year, due 2024-07-01 < as-of: overdue) and P4 fire
    # (12,000 annual, cover 50,00,000). P2, P3 lapsed; P5 matured; P6 says ACTIVE but matured 2024-01-01, so it
    # is not in force.
    # Annualised premium 24,000; total cover 1,00,00,000 + 50,00,000; business cover: P4 (FIRE).
    recs = [policy("P1", "TERM_PLAN", "ACTIVE", 1_000, "MONTHLY", 10_000_000, next_due="2024-07-01"),
            policy("P2", "ENDOWMENT", "LAPSED", 2_000, "QUARTERLY", 500_000),
            policy("P3", "ULIP", "LAPSED", 5_000, "ANNUAL", 300_000),
            policy("P4", "FIRE", "ACTIVE", 12_000, "ANNUAL", 5_000_000, cover=5_000_000, next_due="2025-04-01"),
            policy("P5", "ENDOWMENT", "MATURED", 3_000, "ANNUAL", 200_000),
            policy("P6", "HEALTH", "ACTIVE", 9_000, "ANNUAL", 400_000, maturity="2024-01-01")]
    out = summarize_insurance(recs, AS_OF, CONFIG)
    m = out["metrics"]
    assert m["lapsed_policies"]["value"] == 2 and m["lapsed_policies"]["inputs"]["policies"] == ["P2", "P3"]
    assert m["active_policies"]["value"] == 2 and m["active_policies"]["inputs"]["policies"] == ["P1", "P4"]
    assert m["annualised_premium"]["value"] == 24_000
    assert m["total_cover"]["value"] == 15_000_000 and m["total_sum_assured"]["value"] == 15_000_000
    assert m["premium_overdue"]["value"] == 1 and m["premium_overdue"]["inputs"]["policies"] == ["P1"]
    assert m["keyman_or_business_cover"]["value"] is True
    assert m["keyman_or_business_cover"]["inputs"]["policies"] == ["P4"]
    assert len(out["policies"]) == 6
    assert_metric_tree(out)


# --- OCEN ---------------------------------------------------------------------------------------------

def app(app_id, status, history, created="2024-05-01T10:00:00+05:30", **fields):
    hist = [{"status": s, "timestamp": ts} for s, ts in history]
    return {"loanApplicationId": app_id, "createdAt": created, "lender": {"id": "L1", "name": "Lender One"},
            "productType": "WORKING_CAPITAL", "requestedAmount": 500_000, "tenureMonths": 12, "status": status,
            "statusHistory": hist, **fields}


T0 = "2024-05-01T10:00:00+05:30"


@pytest.fixture
def applications():
    # A disbursed (offered after 2 days), B rejected after 4 days, C offered (1 day) then cancelled by the
    # borrower, D cancelled before any offer, E still processing, F rejected after 1 day. A second disbursed
    # loan G (created 2024-01-10, offer after 3 days) is in arrears.
    # Decided = A, B, C, F, G; approved = A, C, G -> 3/5 = 0.6. Mean days to decision = (2+4+1+1+3)/5 = 2.2.
    # Created after 2024-04-16 (90 days before as-of): A..F = 6; G is older.
    return [
        app("A", "DISBURSED", [("CREATED", T0), ("OFFERED", "2024-05-03T10:00:00+05:30"),
                               ("DISBURSED", "2024-05-10T10:00:00+05:30")],
            disbursedAt="2024-05-10T10:00:00+05:30", disbursedAmount=400_000, sanctionedAmount=400_000,
            interestRate=18, loanStatus="EMI_PAID", emiAmount=36_000),
        app("B", "REJECTED", [("CREATED", T0), ("REJECTED", "2024-05-05T10:00:00+05:30")],
            rejectionReason="LOW_CREDIT_SCORE"),
        app("C", "CANCELLED", [("CREATED", T0), ("OFFERED", "2024-05-02T10:00:00+05:30"),
                               ("CANCELLED", "2024-05-04T10:00:00+05:30")]),
        app("D", "CANCELLED", [("CREATED", T0), ("CANCELLED", "2024-05-02T10:00:00+05:30")]),
        app("E", "PROCESSING", [("CREATED", T0), ("PROCESSING", "2024-05-01T11:00:00+05:30")]),
        app("F", "REJECTED", [("CREATED", T0), ("REJECTED", "2024-05-02T10:00:00+05:30")], rejectionReason="FRAUD"),
        app("G", "DISBURSED", [("CREATED", "2024-01-10T09:00:00+05:30"), ("OFFERED", "2024-01-13T09:00:00+05:30")],
            created="2024-01-10T09:00:00+05:30", disbursedAt="2024-01-20T12:00:00+05:30", disbursedAmount=200_000,
            sanctionedAmount=200_000, interestRate=20, loanStatus="EMI_OVERDUE", emiAmount=19_000),
    ]


def test_ocen_approval_rate_and_decisions(applications):
    assert [decision(a) for a in applications] == ["APPROVED", "REJECTED", "APPROVED", "UNDECIDED", "UNDECIDED",
                                                   "REJECTED", "APPROVED"]
    out = summarize_ocen(applications, AS_OF, CONFIG)
    m = out["metrics"]
    assert m["applications"]["value"] == 7
    assert m["approval_rate"]["value"] == 0.6
    assert m["approval_rate"]["inputs"]["undecided"] == ["D", "E"]
    assert m["rejections"]["value"] == 2
    assert m["avg_time_to_decision_days"]["value"] == pytest.approx(2.2)
    assert m["disbursed_amount"]["value"] == 600_000
    assert m["active_loans"]["value"] == 2 and m["overdue_or_npa_loans"]["inputs"]["applications"] == ["G"]
    assert m["recent_applications_90d"]["value"] == 6
    assert {r["reason"]: r["count"]["value"] for r in out["rejection_reasons"]} == {"FRAUD": 1, "LOW_CREDIT_SCORE": 1}
    states = {r["status"]: r["count"]["value"] for r in out["by_state"]}
    assert states == {"PROCESSING": 1, "DISBURSED": 2, "REJECTED": 2, "CANCELLED": 2}
    assert_metric_tree(out)


def test_ocen_nothing_decided_is_missing_rate():
    out = summarize_ocen([app("E", "PROCESSING", [("CREATED", T0)])], AS_OF, CONFIG)
    assert out["metrics"]["approval_rate"]["value"] is None
    assert out["metrics"]["avg_time_to_decision_days"]["value"] is None
    assert_metric_tree(out)


# --- ONDC ---------------------------------------------------------------------------------------------

def order(oid, state, value, codes=(), settlements=(), created="2024-06-01T10:00:00+05:30", bap="buyer.app.one"):
    return {"id": oid, "state": state, "provider": {"id": "P1"}, "bap_id": bap, "created_at": created,
            "items": [{"id": "I1", "quantity": {"count": 1}, "price": {"currency": "INR", "value": value}}],
            "quote": {"price": {"currency": "INR", "value": value}},
            "fulfillments": [{"state": {"descriptor": {"code": c}}} for c in codes],
            "payment": {"status": "PAID", "type": "ON-ORDER", "@ondc/org/settlement_details": [
                {"settlement_counterparty": "seller-app", "settlement_status": st, "settlement_timestamp": ts,
                 "settlement_amount": amt} for st, ts, amt in settlements]}}


def test_ondc_gmv_cancellation_rto_and_settlement():
    # O1 completed 1,000, settled 980 two days later; O2 completed 3,000 (a July order) settled 2,940 four days
    # later; O3 cancelled before dispatch; O4 completed 2,000, settlement NOT-PAID -> pending; O5 shipped then
    # returned (RTO-Delivered) and cancelled.
    # GMV 6,000 over 3 completed -> AOV 2,000; cancellation 2/5 = 0.4; shipped = O1, O2, O4, O5 -> RTO 1/4 = 0.25;
    # settlement delay (2 + 4) / 2 = 3 days; settled 3,920; pending 1 order worth 2,000.
    orders = [
        order("O1", "Completed", 1_000, ["Order-delivered"], [("PAID", "2024-06-03T10:00:00+05:30", 980)]),
        order("O2", "Completed", 3_000, ["Order-delivered"], [("PAID", "2024-07-05T10:00:00+05:30", 2_940)],
              created="2024-07-01T10:00:00+05:30", bap="buyer.app.two"),
        order("O3", "Cancelled", 500, ["Cancelled"]),
        order("O4", "Completed", 2_000, ["Order-delivered"], [("NOT-PAID", None, 1_960)]),
        order("O5", "Cancelled", 700, ["Order-picked-up", "RTO-Delivered"]),
    ]
    out = summarize_ondc(orders, AS_OF, CONFIG)
    m = out["metrics"]
    assert (m["orders"]["value"], m["completed_orders"]["value"], m["gmv"]["value"]) == (5, 3, 6_000)
    assert m["avg_order_value"]["value"] == 2_000
    assert m["cancellation_rate"]["value"] == 0.4
    assert m["rto_rate"]["value"] == 0.25 and m["rto_rate"]["inputs"]["orders"] == ["O5"]
    assert m["avg_settlement_delay_days"]["value"] == 3
    assert m["settled_amount"]["value"] == 3_920
    assert m["pending_settlements"]["value"] == 1 and m["pending_settlements"]["inputs"]["orders"] == ["O4"]
    assert m["pending_settlement_amount"]["value"] == 2_000
    assert out["monthly"] == [
        {"month": "2024-06", "orders": 4, "completed_orders": 2, "cancelled_orders": 2, "gmv": 3_000, "settled": 980},
        {"month": "2024-07", "orders": 1, "completed_orders": 1, "cancelled_orders": 0, "gmv": 3_000, "settled": 2_940}]
    assert [a["bap_id"] for a in out["top_buyer_apps"]] == ["buyer.app.one", "buyer.app.two"]
    assert out["top_buyer_apps"][0]["gmv_share"] == 0.5
    assert_metric_tree(out)


# --- no data ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("summarize, reason", [
    (summarize_mutual_funds, "no mutual funds data delivered"),
    (summarize_insurance, "no insurance data delivered"),
    (summarize_ocen, "no OCEN data delivered"),
    (summarize_ondc, "no ONDC data delivered"),
])
def test_empty_source_gives_missing_metrics(summarize, reason):
    out = summarize([], AS_OF, CONFIG)
    assert out["metrics"]
    for key, m in out["metrics"].items():
        assert m["value"] is None and m["reason"] == reason, key
    assert_metric_tree(out)
