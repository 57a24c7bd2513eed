"""Mutual-fund analytics: the body of ``mutual_funds_summary.json`` from clean AA MUTUAL_FUNDS records.

A lender reads three things here: the borrower's liquid savings (current value and gain), how much of it
could secure a loan against mutual funds (``free_value``: units neither lien-marked nor locked in, at the
latest NAV), and saving discipline (the running SIP). Holdings are one per (folio, ISIN); when the same
holding arrives twice, the copy with the latest ``navDate`` is used.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from analytics.bureau.summary import months_before
from analytics.metric import metric, missing

NO_DATA = "no mutual funds data delivered"
SIP_MONTHS = 6
UNITS = {"current_value": "INR", "investment_value": "INR", "gain_loss": "INR", "gain_loss_pct": "%",
         "lien_marked_units": "units", "lien_marked_value": "INR", "free_value": "INR", "folio_count": "count",
         "sip_monthly": "INR/month"}


def _latest_holdings(records: list[dict]) -> list[dict]:
    latest: dict[tuple[str, str], dict] = {}
    for rec in records:
        if rec.get("recordType") != "HOLDING":
            continue
        key = (rec["folioNo"], rec["isin"])
        if key not in latest or rec["navDate"] > latest[key]["navDate"]:
            latest[key] = rec
    return sorted(latest.values(), key=lambda h: (h["folioNo"], h["isin"]))


def _n(rec: dict, key: str) -> float:
    return float(rec.get(key) or 0)


def _free_units(h: dict) -> float:
    return max(_n(h, "units") - _n(h, "lienUnits") - _n(h, "lockinUnits"), 0.0)


def _portfolio(holdings: list[dict]) -> dict[str, dict]:
    ids = [f"{h['folioNo']}:{h['isin']}" for h in holdings]
    cur = sum(_n(h, "currentValue") for h in holdings)
    inv = sum(_n(h, "investmentValue") for h in holdings)
    out = {
        "current_value": metric(cur, "INR", "Σ currentValue of holdings", {"holdings": ids,
                                "current_values": [_n(h, "currentValue") for h in holdings]},
                                "Market value of the mutual-fund portfolio as reported by the AMC."),
        "investment_value": metric(inv, "INR", "Σ investmentValue of holdings", {"holdings": ids,
                                   "investment_values": [_n(h, "investmentValue") for h in holdings]},
                                   "Amount invested (cost) in the current holdings."),
        "gain_loss": metric(cur - inv, "INR", "current_value - investment_value",
                            {"current_value": cur, "investment_value": inv}, "Unrealised gain (+) or loss (-)."),
    }
    out["gain_loss_pct"] = (metric((cur - inv) / inv * 100, "%", "(current_value - investment_value) / "
                                   "investment_value x 100", {"current_value": cur, "investment_value": inv},
                                   "Unrealised return on cost, in percent.")
                            if inv else missing("%", "gain_loss / investment_value x 100", "investment value is zero"))
    lien = [h for h in holdings if _n(h, "lienUnits") > 0]
    out["lien_marked_units"] = metric(sum(_n(h, "lienUnits") for h in lien), "units", "Σ lienUnits",
                                      {"holdings": [f"{h['folioNo']}:{h['isin']}" for h in lien],
                                       "lien_units": [_n(h, "lienUnits") for h in lien]},
                                      "Units already pledged to a lender.")
    out["lien_marked_value"] = metric(sum(_n(h, "lienUnits") * _n(h, "nav") for h in lien), "INR",
                                      "Σ lienUnits x nav", {"lien_units": [_n(h, "lienUnits") for h in lien],
                                                            "nav": [_n(h, "nav") for h in lien]},
                                      "Value already securing someone's loan.")
    out["free_value"] = metric(sum(_free_units(h) * _n(h, "nav") for h in holdings), "INR",
                               "Σ max(units - lienUnits - lockinUnits, 0) x nav",
                               {"holdings": ids, "free_units": [_free_units(h) for h in holdings],
                                "nav": [_n(h, "nav") for h in holdings]},
                               "Value neither pledged nor locked in (ELSS): what could secure a loan against MF.")
    folios = sorted({h["folioNo"] for h in holdings})
    out["folio_count"] = metric(len(folios), "count", "distinct folioNo among holdings", {"folios": folios},
                                "Number of folios (AMC accounts) held.")
    return out


def _sip(records: list[dict], as_of: date) -> dict:
    start = months_before(as_of, SIP_MONTHS)
    sips = [r for r in records if r.get("recordType") == "TRANSACTION"
            and (r.get("type") == "SIP" or (r.get("type") == "BUY" and r.get("mode") == "SIP"))
            and start.isoformat() < r["executionDate"] <= as_of.isoformat()]
    total = sum(_n(r, "amount") for r in sips)
    return metric(total / SIP_MONTHS, "INR/month",
                  f"Σ SIP instalments dated after {start.isoformat()} up to {as_of.isoformat()} / {SIP_MONTHS}",
                  {"txn_ids": [r["txnId"] for r in sips], "amounts": [_n(r, "amount") for r in sips],
                   "total": total}, "Average monthly SIP over the last six months; a stopped SIP pulls it down.")


def _holding_row(h: dict) -> dict[str, Any]:
    keys = ("folioNo", "amc", "schemeName", "schemeCode", "isin", "schemeCategory", "units", "nav", "navDate",
            "lienUnits", "lockinUnits", "investmentValue", "currentValue")
    return {**{k: h.get(k) for k in keys}, "gain_loss": round(_n(h, "currentValue") - _n(h, "investmentValue"), 2),
            "free_value": round(_free_units(h) * _n(h, "nav"), 2)}


def summarize_mutual_funds(records: list[dict], as_of: date, config: dict) -> dict:
    """The body of ``mutual_funds_summary.json``: portfolio value, gain, lien and free value, SIP, holdings.

    Why: savings show resilience, SIPs show discipline, and unpledged units are collateral a lender can
    take a lien on; lien-marked units show borrowing already secured on them.
    """
    if not records:
        return {"metrics": {k: missing(u, "see data dictionary: mutual_funds", NO_DATA) for k, u in UNITS.items()},
                "holdings": []}
    holdings = _latest_holdings(records)
    if holdings:
        metrics = _portfolio(holdings)
    else:
        metrics = {k: missing(u, "over HOLDING records", "no mutual fund holdings delivered (transactions only)")
                   for k, u in UNITS.items() if k != "sip_monthly"}
    metrics["sip_monthly"] = _sip(records, as_of)
    return {"metrics": metrics, "holdings": [_holding_row(h) for h in holdings]}
