"""Window dressing planted in the statement: the three ways a borrower makes an account look better than it is.

* ``large_credit_withdrawn``: a large credit from a party the business never deals with (or a large cash
  deposit) that leaves again within two days to one or two other new parties or as cash, so the balance is
  inflated only briefly;
* ``cash_before_emi``: the account is run down, then cash (or the owner's own money) is paid in the evening
  before a NACH/ECS/SI EMI that would otherwise have bounced;
* ``credits_bunched``: several credits (cash, transfers from people, the owner) paid in on the one or two days
  before a balance-averaging day or in the last days of the month, and taken out again soon after.

Every line is an ordinary event with an ordinary category (``cash_deposit``, ``b2b_collection``,
``self_transfer_in``, ``supplier_payment``, ``self_transfer_out``, ``atm_withdrawal``): nothing in a narration
names the pattern. Debits are ``FIXED`` so the ledger always posts them. Draws come from their own streams
(``bank.dressing``), so every other stream draws exactly as before; only balances (and the ledger's own
lines that follow from them) move. ``cash_before_emi`` needs the balance the ledger will carry, so it is
planned against trial postings and kept in the truth only when the posted lines show the EMI would have
bounced without the deposit (:func:`truth`); its run-down payment is the one ``ANOMALY`` event (see
:meth:`Planter.cash_before_emi`). The ledger's own top-ups before an EMI the balance could not carry
are the same pattern and are recorded too.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Callable

from .bank_flows import ANOMALY, CAT, FIXED, PAISE, SEQ, SIGN, TS, Flows
from .identity import make_party, person_name
from .seeding import random_for
from .timeline import DAY

# the balance-averaging days most lenders sample (DOMAIN.md); a dresser times credits to them
ABB_DAYS = (5, 15, 25)
KINDS = ("large_credit_withdrawn", "cash_before_emi", "credits_bunched")
_SPENDING = {"misc_expense", "supplier_payment", "atm_withdrawal", "self_transfer_out"}  # debits the ledger trims


@dataclass
class Case:
    """One planted case: its kind, the event seqs of its credits and of the debits it is tied to."""

    kind: str
    credits: list[int] = field(default_factory=list)
    related: list[int] = field(default_factory=list)


def _add(f: Flows, ts: int, sign: int, rupees: float, cat: str, nmr: tuple, into: list[int]) -> bool:
    """Queue a FIXED event and note its seq in ``into`` when it falls inside the window."""
    seq = len(f.events)
    if f.add(ts, sign, rupees, cat, nmr, FIXED):
        into.append(seq)
        return True
    return False


def _split(rng, total: float, n: int, step: float) -> list[float]:
    """``total`` in ``n`` rounded parts (the last takes the rounding)."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(n)]
    parts = [round(total * w / sum(weights) / step) * step for w in weights[:-1]]
    return [p for p in parts + [round(total - sum(parts), 2)] if p > 0]


class Planter:
    """Plants one customer's cases from one stream, keeping parties and days apart."""

    def __init__(self, f: Flows):
        self.f, self.plan = f, f.plan
        self.rng = random_for(f.plan.seed, "bank.dressing")
        credits = sorted(e[PAISE] for e in f.events if e[SIGN] > 0)
        self.median = statistics.median(credits) / 100 if credits else 0.0
        ident = f.plan.identity
        self.region, self.industry, self.state = ident.region, ident.industry, ident.state
        known = [getattr(p, "party", p) for p in f.plan.buyers + f.plan.suppliers + f.plan.partners]
        self.names = {p.stmt_name for p in known}

    def party(self):
        """A firm the business has never dealt with (an accommodation-entry provider or a conduit): its name is
        none of the buyers', suppliers' or partners', nor an earlier case's."""
        for _ in range(50):
            p = make_party(self.rng, self.industry, self.state)
            if p.stmt_name not in self.names:
                break
        self.names.add(p.stmt_name)
        return p

    def transfer_in(self, ts: int, amount: float, person: bool = False) -> tuple[str, tuple]:
        """A credit from a new firm or a person, over the rail its amount would use."""
        rng, nar = self.rng, self.f.nar
        p = self.party()
        name = person_name(rng, self.region).upper() if person else p.stmt_name
        channel = "RTGS" if amount >= 200_000 else rng.choice(("NEFT", "IMPS") if amount <= 500_000 else ("NEFT",))
        return "b2b_collection", nar.transfer(ts, channel, name, p.ifsc)

    def money_out(self, ts: int, amount: float, allow_self: bool) -> tuple[str, tuple]:
        """A debit taking money away: to a new party, as cash over the counter (the caller rounds cash to 1,000),
        or (``allow_self``) to the owner."""
        rng, nar = self.rng, self.f.nar
        roll = rng.random()
        if roll < 0.2:
            chq = nar.cheque()
            text = rng.choice((f"CASH WDL SELF CHQ {chq}", f"CHQ PAID {chq} SELF", f"SELF CHQ WDL {chq} {nar.city} BR"))
            return "atm_withdrawal", (text, "OTHERS", chq)  # a self cheque paid at the counter
        if allow_self and roll < 0.45:
            return "self_transfer_out", nar.self_transfer(ts, self.plan.identity.owner_stmt_name, out=True)
        p = self.party()
        channel = "RTGS" if amount >= 200_000 else rng.choice(("NEFT", "IMPS"))
        return "supplier_payment", nar.transfer(ts, channel, p.stmt_name, p.ifsc, credit=False)

    def large_credit_withdrawn(self, m) -> Case | None:
        """A large credit mid-month, 85-99% of it out again within two days in one to three debits."""
        rng, f = self.rng, self.f
        monthly = f.credits[m.index] / 100
        amount = max(75_000.0, self.median * rng.uniform(4, 9), monthly * rng.uniform(0.1, 0.3))
        amount = round(amount / 5000) * 5000
        day = m.start + rng.choice((5, 6, 7, 8, 9, 16, 17, 18, 19))
        ts = day * DAY + rng.randint(10 * 3600 + 1800, 15 * 3600)
        case = Case("large_credit_withdrawn")
        if rng.random() < 0.35:
            cat, nmr = "cash_deposit", f.nar.cash_deposit(ts)
        else:
            cat, nmr = self.transfer_in(ts, amount)
        if not _add(f, ts, 1, amount, cat, nmr, case.credits):
            return None
        out = amount * rng.uniform(0.85, 0.99)
        for part in _split(rng, out, rng.randint(1, 3), 100):
            t = ts + rng.randint(1800, 2 * DAY - 4 * 3600)
            cat, nmr = self.money_out(t, part, allow_self=False)
            _add(f, t, -1, part // 1000 * 1000 if cat == "atm_withdrawal" else part, cat, nmr, case.related)
        return case

    def credits_bunched(self, m, last: bool) -> Case | None:
        """Three to five credits on the two days before an ABB day (or the month's last three days), a third to
        two thirds of the month's credits, 80-100% of it out again in the three days after."""
        rng, f = self.rng, self.f
        monthly = f.credits[m.index] / 100
        total = round(max(60_000.0, monthly * rng.uniform(0.35, 0.7)) / 1000) * 1000
        if last or rng.random() < 0.7:
            abb = rng.choice(ABB_DAYS)
            days, leave = [m.start + abb - 3, m.start + abb - 2], m.start + abb
        else:
            days, leave = [m.end - 2, m.end - 1, m.end], m.end + 1
        case = Case("credits_bunched")
        owner = self.plan.identity.owner_stmt_name
        for part in _split(rng, total, rng.randint(3, 5), 1000):
            day = rng.choice(days)
            ts = day * DAY + rng.randint(10 * 3600 + 1800, 17 * 3600)
            roll = rng.random()
            if roll < 0.35:
                cat, nmr = "cash_deposit", f.nar.cash_deposit(ts)
            elif roll < 0.55:
                cat, nmr = "self_transfer_in", f.nar.self_transfer(ts, owner, out=False)
            else:
                cat, nmr = self.transfer_in(ts, part, person=rng.random() < 0.6)
            _add(f, ts, 1, part, cat, nmr, case.credits)
        if len(case.credits) < 2:
            return None
        for part in _split(rng, total * rng.uniform(0.8, 1.0), rng.randint(1, 3), 100):
            ts = (leave + rng.randint(0, 2)) * DAY + rng.randint(10 * 3600, 18 * 3600)
            cat, nmr = self.money_out(ts, part, allow_self=True)
            _add(f, ts, -1, part // 1000 * 1000 if cat == "atm_withdrawal" else part, cat, nmr, case.related)
        return case if case.related else None

    def cash_before_emi(self, m, trial: Callable[[list[list]], list[tuple]], floor: int, buffer: int) -> Case | None:
        """Run the account down the evening before one of the month's EMIs, then pay in just enough (cash or own
        money) to carry it: planned against a trial posting of every event so far.

        The run-down is one large payment to a new party, an ``ANOMALY`` event: the ledger posts it without
        saving up for it beforehand (it saves for every ``FIXED`` debit), which is what leaves the EMI short.
        """
        rng, f = self.rng, self.f
        emis = [e for e in f.events if e[CAT] == "emi" and m.start <= e[TS] // DAY <= m.end]
        returned = {e[TS] // DAY for e in f.events if e[CAT] == "emi_bounce_charge"}
        emis = [e for e in emis if not any(abs(e[TS] // DAY - d) <= 12 for d in returned)]
        if not emis:
            return None
        emi = emis[rng.randrange(len(emis))]
        rows = trial([e[:] for e in f.events])
        k = next((i for i, r in enumerate(rows) if r[10] == emi[SEQ]), None)
        if k is None or (k and rows[k - 1][10] < 0 and rows[k - 1][0] == emi[TS]):
            return None  # the ledger already tops this one up
        day = emi[TS] // DAY - 1
        t_drain = day * DAY + rng.randint(19 * 3600, 20 * 3600)
        t_dep = t_drain + rng.randint(1800, 3 * 3600)
        before = [r for r in rows[:k] if r[0] < t_drain]
        if not before:
            return None
        between = rows[len(before):k]
        if any(r[1] < 0 and r[3] not in _SPENDING for r in between):
            return None  # a fixed debit in between could make the ledger top the account up itself
        emi_amt = emi[PAISE]
        avail = before[-1][9] - floor
        inflow = sum(r[2] for r in between if r[1] > 0)
        drain = min(avail + inflow - round(emi_amt * rng.uniform(0.25, 0.7)), avail - buffer) // 100_000 * 100_000
        if drain >= 500_000:
            cat, nmr = self.money_out(t_drain, drain / 100, allow_self=False)
            f.add(t_drain, -1, drain / 100, cat, nmr, ANOMALY)
        else:
            drain = 0
        short = avail + inflow - drain
        if short >= emi_amt * 0.9:
            return None
        case = Case("cash_before_emi", related=[emi[SEQ]])
        # enough for the EMI, and mostly what left the evening before (the money is back, the lines are not clean)
        need = max((emi_amt - short) / 100 * rng.uniform(1.05, 1.15), drain / 100 * rng.uniform(0.9, 1.0))
        deposit = -(-need // 1000) * 1000
        if rng.random() < 0.7:
            _, mode, ref = f.nar.cash_deposit(t_dep)
            cat, nmr = "cash_deposit", (f"CDM DEPOSIT {f.nar.city} {rng.randrange(100, 999)}", mode, ref)
        else:
            cat, nmr = "self_transfer_in", f.nar.self_transfer(t_dep, self.plan.identity.owner_stmt_name, out=False)
        _add(f, t_dep, 1, deposit, cat, nmr, case.credits)
        return case if case.credits else None


def plant(f: Flows, trial: Callable[[list[list]], list[tuple]], floor: int, buffer: int) -> list[Case]:
    """Plant the profile's ``window_dressing`` cases (counts per kind, in :data:`KINDS` order) in distinct months.

    ``trial`` posts a copy of the events (the ledger, as build_bank will run it) and returns its rows; ``floor``
    and ``buffer`` are the ledger's floor and the cushion it keeps above it, in paise. ``cash_before_emi`` cases
    are planned in date order, so a later one never moves the balances an earlier one was planned on. Called after every other flow, so each stream draws as before.
    """
    counts = f.plan.profile.window_dressing
    if not any(counts):
        return []
    p = Planter(f)
    months = f.plan.months[2:-1]
    order = list(range(len(months)))
    p.rng.shuffle(order)
    picks = iter(order)
    cases: list[Case] = []
    for _ in range(counts[0]):
        case = p.large_credit_withdrawn(months[next(picks)])
        cases += [case] if case else []
    for _ in range(counts[2]):
        i = next(picks)
        case = p.credits_bunched(months[i], last=i == len(months) - 1)
        cases += [case] if case else []
    tries = sorted(list(picks)[: 3 * counts[1]])
    planted = 0
    for i in tries:
        if planted == counts[1]:
            break
        case = p.cash_before_emi(months[i], trial, floor, buffer)
        if case:
            cases.append(case)
            planted += 1
    return cases


def truth(cases: list[Case], rows: list[tuple], txn_ids: list[str], floor: int) -> list[dict]:
    """``truth["planted"]["window_dressing"]``: every planted case as posted, plus the ledger's top-ups
    (``source: ledger_top_up``) and ordinary cash deposits or owner transfers (``source: incidental``) that carried
    an EMI due within two days: money paid in because the EMI would otherwise have bounced is the pattern,
    whoever planned it.

    A ``cash_before_emi`` case is kept only when the posted lines bear it out: the balance just before the
    deposit was short of the EMI, and without the deposit it would still have been short just before the EMI.
    """
    at = {r[10]: i for i, r in enumerate(rows) if r[10] >= 0}
    out = []
    for case in cases:
        credits = [at[s] for s in case.credits if s in at]
        related = [at[s] for s in case.related if s in at]
        if not credits or not related:
            continue
        if case.kind == "cash_before_emi":
            first, k = credits[0], related[0]
            before = rows[first - 1][9] if first else None
            pre_emi = rows[k][9] + rows[k][2]
            if before is None or before - floor >= rows[k][2] or pre_emi - rows[first][2] - floor >= rows[k][2]:
                continue
        out.append({"kind": case.kind, "txn_ids": [txn_ids[i] for i in credits],
                    "related_txn_ids": [txn_ids[i] for i in related]})
    planted = {t for case in out for t in case["txn_ids"]}
    for i, r in enumerate(rows):
        if r[3] not in ("self_transfer_in", "cash_deposit") or txn_ids[i] in planted:
            continue
        k = _rescued_emi(rows, i, floor)
        if k is not None:   # the owner's top-up, or an ordinary cash deposit, that happened to carry an EMI
            out.append({"kind": "cash_before_emi", "txn_ids": [txn_ids[i]], "related_txn_ids": [txn_ids[k]],
                        "source": "ledger_top_up" if r[10] < 0 else "incidental"})
    return out


def _rescued_emi(rows: list[tuple], i: int, floor: int) -> int | None:
    """The row of the first EMI within two days after the ledger's top-up at row ``i`` that the top-up carried:
    the balance before it was short of the EMI and, without it, would still have been short just before."""
    last_day = rows[i][0] // DAY + 2
    before = (rows[i - 1][9] if i else rows[i][9] - rows[i][2]) - floor
    for k in range(i + 1, len(rows)):
        r = rows[k]
        if r[0] // DAY > last_day:
            return None
        if r[3] == "emi" and r[1] < 0:
            pre_emi = r[9] + r[2] - floor
            if before < r[2] and pre_emi - rows[i][2] < r[2] <= pre_emi:
                return k
    return None
