"""Related-party flows and multi-hop round trips: money that looks like trade but stays in the family.

* **Related-party flows.** Credits from and debits to the parties the borrower declared as related
  (``customer.related_parties``: family, group concerns; matched by name with ``rapidfuzz``), and business
  names built on the owner's surname with a trade word (``SHARMA ENTERPRISES`` for an owner Sharma) that
  the borrower did not declare. Lenders exclude related-party credits from turnover and ask about them.
* **Multi-hop round trips.** Money that leaves to one party and comes back from *another* within days,
  nearly whole (out to X, in from Y; or in from X, out to Y, in from Z), each hop between parties the
  business does not otherwise trade with. A one-party round trip is :mod:`analytics.bank.circular`'s job;
  this finds the chains it cannot see. A regular buyer or supplier (more than ``max_party_lines`` lines in
  the statement) is never a hop, so paying a supplier out of a buyer's payment is not flagged.
"""
from __future__ import annotations

from typing import Any

import pandas as pd
from rapidfuzz import fuzz

from analytics.bank.classify import normalise_party
from analytics.metric import metric

DEFAULTS: dict[str, Any] = {"name_similarity": 90, "min_amount": 50_000, "hop_window_days": 5,
                            "hop_amount_tolerance": 0.03, "max_party_lines": 3, "min_hop_amount": 100_000}
TRADE_WORDS = ("ENTERPRISES", "TRADERS", "AGENCIES", "INDUSTRIES", "TRADING", "CORPORATION", "SONS", "BROTHERS")
_HOP_CATEGORIES = ("b2b_collection", "other_credit", "supplier_payment", "other_debit", "cheque_deposit")


def _params(config: dict) -> dict[str, Any]:
    return {**DEFAULTS, **(config.get("analytics", config).get("related_parties") or {})}


def _declared(customer: dict) -> list[tuple[str, str]]:
    out = []
    for party in customer.get("related_parties") or []:
        name = normalise_party(str(party.get("name") or ""))
        if name:
            out.append((name, str(party.get("relation") or "related")))
    return out


def _relation(counterparty: str, declared: list[tuple[str, str]], surname: str | None, threshold: float) -> str | None:
    squashed = counterparty.replace(" ", "")
    for name, relation in declared:
        whole = name.replace(" ", "")
        if fuzz.token_sort_ratio(counterparty, name) >= threshold or fuzz.ratio(squashed, whole) >= threshold \
                or (len(squashed) >= 8 and whole.startswith(squashed)):   # a lost space, or a name cut short
            return relation
    if surname and len(surname) >= 4:
        words = counterparty.split()
        if surname in words and any(w in words for w in TRADE_WORDS):
            return "owner_surname_business"
    return None


def _line(row) -> dict[str, Any]:
    return {"txn_id": row.txnId, "date": row.date.date().isoformat(), "type": row.type, "amount": float(row.amount),
            "counterparty": row.counterparty}


def detect_related_party_flows(df: pd.DataFrame, customer: dict, config: dict) -> dict[str, Any]:
    """Lines to or from related parties, as a metric (value: related-party credits' share of business credits)."""
    p = _params(config)
    declared = _declared(customer)
    owner = normalise_party(str(customer.get("owner_name") or ""))
    surname = owner.split()[-1] if owner else None
    formula = "sum(credits from related parties) / sum(business credits)"
    named = df[df["counterparty"].notna() & (df["amount"] >= p["min_amount"])
               & ~df["category"].isin(("self_transfer_in", "self_transfer_out", "emi", "loan_disbursal"))]
    items = []
    cache: dict[str, str | None] = {}
    for row in named.itertuples(index=False):
        if row.counterparty not in cache:
            cache[row.counterparty] = _relation(row.counterparty, declared, surname, p["name_similarity"])
        relation = cache[row.counterparty]
        if relation:
            items.append({**_line(row), "relation": relation})
    credits = sum(i["amount"] for i in items if i["type"] == "CREDIT")
    business = float(df.loc[df["is_business_credit"], "amount"].sum()) if len(df) else 0.0
    out = metric(round(credits / business, 4) if business else None, "ratio", formula,
                 {"related_credit_amount": round(credits, 2), "business_credit_amount": round(business, 2),
                  "declared_parties": [n for n, _ in declared],
                  "record_ids": [i["txn_id"] for i in items]},
                 f"{len(items)} line(s) to or from related parties (declared, or a business on the owner's surname); "
                 "related-party credits are not arm's-length sales.")
    out["items"] = items
    out["count"] = len(items)
    return out


def _hop_lines(df: pd.DataFrame, p: dict) -> pd.DataFrame:
    lines = df[df["counterparty"].notna() & df["category"].isin(_HOP_CATEGORIES) & (df["amount"] >= p["min_hop_amount"])]
    counts = df["counterparty"].value_counts()
    rare = lines["counterparty"].map(counts).fillna(0) <= p["max_party_lines"]
    return lines[rare.to_numpy()].sort_values(["date", "txnId"], kind="mergesort")


def _next_leg(rows: list, after: int, last, want: str, parties: set, used: set, p: dict):
    """The first line after ``rows[after]`` that continues a chain from ``last``: the other direction
    (``want``), a new party, within the window and the amount tolerance."""
    for k in range(after + 1, len(rows)):
        nxt = rows[k]
        if (nxt.date - last.date).days > p["hop_window_days"]:
            return None
        if nxt.type == want and nxt.txnId not in used and nxt.counterparty not in parties \
                and abs(nxt.amount - last.amount) <= p["hop_amount_tolerance"] * last.amount:
            return k
    return None


def _chains(lines: pd.DataFrame, p: dict) -> list[list[Any]]:
    """Out to X then in from Y; or in from X, out to Y, then in from Z (oldest first, each line once)."""
    rows = list(lines.itertuples(index=False))
    used: set[str] = set()
    chains = []
    for i, start in enumerate(rows):
        if start.txnId in used:
            continue
        want = ("CREDIT",) if start.type == "DEBIT" else ("DEBIT", "CREDIT")
        chain, at = [start], i
        for direction in want:
            k = _next_leg(rows, at, chain[-1], direction, {c.counterparty for c in chain}, used, p)
            if k is None:
                break
            chain.append(rows[k])
            at = k
        if len(chain) == len(want) + 1:
            chains.append(chain)
            used.update(c.txnId for c in chain)
    return chains


def detect_multi_hop_circular(df: pd.DataFrame, config: dict) -> dict[str, Any]:
    """Round trips through two or three different parties, as a metric (value: number of chains)."""
    p = _params(config)
    chains = _chains(_hop_lines(df, p), p) if len(df) else []
    items = [{"legs": [_line(c) for c in chain], "amount": float(chain[0].amount),
              "days": int((chain[-1].date - chain[0].date).days), "txn_ids": [c.txnId for c in chain]}
             for chain in chains]
    out = metric(len(items), "count",
                 "chains of alternating debit/credit lines with different, rarely seen counterparties, "
                 f"each within {p['hop_window_days']} days and {p['hop_amount_tolerance']:.0%} of the previous",
                 {"record_ids": [t for i in items for t in i["txn_ids"]], "min_hop_amount": p["min_hop_amount"],
                  "max_party_lines": p["max_party_lines"]},
                 f"{len(items)} round trip(s) through other parties: money left and came back nearly whole "
                 "from someone else within days. Such credits are not sales.")
    out["items"] = items
    return out
