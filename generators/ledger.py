"""Post planned events in time order and keep a running balance that tallies to the paise.

This is where the account's limit is enforced: the balance never goes below
``floor`` (zero, or minus the OD/CC limit). Flexible debits are trimmed or
skipped when the money is not there, sweeps (owner draws) take only the
surplus above a target while keeping a reserve for the next week's fixed
debits, and a fixed debit the balance cannot carry is preceded by the owner
topping the account up, as real promoters do. OD/CC interest is charged at
each month end on the day-weighted debit balance.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from operator import itemgetter
from typing import Callable

from .bank_flows import ANOMALY, DRAW, FIXED, FLEX, KIND, PAISE, SEQ, SIGN, TS
from .timeline import DAY

Line = tuple[str, str, str]


@dataclass
class LedgerParams:
    """How one account behaves: where it starts, how low it may go, what it sweeps down to."""

    opening: int                 # paise
    floor: int                   # paise; 0 or -limit
    buffer: int                  # paise kept above the floor
    draw_target: int             # paise; sweeps leave at least this much
    od_rate: float               # annual rate on debit balances; 0 when there is no facility
    bounds: list[int]            # instants where months end (start of the next month), oldest first
    interest_line: Callable[[int], Line]
    infusion_line: Callable[[int], Line]
    reserve_days: int = 10


@dataclass
class Posted:
    """Result of posting: rows in file order (each ends with its balance and planning seq)."""

    rows: list[tuple]
    balance: int
    infusions: int
    trimmed: int
    skipped: int


def post(events: list[list], params: LedgerParams) -> Posted:
    """Sort events by time and post them, returning rows ``(ts, sign, paise, cat, mode, narration,
    reference, link, value-date delay, balance, seq)``; ``seq`` is ``-1`` for lines the ledger added."""
    events.sort(key=itemgetter(TS, SEQ))
    fts, pre = [], [0]
    for e in events:
        if e[SIGN] < 0 and e[KIND] == FIXED:
            fts.append(e[TS])
            pre.append(pre[-1] + e[PAISE])
    horizon = params.reserve_days * DAY
    floor, buffer = params.floor, params.buffer
    bal = params.opening
    rows: list[tuple] = []
    add = rows.append
    infusions = trimmed = skipped = 0
    bounds, bi, area, last = params.bounds, 0, 0, None
    rate = params.od_rate / 365.0 / DAY
    comfort = params.draw_target
    span = max(1, comfort - floor)

    def infuse(ts: int, need: int) -> None:
        """Post an owner top-up big enough to cover ``need`` plus the buffer."""
        nonlocal bal, infusions
        amount = -(-(need + buffer) // 1_000_000) * 1_000_000  # round up to 10,000 rupees
        bal += amount
        text, mode, ref = params.infusion_line(ts)
        add((ts, 1, amount, "self_transfer_in", mode, text, ref, None, 0, bal, -1))
        infusions += 1

    def close_month(until: int) -> None:
        """Charge interest on the month's day-weighted debit balance, just before ``until``."""
        nonlocal bal, area, last, bi
        if last is not None and bal < 0:
            area += -bal * (until - last)
        last = until
        interest = round(area * rate)
        area = 0
        if interest >= 100:
            ts = until - 1
            if bal - interest < floor:
                infuse(ts, floor - (bal - interest))
            bal -= interest
            text, mode, ref = params.interest_line(bi)
            add((ts, -1, interest, "od_interest", mode, text, ref, None, 0, bal, -1))
        bi += 1

    for ts, seq, sign, amount, cat, mode, narration, ref, kind, link, vdelay in events:
        if rate:
            while bi < len(bounds) and ts >= bounds[bi]:
                close_month(bounds[bi])
            if last is not None and bal < 0:
                area += -bal * (ts - last)
            last = ts
        if sign > 0:
            bal += amount
        else:
            if kind == FIXED:
                if bal - amount < floor:
                    infuse(ts, floor - (bal - amount))
            elif kind == FLEX or kind == DRAW:
                i = bisect_right(fts, ts)
                reserve = pre[bisect_right(fts, ts + horizon)] - pre[i]
                if kind == DRAW:
                    amount = (bal - max(params.draw_target, floor + reserve + buffer)) // 100_000 * 100_000
                    if amount < 500_000:
                        continue
                else:
                    room = bal - floor - reserve - buffer
                    if bal < comfort and cat == "supplier_payment":
                        # cash is tight: pay suppliers less (never below a fifth), as real businesses defer
                        share = max(0.2, min(1.0, room / span))
                        amount = max(10_000, int(amount * share) // 100 * 100)
                    if room < amount:
                        step = 50_000 if cat == "atm_withdrawal" else 100
                        amount = room // step * step
                        if amount < 10_000:
                            skipped += 1
                            continue
                        trimmed += 1
            elif kind == ANOMALY:
                room = bal - floor - buffer
                if room < amount:
                    if room >= amount * 2 // 5:
                        amount = room * 9 // 10 // 10_000 * 10_000
                    else:
                        infuse(ts, amount - room)
            bal -= amount
        add((ts, sign, amount, cat, mode, narration, ref, link, vdelay, bal, seq))
    if rate:
        while bi < len(bounds):
            close_month(bounds[bi])
    return Posted(rows, bal, infusions, trimmed, skipped)
