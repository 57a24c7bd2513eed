"""The ten demo customers' credit decisions as a table (the one in docs/decision.md), from a demo lake.

``python -m bench decisions [--lake DIR]``: reads ``decision.json``, ``risk_model.json`` and ``recommendations.json``
of each demo customer in DIR (default: a fresh ``prepare-demo --as-of 2026-11`` in a temporary lake, which trains
the shipped demo risk model, about 1-2 minutes) and prints one Markdown row per customer: the decision and what
decided it, PD and band, the scorecard beside it, the largest new EMI the year carries, the offer with its rate,
and the first reason. Then it checks what the table claims: every APPROVE carries an offer, rates rise with PD for
the same product and security, and Smart Collect never presents after a due date.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from pipeline.config import PROJECT_ROOT, load_config
from pipeline.indian import inr_words
from pipeline.lake import Lake


def _row(customer_id: str, lake: Lake) -> dict:
    read = lambda name: lake.read_json(lake.analytics_path(customer_id, name))  # noqa: E731
    decision, risk = read("decision"), read("risk_model")
    offer = decision.get("offer")
    pd_value = risk["metrics"]["probability_of_default"]["value"]
    capacity = (decision["capacity"]["metrics"].get("max_new_emi") or {}).get("value")
    first = (decision["reasons_against"] if decision["decision"] in ("REFER", "DECLINE") else
             decision["reasons_for"] or decision["reasons_against"] or [{"text": ""}])[0]["text"]
    return {"customer_id": customer_id, "decision": decision["decision"], "decided_by": decision["decided_by"],
            "pd": pd_value, "band": decision["risk_grade"]["band"],
            "score": decision["risk_grade"]["scorecard"].get("value"), "capacity": capacity,
            "offer": None if offer is None else f"{offer['name']}: {inr_words(offer['amount']['value'])} at "
                                                f"{offer['annual_rate']['value']:.2%}",
            "reason": first, "collect": read("smart_collect"), "recs": read("recommendations")}


def table(rows: list[dict], profiles: dict[str, str]) -> str:
    """The Markdown table of docs/decision.md."""
    lines = ["| customer (profile) | decision | decided by | PD (band) | scorecard | max new EMI | offer | "
             "first reason |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        pd_text = "—" if r["pd"] is None else f"{r['pd']:.1%} ({r['band']})"
        cap = "—" if r["capacity"] is None else inr_words(r["capacity"])
        lines.append(f"| {r['customer_id']} ({profiles[r['customer_id']]}) | {r['decision']} | {r['decided_by']} | "
                     f"{pd_text} | {r['score']} | {cap} | {r['offer'] or '—'} | {r['reason']} |")
    return "\n".join(lines)


def checks(rows: list[dict]) -> list[str]:
    """What the table claims, checked: returns the failures (empty when all hold)."""
    failures = []
    for r in rows:
        if r["decision"] in ("APPROVE", "APPROVE_WITH_CONDITIONS") and not r["offer"]:
            failures.append(f"{r['customer_id']}: {r['decision']} without an offer")
        for obligation in r["collect"].get("obligations") or []:
            if obligation["recommended_presentation_day"] > obligation["day_of_month"]:
                failures.append(f"{r['customer_id']}: presents {obligation['lender']} after its due day")
    prices: dict[tuple, list] = {}
    for r in rows:
        for product in r["recs"]["products"]:
            rate = product["sizing"]["annual_rate"]
            if rate["value"] is not None and r["pd"] is not None:
                key = (product["id"], rate["inputs"].get("security"), "cgtmse_cover" in rate["inputs"])
                prices.setdefault(key, []).append((r["pd"], rate["value"]))
    for key, pairs in prices.items():
        ordered = [rate for _, rate in sorted(pairs)]
        if ordered != sorted(ordered):
            failures.append(f"{key}: rates do not rise with PD {sorted(pairs)}")
    return failures


def fraud_without_knockout(lake: Lake, config: dict) -> str:
    """The fraud customer re-decided with the fraud knock-out switched off: its PD alone must decline it."""
    from analytics.decision.decide import decide
    from analytics.decision.policy import load_policy

    customer_id = next(c for c, p in config["demo_customers"].items() if p == "fraud")
    off = {**config["credit_policy"], "knockouts": {**config["credit_policy"]["knockouts"], "fraud_severities": []}}
    names = ("risk_model", "recommendations", "gst_summary", "credit_summary", "credit_score", "transaction_summary",
             "smart_collect")
    docs = {n: lake.read_json(lake.analytics_path(customer_id, n)) for n in names}
    consent = lake.read_json(lake.consent_path(customer_id))
    body = decide(docs, docs["risk_model"], docs["recommendations"], consent,
                  load_policy({**config, "credit_policy": off}))
    return f"{customer_id} with the fraud knock-out off: {body['decision']} by {body['decided_by']} ({body['risk_grade']['label']})"


def main(argv: list[str] | None = None) -> int:
    """Print the table and the checks; exit 1 when a check fails."""
    parser = argparse.ArgumentParser(prog="python -m bench decisions", description=__doc__.split("\n")[0])
    parser.add_argument("--lake", help="a lake holding the prepared demo (default: prepare one now)")
    args = parser.parse_args([] if argv is None else argv)
    config = load_config()
    root = args.lake
    if root is None:
        root = str(Path(tempfile.mkdtemp(prefix="bench-decisions-")) / "lake")
        subprocess.run([sys.executable, "-m", "pipeline", "prepare-demo", "--as-of", "2026-11", "--lake", root],
                       cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL)
    lake = Lake(root)
    profiles = config["demo_customers"]
    rows = [_row(customer_id, lake) for customer_id in profiles]
    print(table(rows, profiles))
    failures = checks(rows)
    overlay_off = fraud_without_knockout(lake, config)
    print(f"\n{overlay_off}")
    if "DECLINE" not in overlay_off:
        failures.append(overlay_off)
    print("\nchecks: " + ("all hold (every approval has an offer; rates rise with PD; Smart Collect on or before "
                          "the due day)" if not failures else "; ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
