"""Reconciliation quality against the generator's truth: the payments that are not one credit per invoice.

``evaluate(lake, customer_id)`` reads ``truth["planted"]["reconciliation"]`` from ``logs/<id>/injected.json``
and the ``match_groups`` of the customer's ``reconciliation`` analytics document. Patterns, one per kind:

* ``recon_many_to_one`` -- one credit paying several invoices of one buyer;
* ``recon_part_payment`` -- one invoice paid by several credits;
* ``recon_credit_note`` -- one invoice paid net of a GSTR-1 credit note (the note must be named too);
* ``recon_tds`` -- one invoice paid less TDS (the inferred rate must be the planted one, to 0.01%).

A detected group is a true positive when a planted case of its kind has the same credits and the same
invoices (and note or rate); a detected group of the kind that matches no planted case is a false positive
and a planted case never found is a false negative. Planted cases whose credits or invoices did not survive
cleaning (quarantined lines) are left out: no matcher can find them.

The bench's demo lake stops after ``analyze`` (the ``models`` stage that writes ``reconciliation.json`` needs a
trained risk model); when the document is absent it is computed here by the same :func:`reconcile` the
``models`` stage runs, from the lake's clean records and analytics documents.
"""
from __future__ import annotations

from analytics.bank.statement import prepare_transactions
from analytics.reconciliation.report import reconcile
from bench.bench_models_quality import load_customer
from pipeline.config import load_config
from pipeline.lake import Lake

KINDS = ("many_to_one", "part_payment", "credit_note", "tds")


def _case_key(kind: str, txn_ids, invoices, extra) -> tuple:
    return kind, tuple(sorted(txn_ids)), tuple(sorted(invoices)), extra


def _extra(kind: str, case: dict) -> object:
    if kind == "tds":
        return round(float(case.get("tds_rate") or 0.0), 4)
    if kind == "credit_note":
        return case.get("credit_note")
    return None


def recon_quality(groups: list[dict], planted: list[dict], txn_ids: set[str], item_ids: set[str]) -> dict[str, dict]:
    """``{recon_<kind>: {tp, fp, fn}}`` of detected match groups against planted cases (see the module doc)."""
    truth = {k: set() for k in KINDS}
    for case in planted:
        invoices = [f"{i['ctin']}/{i['inum']}" for i in case["invoices"]]
        if case["kind"] in truth and set(case["txn_ids"]) <= txn_ids and set(invoices) <= item_ids:
            truth[case["kind"]].add(_case_key(case["kind"], case["txn_ids"], invoices, _extra(case["kind"], case)))
    found = {k: set() for k in KINDS}
    for g in groups:
        if g["kind"] in found:
            found[g["kind"]].add(_case_key(g["kind"], g["txn_ids"], [i["item_id"] for i in g["items"]],
                                           _extra(g["kind"], g)))
    return {f"recon_{k}": {"tp": len(found[k] & truth[k]), "fp": len(found[k] - truth[k]),
                           "fn": len(truth[k] - found[k])} for k in KINDS}


def evaluate(lake: Lake, customer_id: str) -> dict[str, dict]:
    """``{pattern: {"tp", "fp", "fn"}}`` of the reconciliation kinds of one customer (see the module doc)."""
    truth = lake.read_json(lake.log_path(customer_id, "injected")).get("truth") or {}
    planted = (truth.get("planted") or {}).get("reconciliation")
    if planted is None:
        return {}
    path = lake.analytics_path(customer_id, "reconciliation")
    if path.exists():
        body = lake.read_json(path)
    else:
        records, docs, _ = load_customer(lake, customer_id)
        txns = prepare_transactions(records["transactions"], records["accounts"])
        body = reconcile(records, txns, docs, load_config())
    txn_ids = {t["txnId"] for t in lake.read_clean(customer_id, "transactions")}
    item_ids = {m["item_id"] for m in body.get("matches") or []} | {u["item_id"] for u in body.get("unmatched_items") or []}
    return recon_quality(body.get("match_groups") or [], planted, txn_ids, item_ids)
