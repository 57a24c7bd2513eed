"""GSTR-2B: the auto-drafted ITC statement of every filed month, seen from the suppliers' side.

GSTN drafts a GSTR-2B on the 14th after each month from what the taxpayer's suppliers reported in their own
GSTR-1: invoice by invoice (``docdata.b2b``, grouped by supplier ``ctin``) and summed (``itcsumm``), split into
the ITC the taxpayer may take (``itcavl``) and may not (``itcunavl``, e.g. a supplier who reported past the
section 16(4) time limit). A record carries the lake's ``return_type`` (``GSTR2B``) and ``ret_prd`` (GSTN's
``rtnprd``) and the taxpayer's ``filing_frequency`` so it travels in ``gst_returns`` beside GSTR-1 and GSTR-3B
under the same natural key.

Why its ITC follows the GSTR-3B claim: the GSTR-3B already holds the ITC an honest filer takes on its purchases
(output tax x the profile's ITC ratio); the 2B lists invoices of the plan's suppliers (how many follows the
month's supplier payments, rates are the industry's) that add up to that claim within a few percent. Two real
gaps are drawn: an invoice raised at a month's end that its supplier reports a month late (it lands in the next
month's 2B, so one month is short and the next long), and now and then an invoice whose ITC is not available.
The planted fraud goes the other way: in ``profile.itc_excess`` of the months the 3B claims 15-60 % more than the
2B makes available (ITC taken on invoices no supplier reported): most months of the fraud profile, a few of a fast
grower whose purchase books run ahead of its suppliers' filings or of a supplier squeezed by one dominant buyer.
It is planted only where it is material (a claim of at least :data:`MIN_CLAIM`, so the smallest excess is over
Rs 13,000) and never next to a late-reported invoice.

Every draw comes from the ``gst.2b`` stream: the GSTR-1, the GSTR-3B and every other source stay byte-identical.
"""
from __future__ import annotations

import datetime as dt

from . import names
from .plan_trade import tax_split
from .seeding import random_for
from .timeline import Clock, add_months, next_working_day

CLAIM_TYPES = ("IMPG", "IMPS", "ISD", "OTH")   # GSTR-3B 4A rows a supplier's filing backs (ISRC is self-assessed)
AVAILABLE = ("nonrevsup", "isdsup", "imports")  # GSTR-2B itcavl sections that back them (revsup is RCM)
SECTIONS = ("nonrevsup", "isdsup", "revsup", "imports")
HEADS = ("igst", "cgst", "sgst", "cess")
EXCESS = (0.15, 0.60)      # planted: claimed / available - 1
MATCH = (0.975, 1.035)     # honest: available / claimed
SLIP = (0.01, 0.04)        # share of a month's ITC its suppliers report a month late
SLIP_PROB = 0.2
UNAVAILABLE_PROB = 0.1
MIN_CLAIM = 100_000.0


def itc_claimed(gstr3b: dict) -> float:
    """ITC a GSTR-3B claims that a GSTR-2B should back: Σ IGST+CGST+SGST+cess of ``itc_avl`` rows in CLAIM_TYPES."""
    return round(sum(float(row.get(h) or 0) for row in gstr3b["itc_elg"]["itc_avl"] if row.get("ty") in CLAIM_TYPES
                     for h in ("iamt", "camt", "samt", "csamt")), 2)


def itc_available(gstr2b: dict) -> float:
    """ITC a GSTR-2B makes available: Σ of the four heads of ``itcsumm.itcavl`` nonrevsup, isdsup and imports."""
    avl = gstr2b["itcsumm"]["itcavl"]
    return round(sum(float(avl[s].get(h) or 0) for s in AVAILABLE for h in HEADS), 2)


def _heads(values: list[float]) -> dict:
    return {h: round(v, 2) for h, v in zip(HEADS, values)}


def _invoice(rng, plan, supplier, day: int, itc: float, seq: int, available: bool) -> dict:
    """One supplier invoice whose tax comes to ``itc``, in GSTR-2B ``docdata.b2b[].inv[]`` shape."""
    rates = [(r, w) for r, w in names.INDUSTRIES[plan.identity.industry][0] if r > 0]
    inter = supplier.state_code != plan.identity.state_code
    k = rng.choice((1, 1, 2))
    weights = [rng.uniform(0.3, 1.0) for _ in range(k)]
    items, totals = [], [0.0] * 5
    for j, w in enumerate(weights):
        rate = float(rng.choices([r for r, _ in rates], weights=[x for _, x in rates])[0])
        txval = round(itc * w / sum(weights) * 100.0 / rate, 2)
        i, c, s = tax_split(txval, rate, inter)
        items.append({"num": j + 1, "rt": rate, "txval": txval, "igst": i, "cgst": c, "sgst": s, "cess": 0.0})
        for n, v in enumerate((txval, i, c, s, 0.0)):
            totals[n] += v
    d = dt.date.fromordinal(day)
    fy = d.year if d.month >= 4 else d.year - 1
    words = [w for w in supplier.name.replace("&", "").split() if w[0].isalpha()]
    prefix = "".join(w[0] for w in words[:3]).upper()
    return {"inum": f"{prefix}/{fy % 100:02d}-{(fy + 1) % 100:02d}/{seq:04d}", "typ": "R", "dt": d.isoformat(),
            "val": round(sum(totals), 2), "pos": plan.identity.state_code, "rev": "N",
            "itcavl": "Y" if available else "N", "rsn": "" if available else "C", "txval": round(totals[0], 2),
            "igst": round(totals[1], 2), "cgst": round(totals[2], 2), "sgst": round(totals[3], 2), "cess": 0.0,
            "items": items}


def _split(rng, total: float, n: int) -> list[float]:
    weights = [rng.uniform(0.4, 1.6) for _ in range(n)]
    return [total * w / sum(weights) for w in weights]


def build_gstr2b(plan, returns: list[dict]) -> tuple[list[dict], list[dict]]:
    """Return (one GSTR-2B per filed GSTR-3B, the planted ITC excess as truth) for the returns ``build_gst`` made.

    Truth rows are ``{"period": "YYYY-MM", "claimed", "available"}`` for exactly the planted months, with the
    two figures as :func:`itc_claimed` and :func:`itc_available` read them off the records.
    """
    rng = random_for(plan.seed, "gst.2b")
    clock = Clock()
    g3b = {r["ret_prd"]: r for r in returns if r["return_type"] == "GSTR3B"}
    months = [m for m in plan.months[: plan.n_gst] if m.ret_prd in g3b]
    claimed = [itc_claimed(g3b[m.ret_prd]) for m in months]
    n = len(months)
    eligible = [i for i in range(n) if claimed[i] >= MIN_CLAIM]
    planted = set(rng.sample(eligible, min(len(eligible), round(plan.profile.itc_excess * n))))
    target = [claimed[i] / (1 + rng.uniform(*EXCESS)) if i in planted else claimed[i] * rng.uniform(*MATCH)
              for i in range(n)]
    slip = [0.0] * n
    for i in range(n - 1):
        if i not in planted and i + 1 not in planted and rng.random() < SLIP_PROB:
            slip[i] = target[i] * rng.uniform(*SLIP)
    weights = [1.0 / (k + 1) for k in range(len(plan.suppliers))]
    seqs = {s.gstin: rng.randint(1, 400) for s in plan.suppliers}
    names_by = {s.gstin: s.name for s in plan.suppliers}
    records, truth = [], []
    for i, m in enumerate(months):
        count = max(2, min(12, plan.counts["supplier"][m.index]))
        pieces = [(rng.choices(plan.suppliers, weights=weights)[0],
                   min(next_working_day(m.start + rng.randrange(m.days)), m.end), part, True)
                  for part in _split(rng, target[i] - slip[i], count)]
        if i and slip[i - 1]:
            prev = months[i - 1]
            pieces.append((rng.choice(plan.suppliers), prev.end - rng.randrange(3), slip[i - 1], True))
        if rng.random() < UNAVAILABLE_PROB:
            pieces.append((rng.choice(plan.suppliers), min(next_working_day(m.start + rng.randrange(m.days)), m.end),
                           claimed[i] * rng.uniform(0.005, 0.02), False))
        pieces.sort(key=lambda piece: piece[1])
        groups: dict[str, list[dict]] = {}
        sums = {True: [0.0] * 4, False: [0.0] * 4}
        for supplier, day, itc, available in pieces:
            seqs[supplier.gstin] += 1
            inv = _invoice(rng, plan, supplier, day, itc, seqs[supplier.gstin], available)
            groups.setdefault(supplier.gstin, []).append(inv)
            for k, h in enumerate(HEADS):
                sums[available][k] += inv[h]
        ny, nm = add_months(m.year, m.month, 1)
        b2b = [{"ctin": ctin, "trdnm": names_by[ctin], "supprd": m.ret_prd,
                "supfildt": dt.date(ny, nm, rng.randint(1, 11)).isoformat(),
                "inv": sorted(invs, key=lambda v: (v["dt"], v["inum"]))} for ctin, invs in sorted(groups.items())]
        zero = _heads([0.0] * 4)
        summary = {}
        for key, flag in (("itcavl", True), ("itcunavl", False)):
            heads = _heads(sums[flag])
            summary[key] = {"nonrevsup": {**heads, "b2b": dict(heads)}, "isdsup": dict(zero), "revsup": dict(zero),
                            "imports": dict(zero)}
        record = {"gstin": plan.identity.gstin, "ret_prd": m.ret_prd, "filing_frequency": "MONTHLY",
                  "return_type": "GSTR2B", "version": "1.0",
                  "gendt": clock.date(dt.date(ny, nm, 14).toordinal()), "itcsumm": summary, "docdata": {"b2b": b2b}}
        records.append(record)
        if i in planted:
            truth.append({"period": m.label, "claimed": claimed[i], "available": itc_available(record)})
    return records, truth
