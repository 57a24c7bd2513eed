"""Each profile's defining property, computed from the records, for demo ids and forced random ids."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest

from .conftest import by_profile
from .metrics import (NON_BUSINESS, TAX, business_credits, counterparty, cv, gstr3b, month_key, monthly_debits,
                      period_month,
                      revolving_utilisation, turnover)


def growth_ratio(g) -> float:
    values = [turnover(r) for r in gstr3b(g)]
    return sum(values[-3:]) / sum(values[:3])


def festive_ratio(g) -> float:
    rows = gstr3b(g)
    fest = [turnover(r) for r in rows if r["ret_prd"][:2] in ("10", "11", "12")]
    rest = [turnover(r) for r in rows if r["ret_prd"][:2] not in ("10", "11", "12")]
    return (sum(fest) / len(fest)) / (sum(rest) / len(rest))


def credit_cv(g) -> float:
    return cv(list(business_credits(g).values()))


def top_share(g) -> float:
    shares = Counter()
    for t in g.records["transactions"]:
        if t["type"] == "CREDIT" and g.txn_categories[t["txnId"]] not in ("self_transfer_in", "loan_disbursal",
                                                                            "reversal", "refund", "self_upi_credit"):
            shares[counterparty(t["narration"])] += t["amount"]
    return shares.most_common(1)[0][1] / sum(shares.values())


def emi_ratios(g) -> list[float]:
    """EMIs / business credits per month; planted window-dressing credits are not the business's income."""
    credits, emis = business_credits(g), monthly_debits(g, "emi")
    dressed = {t for c in g.truth["planted"]["window_dressing"] for t in c["txn_ids"]}
    for t in g.records["transactions"]:
        if t["txnId"] in dressed and g.txn_categories[t["txnId"]] not in NON_BUSINESS:
            credits[month_key(t["transactionTimestamp"])] -= t["amount"]
    return [emis.get(m, 0.0) / credits[m] for m in sorted(credits)]


def high_itc_returns(g) -> int:
    return sum(1 for r in gstr3b(g) if sum(r["itc_elg"]["itc_net"].get(k, 0.0) for k in TAX)
               >= 0.95 * sum(r["sup_details"]["osup_det"].get(k, 0.0) for k in TAX))


def late_returns(g) -> int:
    return sum(1 for r in gstr3b(g) if r["dof"] > r["due_date"])


def gst_above_bank_months(g) -> int:
    credits = business_credits(g)
    return sum(1 for r in gstr3b(g) if turnover(r) >= 1.5 * credits.get(period_month(r), 0.0))


def circular_pairs(g) -> list[tuple[str, str]]:
    """Credit and debit with the same counterparty within 3 days and amounts within 5%."""
    debits = defaultdict(list)
    for t in g.records["transactions"]:
        if t["type"] == "DEBIT":
            debits[counterparty(t["narration"])].append(t)
    out = []
    for c in g.records["transactions"]:
        party = counterparty(c["narration"])
        if c["type"] != "CREDIT" or party == c["narration"] or party == "SELF" or party not in debits \
                or g.txn_categories[c["txnId"]] in ("reversal", "refund"):   # money back is not a round trip
            continue
        day = dt.date.fromisoformat(c["valueDate"])
        for d in debits[party]:
            if abs(d["amount"] - c["amount"]) <= 0.05 * c["amount"]:
                if 0 <= (dt.date.fromisoformat(d["valueDate"]) - day).days <= 3:
                    out.append((c["txnId"], d["txnId"]))
    return out


def test_high_growth_last_three_returns_at_least_four_times_the_first(all_customers):
    for g in by_profile(all_customers, "high_growth"):
        assert growth_ratio(g) >= 4.0, g.customer_id
    assert growth_ratio(by_profile(all_customers, "baseline")[0]) < 4.0


def test_declining_last_three_returns_at_most_thirty_percent_of_the_first(all_customers):
    for g in by_profile(all_customers, "declining"):
        assert growth_ratio(g) <= 0.3, g.customer_id
    assert growth_ratio(by_profile(all_customers, "stable_income")[0]) > 0.3


def test_high_seasonality_festive_quarter_at_least_two_and_a_half_times_the_rest(all_customers):
    for g in by_profile(all_customers, "high_seasonality"):
        assert festive_ratio(g) >= 2.5, g.customer_id
    assert festive_ratio(by_profile(all_customers, "baseline")[0]) < 2.5


def test_stable_income_business_credits_vary_by_at_most_ten_percent(all_customers):
    for g in by_profile(all_customers, "stable_income"):
        assert len(business_credits(g)) == 36
        assert credit_cv(g) <= 0.10, g.customer_id
    assert credit_cv(by_profile(all_customers, "high_growth")[0]) > 0.10


def test_customer_concentration_one_payer_brings_half_the_business_credits(all_customers):
    for g in by_profile(all_customers, "customer_concentration"):
        assert top_share(g) >= 0.5, g.customer_id
        anchor = g.truth["anchor_buyer"]["name"].upper().replace("&", "AND")
        assert any(anchor in t["narration"] for t in g.records["transactions"])
    assert top_share(by_profile(all_customers, "baseline")[0]) < 0.5


def test_high_debt_emis_take_half_the_inflows_every_month_and_lines_are_drawn(all_customers):
    for g in by_profile(all_customers, "high_debt"):
        ratios = emi_ratios(g)
        assert len(ratios) == 36 and min(ratios) >= 0.5, (g.customer_id, min(ratios))
        assert revolving_utilisation(g) >= 0.8
    other = by_profile(all_customers, "baseline")[0]
    assert max(emi_ratios(other)) < 0.5 and revolving_utilisation(other) < 0.8


def test_fraud_shows_its_red_flags_without_labels(all_customers):
    for g in by_profile(all_customers, "fraud"):
        n = len(gstr3b(g))
        assert high_itc_returns(g) >= n / 2, g.customer_id
        assert late_returns(g) >= 8
        assert gst_above_bank_months(g) >= 10
        pairs = circular_pairs(g)
        assert len({c for c, _ in pairs}) >= 4
        truth = {(p["in"], p["out"]) for p in g.truth["circular_pairs"]}
        assert truth and truth <= set(pairs)
        round_cash = [t for t in g.records["transactions"] if t["mode"] == "CASH" and t["type"] == "CREDIT"
                      and t["amount"] >= 100_000 and t["amount"] % 10_000 == 0]
        assert len(round_cash) >= 3
        assert not any("fraud" in str(r).lower() for r in g.records["gst_returns"][:4])


@pytest.mark.parametrize("profile", ["baseline", "stable_income", "high_growth", "customer_concentration"])
def test_honest_profiles_do_not_look_like_fraud(all_customers, profile):
    for g in by_profile(all_customers, profile):
        assert high_itc_returns(g) == 0
        assert not g.truth["circular_pairs"] and len(circular_pairs(g)) <= 1
        assert late_returns(g) < 8


def test_bureau_scores_and_credit_hunger_follow_the_profile(all_customers):
    def score(g):
        return next(r["score"] for r in g.records["credit_bureau"] if r["segment"] == "HEADER")

    def recent_enquiries(g):
        return sum(1 for r in g.records["credit_bureau"] if r["segment"] == "ENQUIRY" and r["enquiryDate"] >= "2026-08-03")

    for g in all_customers:
        assert 300 <= score(g) <= 900
    for g in by_profile(all_customers, "high_debt"):
        assert score(g) <= 650 and recent_enquiries(g) >= 5
    for g in by_profile(all_customers, "declining"):
        assert score(g) <= 690 and recent_enquiries(g) >= 5
    for g in by_profile(all_customers, "stable_income"):
        assert score(g) >= 760 and recent_enquiries(g) <= 3


def test_stressed_profiles_show_dpd_lapses_and_liens(all_customers):
    def worst_dpd(g):
        codes = []
        for r in g.records["credit_bureau"]:
            if r["segment"] == "TRADELINE":
                h = r["paymentHistory"]
                codes += [int(h[i:i + 3]) for i in range(0, len(h), 3) if h[i:i + 3].isdigit()]
        return max(codes)

    for profile in ("high_debt", "declining"):
        for g in by_profile(all_customers, profile):
            assert worst_dpd(g) >= 30, g.customer_id
            assert any(p["policyStatus"] == "LAPSED" for p in g.records["insurance_policies"])
    for g in by_profile(all_customers, "high_debt"):
        assert any(r.get("lienUnits", 0) > 0 for r in g.records["mutual_funds"] if r["recordType"] == "HOLDING")
    for g in by_profile(all_customers, "stable_income"):
        assert worst_dpd(g) == 0
        assert all(p["policyStatus"] == "ACTIVE" for p in g.records["insurance_policies"])
