"""ML anomaly detection: the body of ``enhanced_anomalies.json``, beside the rule-based report.

* **Isolation Forest** (scikit-learn) over the per-transaction features of
  :mod:`analytics.anomalies.ml_features`: every transaction gets an anomaly score (``-score_samples``,
  higher = isolated sooner = more unusual); the ``top_k`` highest are flagged with the features that put
  them furthest from this customer's typical values, in words. The model is fitted on the customer's own
  statement: "unusual" means unusual *for this business*, not against a population.
* **Change points** (``ruptures``) in monthly net cash flow and monthly business credits: the series is
  scaled by its median absolute deviation, segmented with ``Pelt`` (``model``, ``penalty`` x log(n),
  ``min_size`` months), and each break is reported with the month the new level starts, the mean before
  and after, and the difference.
* **Rules beside it**: a summary of ``anomalies_report`` (rule counts and severity), so the dashboard can
  show both, and which flagged transactions a rule also caught.

Settings in ``config["analytics"]["ml_anomalies"]``.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import ruptures as rpt
from sklearn.ensemble import IsolationForest

from analytics.anomalies.ml_features import FEATURES, build_features, explain, inr, tail_shares
from analytics.bank.statement import month_range
from analytics.metric import metric, missing

DEFAULTS: dict[str, Any] = {
    "random_state": 42, "n_estimators": 100, "max_samples": 256, "top_k": 20, "min_transactions": 50,
    "typical_hour_quantiles": [0.02, 0.98],
    "change_points": {"series": ["net_cash_flow", "business_credits"], "model": "l2", "penalty": 3.0,
                      "min_size": 3, "min_months": 8},
}
SERIES = {"net_cash_flow": "Σ signed amounts of the month (credits - debits)",
          "business_credits": "Σ business credits of the month"}


def _params(config: dict) -> dict:
    given = (config.get("analytics") or {}).get("ml_anomalies") or {}
    return {**DEFAULTS, **given, "change_points": {**DEFAULTS["change_points"], **(given.get("change_points") or {})}}


def score_transactions(features: pd.DataFrame, p: dict) -> np.ndarray:
    """Isolation Forest anomaly score of every row (higher = more anomalous)."""
    x = np.nan_to_num(features[list(FEATURES)].to_numpy(float))  # a missing balance is "no impact", not a crash
    model = IsolationForest(n_estimators=int(p["n_estimators"]), max_samples=min(int(p["max_samples"]), len(x)),
                            random_state=int(p["random_state"]), n_jobs=1)
    model.fit(x)
    return -model.score_samples(x)


def _rule_hits(docs: dict) -> dict[str, list[str]]:
    hits: dict[str, list[str]] = {}
    for rule in (docs.get("anomalies_report") or {}).get("rules") or []:
        for item in rule.get("flagged") or []:
            if item.get("txnId"):
                hits.setdefault(item["txnId"], []).append(rule["id"])
    return hits


def explained_by_signals(docs: dict) -> set[str]:
    """Lines a behavioural signal already explains (window dressing, multi-hop round trips, related-party
    flows, the disbursals of stacked loans, in ``signals``): the analyst sees them there with their pattern, so the model's top-k is kept for
    what nobody wrote a rule for."""
    metrics = (docs.get("signals") or {}).get("metrics") or {}
    out: set[str] = set()
    for name in ("window_dressing", "multi_hop_circular", "related_party_flows", "loan_stacking"):
        m = metrics.get(name) or {}
        if m.get("flagged") or m.get("value"):   # a signal that fired explains its lines (stacking: the disbursals)
            out.update(str(t) for t in (m.get("inputs") or {}).get("record_ids") or m.get("record_ids") or [])
    return out


def flag_transactions(txns: pd.DataFrame, docs: dict, p: dict) -> tuple[list[dict], np.ndarray]:
    """The top-k transactions by anomaly score that no signal already explains (:func:`explained_by_signals`),
    each with its score, rank, reasons and rule hits."""
    feats = build_features(txns)
    scores = score_transactions(feats, p)
    k = min(int(p["top_k"]), len(txns))
    explained = explained_by_signals(docs)
    ids = txns["txnId"].to_numpy()
    order = np.argsort(-scores, kind="mergesort")
    top = np.asarray([pos for pos in order if ids[pos] not in explained][:k], dtype=int)
    tails = tail_shares(feats, top)
    q_lo, q_hi = p["typical_hour_quantiles"]
    hours = (float(np.quantile(feats["hour"], q_lo)), float(np.quantile(feats["hour"], q_hi)))
    rules = _rule_hits(docs)
    out = []
    for rank, pos in enumerate(top.tolist(), start=1):
        row, f = txns.iloc[pos], feats.iloc[pos]
        out.append({"rank": rank, "txnId": row["txnId"], "anomaly_score": round(float(scores[pos]), 4),
                    "timestamp": row["ts"].isoformat(), "type": row["type"], "mode": row["mode"],
                    "amount": round(float(row["amount"]), 2), "counterparty": row["counterparty"],
                    "category": row["category"], "narration": row["narration"],
                    "reasons": explain(row, f, tails.iloc[rank - 1], hours),
                    "rules_also_flagging": rules.get(row["txnId"], [])})
    return out, scores


def _monthly_series(txns: pd.DataFrame) -> pd.DataFrame:
    months = month_range(txns["month"].min(), txns["month"].max())
    net = txns.groupby("month")["signed"].sum().reindex(months, fill_value=0.0)
    biz = txns.loc[txns["is_business_credit"]].groupby("month")["amount"].sum().reindex(months, fill_value=0.0)
    return pd.DataFrame({"net_cash_flow": net, "business_credits": biz}, index=months)


def detect_change_points(series: pd.Series, cp: dict) -> list[dict]:
    """Breaks in the level of a monthly series: where the new level starts, means before/after, the shift."""
    values = series.to_numpy(float)
    n = len(values)
    if n < int(cp["min_months"]):
        return []
    centre = np.median(values)
    scale = np.median(np.abs(values - centre)) * 1.4826 or float(np.std(values)) or 1.0
    signal = ((values - centre) / scale).reshape(-1, 1)
    algo = rpt.Pelt(model=cp["model"], min_size=int(cp["min_size"]), jump=1).fit(signal)
    ends = algo.predict(pen=float(cp["penalty"]) * np.log(n))
    bounds = [0] + ends
    out = []
    for j in range(1, len(bounds) - 1):
        before, after = values[bounds[j - 1]:bounds[j]], values[bounds[j]:bounds[j + 1]]
        mb, ma = float(before.mean()), float(after.mean())
        out.append({"month": series.index[bounds[j]], "mean_before": round(mb, 2), "mean_after": round(ma, 2),
                    "difference": round(ma - mb, 2), "direction": "up" if ma > mb else "down",
                    "months_before": len(before), "months_after": len(after),
                    "description": f"from {series.index[bounds[j]]} the monthly level moved from {inr(mb)} to "
                                   f"{inr(ma)} ({'+' if ma >= mb else '-'}{inr(abs(ma - mb))})"})
    return out


def _rules_summary(docs: dict) -> dict[str, Any]:
    report = docs.get("anomalies_report") or {}
    rules = [{"id": r.get("id"), "title": r.get("title"), "severity": r.get("severity"),
              "count": (r.get("count") or {}).get("value")} for r in report.get("rules") or []]
    return {"severity": report.get("severity"), "total_flags": ((report.get("metrics") or {}).get("total_flags")
                                                                or {}).get("value"), "rules": rules}


def detect_ml_anomalies(txns: pd.DataFrame, docs: dict[str, dict], config: dict) -> dict:
    """The body of ``enhanced_anomalies.json``: flagged transactions with reasons, change points, rule summary.

    Why beside the rules: rules catch what someone thought of in advance; the forest catches lines that
    are odd in a combination nobody wrote a rule for (a large payment at 3 am to a first-time party by
    an unusual mode), and change points show when the business's cash flow stepped up or down.
    """
    p = _params(config)
    cp = p["change_points"]
    base = {"rules_summary": _rules_summary(docs),
            "parameters": {k: p[k] for k in ("random_state", "n_estimators", "max_samples", "top_k")} | {
                "change_points": cp, "features": list(FEATURES)}}
    n = len(txns)
    if n < int(p["min_transactions"]):
        reason = f"{n} transactions; the model needs at least {p['min_transactions']}"
        return {**base, "flagged": [], "change_points": {}, "metrics": {
            "flagged_count": missing("count", "top_k transactions by Isolation Forest score", reason),
            "change_points_count": missing("count", "Pelt change points over monthly series", reason)}}
    flagged, scores = flag_transactions(txns, docs, p)
    monthly = _monthly_series(txns)
    points = {name: detect_change_points(monthly[name], cp) for name in cp["series"] if name in monthly}
    threshold = flagged[-1]["anomaly_score"] if flagged else None
    n_points = sum(len(v) for v in points.values())
    metrics = {
        "flagged_count": metric(len(flagged), "count", "top_k transactions by Isolation Forest anomaly score",
                                {"txnIds": [f["txnId"] for f in flagged], "top_k": p["top_k"], "scored": n},
                                "Transactions most unlike this customer's usual ones."),
        "score_threshold": metric(threshold, "score", "anomaly score of the k-th flagged transaction",
                                  {"top_k": p["top_k"]}, "Lowest score among the flagged transactions."),
        "median_score": metric(float(np.median(scores)), "score", "median anomaly score over all transactions",
                               {"scored": n}, "A typical transaction's score, for comparison."),
        "flagged_amount": metric(sum(f["amount"] for f in flagged), "INR", "Σ amount of flagged transactions",
                                 {"txnIds": [f["txnId"] for f in flagged]}, "Money moved by the flagged lines."),
        "flagged_also_by_rules": metric(sum(1 for f in flagged if f["rules_also_flagging"]), "count",
                                        "flagged transactions that a rule in anomalies_report also flagged",
                                        {"txnIds": [f["txnId"] for f in flagged if f["rules_also_flagging"]]},
                                        "Overlap between the model and the rules."),
        "change_points_count": metric(n_points, "count", "Pelt change points over the monthly series",
                                      {name: [c["month"] for c in v] for name, v in points.items()},
                                      "Months where the level of cash flow shifted."),
    }
    return {**base, "metrics": metrics, "flagged": flagged, "change_points": points,
            "monthly_series": {name: [{"month": m, "value": round(float(v), 2)} for m, v in monthly[name].items()]
                               for name in points},
            "series_formulas": {name: SERIES[name] for name in points}}
