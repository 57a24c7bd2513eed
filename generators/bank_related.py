"""Related-party money, multi-hop round trips and the owner's own UPI top-ups, planted with their truth.

A borrower declares its related parties (a family member, a group concern) in the application; the
statement then shows them paying in as if they were buyers. A round trip need not come back from the
party it went to: money goes out to one shell and returns from another a day or two later (two hops),
or comes in from one, goes out to a second and returns from a third (three hops). And an owner tops the
account up by UPI from a personal phone, under a name the bank prints differently from the holder's
(initials, first name only), which is own money, not sales.

Each is planted per profile (:class:`~generators.profiles.Profile` ``related_credits``,
``multi_hop_chains``, ``self_upi_credits``) from its own random stream, so no other line moves, and
written to ``truth.planted`` by :mod:`generators.bank`.
"""
from __future__ import annotations

from . import names
from .bank_flows import FIXED, Flows
from .identity import firm_name, upper_name
from .related_parties import related_parties
from .seeding import random_for
from .timeline import DAY, next_working_day


def _day_in(f: Flows, rng, lead_days: int) -> int | None:
    """A working day at least ``lead_days`` before the window ends, inside the window."""
    lo, hi = f.plan.start_ord + 5, f.plan.end_ord - lead_days - 2
    if hi <= lo:
        return None
    return next_working_day(rng.randrange(lo, hi))


def related_credits(f: Flows) -> list[tuple[int, str, str]]:
    """Credits from declared related parties (NEFT/IMPS, lakh-sized); returns (seq, party, relation)."""
    plan, nar = f.plan, f.nar
    lo, hi = plan.profile.related_credits
    rng = random_for(plan.seed, "bank.related")
    parties = related_parties(plan)
    mean_credit = sum(plan.credit_est) / len(plan.credit_est)
    out = []
    for _ in range(rng.randint(lo, hi) if hi else 0):
        party = parties[rng.randrange(len(parties))]
        day = _day_in(f, rng, 1)
        if day is None:
            break
        ts = day * DAY + rng.randint(10 * 3600, 17 * 3600)
        amount = round(max(50_000.0, mean_credit * rng.uniform(0.08, 0.25)), -3)
        seq = len(f.events)
        if f.add(ts, 1, amount, "related_credit",
                 nar.transfer(ts, rng.choice(("NEFT", "IMPS")), party["statement_name"], "HDFC0000001")):
            out.append((seq, party["statement_name"], party["relation"]))
    return out


def multi_hop(f: Flows) -> list[tuple[list[int], list[str]]]:
    """Round trips through two or three shell parties; returns ([seqs in chain order], [parties])."""
    plan, nar = f.plan, f.nar
    lo, hi = plan.profile.multi_hop_chains
    rng = random_for(plan.seed, "bank.multi_hop")
    mean_credit = sum(plan.credit_est) / len(plan.credit_est)
    known = {p.stmt_name for p in list(plan.suppliers) + [b.party for b in plan.buyers] + list(plan.partners)}
    out = []
    for _ in range(rng.randint(lo, hi) if hi else 0):
        day = _day_in(f, rng, 8)
        if day is None:
            break
        shells: list[str] = []
        while len(shells) < 3:   # strangers: never a buyer, supplier or partner the business trades with
            name = upper_name(firm_name(rng, rng.choice(tuple(names.INDUSTRIES)), plan.identity.region))
            if name not in shells and name not in known:
                shells.append(name)
        amount = round(max(150_000.0, mean_credit * rng.uniform(0.2, 0.5)), -3)
        legs = [(-1, shells[0]), (1, shells[1])] if rng.random() < 0.5 else [(1, shells[0]), (-1, shells[1]),
                                                                            (1, shells[2])]
        ts = day * DAY + rng.randint(11 * 3600, 16 * 3600)
        seqs, parties = [], []
        for k, (sign, party) in enumerate(legs):
            if k:
                ts += rng.randint(1, 3) * DAY + rng.randint(-3600, 3600)
                amount = round(amount * (1 - rng.uniform(0.0, plan.hop_cut)), 2)   # a hop keeps a small cut
            seq = len(f.events)
            ifsc = f"{rng.choice(names.BANKS)[0]}0{rng.randrange(10 ** 6):06d}"
            rail = "RTGS" if amount >= 200_000 else "NEFT"
            if not f.add(ts, sign, amount, "hop_in" if sign > 0 else "hop_out",
                         nar.transfer(ts, rail, party, ifsc, credit=sign > 0), FIXED):
                break
            seqs.append(seq)
            parties.append(party)
        if len(seqs) == len(legs):
            out.append((seqs, parties))
    return out


def self_upi_credits(f: Flows) -> list[int]:
    """The owner topping the account up by UPI from a personal phone; returns the seqs."""
    plan, nar = f.plan, f.nar
    lo, hi = plan.profile.self_upi_credits
    rng = random_for(plan.seed, "bank.self_upi")
    ident = plan.identity
    parts = ident.owner_stmt_name.split()
    printed = (f"{parts[0][0]} {parts[-1]}", parts[0], ident.owner_stmt_name,
               " ".join(p[0] for p in parts[:-1]) + f" {parts[-1]}")
    out = []
    for _ in range(rng.randint(lo, hi) if hi else 0):
        day = _day_in(f, rng, 1)
        if day is None:
            break
        ts = day * DAY + rng.randint(8 * 3600, 22 * 3600)
        amount = float(rng.choice((10_000, 20_000, 25_000, 40_000, 50_000, 75_000, 100_000)))
        ref = nar.rrn(ts)
        handle = rng.choice(("ybl", "okaxis", "oksbi", "paytm"))
        vpa = f"{ident.mobile}@{handle}"
        text = nar.style.upi(True, ref, rng.choice(printed), vpa, "UTIB0000001", rng.choice(("Self", "Own", "NA")),
                             p2m=False)
        seq = len(f.events)
        if f.add(ts, 1, amount, "self_upi_credit", (text, "UPI", ref)):
            out.append(seq)
    return out
