"""Quality of reconciliation and ML anomaly detection against the generator's truth, for every demo customer.

Per customer: item-matching precision and recall (ONDC settlements and GSTR-1 invoices paired with the bank
credit that paid them, against ``truth["settlements"]``), the reconciliation rate and risk level, and the
recall of the top-k ML-flagged transactions against ``truth["planted_anomalies"]``. Then a stress row
(a fifth of invoice payments short-paid by up to 1%, so exact amounts no longer decide) and timings for
the baseline customer. Truth is read here, from ``logs/<id>/injected.json``; analytics never sees it.

The measuring functions are imported by the tests, so both hold the code to the same definitions.
"""
from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import date

from analytics.anomalies.ml import detect_ml_anomalies
from analytics.bank.statement import prepare_transactions
from analytics.reconciliation.report import reconcile
from pipeline.config import load_config
from pipeline.lake import SOURCES, Lake
from pipeline.runner import run_steps

AS_OF = date(2026, 11, 1)
BASELINE = "CUST_MSM_00001"
DOCS = ("transaction_summary", "gst_summary", "anomalies_report", "signals")


def truth_key(settlement: dict) -> str:
    """The reconciliation item id a truth settlement refers to (``order_id`` or ``ctin/inum``)."""
    if settlement["kind"] == "ondc_order":
        return settlement["order_id"]
    return f"{settlement['ctin']}/{settlement['inum']}"


def matching_quality(body: dict, truth: dict, txn_ids: set[str]) -> dict:
    """Precision and recall of the (item, credit) pairs of ``body["matches"]`` against ``truth["settlements"]``.

    A pair is one item and one credit that (partly) paid it, so one credit for three invoices is three pairs
    and an invoice paid in two parts is two. Every matched pair is judged (an item the truth says was never
    paid counts as a false positive); recall is over the truth pairs whose item and credit both survived
    cleaning (a quarantined record cannot be matched), and how many were left out is reported.
    """
    expected = {(truth_key(s), s["txnId"]) for s in truth["settlements"]}
    items = {m["item_id"] for m in body["matches"]} | {u["item_id"] for u in body["unmatched_items"]}
    evaluable = {(k, v) for k, v in expected if k in items and v in txn_ids}
    got = {(m["item_id"], m["txnId"]) for m in body["matches"]}
    return {"matched": len(got), "correct": len(got & expected), "truth": len(expected), "evaluable": len(evaluable),
            "precision": len(got & expected) / len(got) if got else None,
            "recall": len(got & evaluable) / len(evaluable) if evaluable else None}


def anomaly_recall(body: dict, truth: dict, txn_ids: set[str]) -> dict:
    """Share of the planted anomalies (present in the clean data) among the flagged transactions."""
    planted = set(truth["planted_anomalies"]) & txn_ids
    flagged = {f["txnId"] for f in body["flagged"]}
    ranks = sorted(f["rank"] for f in body["flagged"] if f["txnId"] in planted)
    return {"planted": len(planted), "k": len(flagged), "hits": len(planted & flagged), "ranks": ranks,
            "recall": len(planted & flagged) / len(planted) if planted else None}


def short_pay(records: dict, truth: dict, share: float = 0.2, seed: int = 7) -> dict:
    """Records where ``share`` of invoice payments arrive short by ₹5 to 1% (bank charges, rounding, disputes)."""
    rng = random.Random(seed)
    paid = sorted(s["txnId"] for s in truth["settlements"] if s["kind"] == "gstr1_invoice")
    hit = {t for t in paid if rng.random() < share}
    txns = [{**t, "amount": round(t["amount"] - rng.uniform(5, 0.01 * t["amount"]), 2)} if t["txnId"] in hit else t
            for t in records["transactions"]]
    return {**records, "transactions": txns}


def load_customer(lake: Lake, customer_id: str) -> tuple[dict, dict, dict]:
    """Clean records, the analytics documents reconciliation and anomalies read, and the generator's truth."""
    records = {s: lake.read_clean(customer_id, s) for s in SOURCES}
    docs = {name: lake.read_json(lake.analytics_path(customer_id, name)) for name in DOCS}
    truth = lake.read_json(lake.log_path(customer_id, "injected"))["truth"]
    return records, docs, truth


def build_demo_lake(lake: Lake, config: dict) -> None:
    """Generate, clean and analyse every demo customer into ``lake`` (as the tests' ``demo_lake`` does)."""
    for customer_id, profile in config["demo_customers"].items():
        outcome = run_steps(lake, customer_id, ["generate", "clean", "analyze"], config, lambda level, msg: None,
                            {"generate": {"profile": profile, "as_of": AS_OF}})
        if outcome["status"] != "done":
            raise RuntimeError(f"{customer_id}: {outcome}")


def _fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def _timing(func, *args, repeat: int = 5) -> float:
    func(*args)
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func(*args)
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> None:
    """Print per-customer reconciliation and anomaly quality, the short-payment stress test and timings."""
    config = load_config()
    with tempfile.TemporaryDirectory() as tmp:
        lake = Lake(tmp)
        build_demo_lake(lake, config)
        print("== reconciliation and ML anomalies vs generator truth")
        print(f"{'customer':<15} {'profile':<23} {'items':>5} {'prec':>6} {'recall':>6} {'rate':>6} {'risk':<6} "
              f"{'anom R@k':>8} {'stress P':>8} {'stress R':>8}")
        recalls = []
        for customer_id, profile in config["demo_customers"].items():
            records, docs, truth = load_customer(lake, customer_id)
            txns = prepare_transactions(records["transactions"], records["accounts"])
            ids = set(txns["txnId"])
            body = reconcile(records, txns, docs, config)
            q = matching_quality(body, truth, ids)
            a = anomaly_recall(detect_ml_anomalies(txns, docs, config), truth, ids)
            stressed = short_pay(records, truth)
            s_txns = prepare_transactions(stressed["transactions"], stressed["accounts"])
            s = matching_quality(reconcile(stressed, s_txns, docs, config), truth, ids)
            recalls.append(a["recall"])
            print(f"{customer_id:<15} {profile:<23} {q['evaluable']:>5} {_fmt(q['precision']):>6} "
                  f"{_fmt(q['recall']):>6} {_fmt(body['metrics']['reconciliation_rate']['value']):>6} "
                  f"{body['risk_level']:<6} {_fmt(a['recall']):>8} {_fmt(s['precision']):>8} {_fmt(s['recall']):>8}")
        k = config["analytics"]["ml_anomalies"]["top_k"]
        print(f"mean anomaly recall@k: {statistics.mean(recalls):.3f} (k = {k}, "
              f"{len(truth['planted_anomalies'])} planted per customer)")
        records, docs, _ = load_customer(lake, BASELINE)
        txns = prepare_transactions(records["transactions"], records["accounts"])
        print(f"== timings, baseline {BASELINE} ({len(txns):,} transactions), median of 5")
        print(f"reconcile()            : {_timing(reconcile, records, txns, docs, config):.3f} s (target < 0.5 s)")
        print(f"detect_ml_anomalies()  : {_timing(detect_ml_anomalies, txns, docs, config):.3f} s (target < 0.7 s)")


if __name__ == "__main__":
    main()
