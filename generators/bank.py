"""Bank source: the deposit account (ReBIT DEPOSIT) and its statement lines.

Plans every flow into events (:mod:`bank_flows`, :mod:`bank_spend`), posts them
through the :mod:`ledger`, then numbers the lines and records the ground truth:
each line's category, which credits settle which ONDC order or GSTR-1 invoice,
the planted anomalies and the circular pairs.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import bank_dressing, bank_flows, bank_related, bank_spend
from .bank_truth import leaf_of, lender_kinds
from .ledger import LedgerParams, post
from .seeding import random_for
from .timeline import DAY, Clock, next_working_day


@dataclass
class BankResult:
    """Accounts and transactions plus the truth the bank knows about them."""

    accounts: list[dict]
    transactions: list[dict]
    categories: dict[str, str]
    leaves: dict[str, str] = field(default_factory=dict)
    settlements: list[dict] = field(default_factory=list)
    planted: list[str] = field(default_factory=list)
    circular: list[dict] = field(default_factory=list)
    bounces: list[dict] = field(default_factory=list)
    related: dict = field(default_factory=dict)
    reconciliation: list[dict] = field(default_factory=list)
    window_dressing: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    final_balance: float = 0.0
    stats: dict = field(default_factory=dict)


def _uuid(rng) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def _params(plan, f: bank_flows.Flows) -> LedgerParams:
    p, limit = plan.profile, plan.limit
    mean_credit = sum(plan.credit_est) / len(plan.credit_est)
    floor = -round(limit * 100)
    mean_fixed = sum(f.fixed) / len(f.fixed) / 100
    reserve_days = 10
    if p.spend_down_to > 0:
        opening, target = -round(limit * 0.85 * 100), -round(limit * p.spend_down_to * 100)
        buffer = round((limit * 0.015 + 5000) * 100)
        reserve_days = 15
    else:
        opening = round(mean_credit * (0.5 if limit == 0 else 0.3) * 100)
        target = round(mean_credit * (0.45 if limit == 0 else 0.25) * 100)
        # without an overdraft the business keeps about half a month of fixed costs in hand
        buffer = round((5000 + mean_credit * 0.02 + (0.5 * mean_fixed if limit == 0 else 0)) * 100)
    rng = random_for(plan.seed, "bank.ledger")
    ident, nar = plan.identity, f.nar

    def interest(i: int):
        """Narration of the month-end OD/CC interest debit for window month ``i``."""
        m = plan.months[i]
        return (f"INT.COLL:{ident.masked_account[-4:]}:01-{m.month:02d}-{m.year} TO {m.days:02d}-{m.month:02d}-{m.year}",
                "OTHERS", f"INT{m.year}{m.month:02d}")

    def infusion(ts: int):
        """Narration of the owner topping the account up."""
        return nar.self_transfer(ts, ident.owner_stmt_name, out=False)

    bounds = [m.start * DAY for m in plan.months[1:]] + [plan.end_instant]
    od_rate = rng.uniform(0.105, 0.135) if limit else 0.0
    return LedgerParams(opening, floor, buffer, target, od_rate, bounds, interest, infusion, reserve_days)


def _account(plan, rng, linked: str, balance: float, clock: Clock) -> dict:
    ident, p = plan.identity, plan.profile
    proprietor = ident.constitution == "Proprietorship"
    holder = {"name": ident.owner_name if proprietor else ident.business_name, "mobile": ident.mobile,
              "email": ident.email, "pan": ident.pan, "nominee": "REGISTERED" if rng.random() < 0.7 else "NOT-REGISTERED",
              "ckycCompliance": True, "address": ident.address}
    if proprietor:
        holder["dob"] = ident.owner_dob.isoformat()
    opened = max(ident.incorporation_date + dt.timedelta(days=rng.randint(10, 200)),
                 dt.date.fromordinal(plan.start_ord - 400) - dt.timedelta(days=rng.randint(0, 2000)))
    opened = min(opened, dt.date.fromordinal(plan.start_ord - 30))
    limit = round(plan.limit, 2)
    return {
        "linkedAccRef": linked, "maskedAccNumber": ident.masked_account, "fipId": ident.fip_id, "type": "deposit",
        "version": "1.1",
        "profile": {"holders": {"type": "SINGLE", "holder": [holder]}},
        "summary": {
            "currentBalance": balance, "currency": "INR", "balanceDateTime": clock.ts(plan.end_instant - 1),
            "type": "CURRENT", "facility": p.facility, "ifscCode": ident.ifsc, "branch": f"{ident.city.upper()} MAIN",
            "micrCode": f"{rng.randrange(10 ** 8, 10 ** 9)}", "openingDate": opened.isoformat(),
            "currentODLimit": limit, "drawingLimit": round(limit * (0.95 if p.facility == "CC" else 1.0), 2),
            "status": "ACTIVE",
        },
    }


def build_bank(plan, gst_payments: list, mf_flows: list) -> BankResult:
    """Plan, post and number every statement line of the borrower's account."""
    f = bank_flows.Flows(plan)
    bank_flows.collections(f)
    bank_flows.retail_income(f)
    bank_flows.loans(f)
    bank_flows.obligations(f, gst_payments, mf_flows)
    bank_spend.small_credits(f)
    circular = bank_spend.fraud_patterns(f)
    planted = bank_spend.anomalies(f)
    related = bank_related.related_credits(f)
    hops = bank_related.multi_hop(f)
    self_credits = bank_related.self_upi_credits(f)
    bank_spend.spending(f)
    bank_spend.owner_draws(f)
    params = _params(plan, f)
    # dressing works to what the bank lets the account draw: a CC's drawing power is 95% of its limit
    dp_floor = round(params.floor * (0.95 if plan.profile.facility == "CC" else 1.0))
    dressing = bank_dressing.plant(f, lambda events: post(events, params).rows, dp_floor, params.buffer)
    posted = post(f.events, params)

    rng = random_for(plan.seed, "bank.ids")
    clock = Clock()
    linked = _uuid(rng)
    prefix = plan.identity.txn_prefix
    serial = rng.randrange(10 ** 7, 9 * 10 ** 7)
    last_day = plan.end_ord - 1
    txns, categories, leaves, by_seq, settlements = [], {}, {}, {}, []
    kinds = lender_kinds(plan.loans)
    randint, timestamp, date, dates, add = rng.randint, clock.ts, clock.date, clock.dates, txns.append   # 17,000 lines
    for ts, sign, paise, cat, mode, narr, ref, link, vdelay, bal, seq in posted.rows:
        serial += randint(1, 40)
        txn_id = f"{prefix}{serial}"
        day = ts // DAY
        vday = min(last_day, next_working_day(day + vdelay)) if vdelay else day
        add({
            "linkedAccRef": linked, "txnId": txn_id, "type": "CREDIT" if sign > 0 else "DEBIT", "mode": mode,
            "amount": paise / 100, "currentBalance": bal / 100, "transactionTimestamp": timestamp(ts),
            "valueDate": dates.get(vday) or date(vday), "narration": narr, "reference": ref,
        })
        categories[txn_id] = cat
        leaf = leaf_of(cat, sign, mode, narr, kinds)
        if leaf is not None:
            leaves[txn_id] = leaf
        if seq >= 0:
            by_seq[seq] = txn_id
        if link is not None:
            if link[0] == "ondc_order":
                settlements.append({"kind": "ondc_order", "order_id": link[1], "txnId": txn_id})
            else:
                settlements += [{"kind": "gstr1_invoice", "ctin": ctin, "inum": inum, "txnId": txn_id}
                                for ctin, inum, month in link[1] if 0 <= month < plan.n_gst]
    result = BankResult([_account(plan, rng, linked, posted.balance / 100, clock)], txns, categories, leaves,
                        settlements)
    result.planted = [by_seq[s] for s in planted if s in by_seq]
    for a, b, name in circular:
        if a in by_seq and b in by_seq:
            result.circular.append({"in": by_seq[a], "out": by_seq[b], "counterparty": name})
    result.bounces = [{"txn_id": by_seq[s], "lender": lender, "umrn": umrn}
                      for s, lender, umrn in f.bounces if s in by_seq]
    result.related = {
        "related_party": [{"txn_id": by_seq[s], "party": party, "relation": rel}
                          for s, party, rel in related if s in by_seq],
        "multi_hop_circular": [{"txn_ids": [by_seq[s] for s in seqs], "parties": parties}
                               for seqs, parties in hops if all(s in by_seq for s in seqs)],
        "self_credits": [{"txn_id": by_seq[s]} for s in self_credits if s in by_seq],
    }
    result.reconciliation = _recon_truth(plan, f.recon, by_seq)
    result.duplicates = _duplicate_ids(plan, txns)
    for dup in result.duplicates:
        del categories[dup["replaced"]]
        leaves.pop(dup["replaced"], None)
    result.window_dressing = bank_dressing.truth(dressing, posted.rows, [t["txnId"] for t in txns], dp_floor)
    result.final_balance = posted.balance / 100
    result.stats = {"infusions": posted.infusions, "trimmed": posted.trimmed, "skipped": posted.skipped}
    return result


def _recon_truth(plan, cases: list, by_seq: dict[int, str]) -> list[dict]:
    """``truth.planted.reconciliation``: each planted case whose invoices are in a filed GSTR-1 and whose
    credits were all posted, with its kind, credits, invoices, TDS rate (tds) or credit note (credit_note)."""
    out = []
    for kind, seqs, invoices, extra in cases:
        if not seqs or any(s not in by_seq for s in seqs) or len(seqs) != extra.get("parts", 1) \
                or not all(0 <= inv.month < plan.n_gst for inv in invoices):
            continue
        row = {"kind": kind, "txn_ids": [by_seq[s] for s in seqs],
               "invoices": [{"ctin": inv.buyer.gstin, "inum": inv.inum} for inv in invoices]}
        if kind == "tds":
            row["tds_rate"] = invoices[0].tds_rate
        if "credit_note" in extra:
            row["credit_note"] = extra["credit_note"]
        out.append(row)
    return out


def _duplicate_ids(plan, txns: list[dict]) -> list[dict]:
    """Give a few later credits the txnId of an earlier credit of the same kind (a red flag, fraud only)."""
    k = plan.profile.duplicate_ids
    if not k:
        return []
    rng = random_for(plan.seed, "bank.duplicates")
    cash = [i for i, t in enumerate(txns) if t["type"] == "CREDIT" and t["mode"] == "CASH"]
    out = []
    if len(cash) < 2 * k:
        return out
    picks = sorted(rng.sample(range(len(cash) - 1), k))
    for p in picks:
        earlier, later = txns[cash[p]], txns[cash[p + 1]]
        if earlier["amount"] != later["amount"]:
            out.append({"txnId": earlier["txnId"], "replaced": later["txnId"]})
            later["txnId"] = earlier["txnId"]
    return out
