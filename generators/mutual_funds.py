"""Mutual fund source (ReBIT MUTUAL_FUNDS): one HOLDING per folio followed by its TRANSACTIONs.

Units move with every SIP, lump sum and redemption at the day's NAV, so the
holding is the sum of its history; the same events are returned as cash flows
for the bank (SIP and purchase debits, redemption credits two working days
later).
"""
from __future__ import annotations

from .seeding import random_for
from .timeline import DAY, Clock, next_working_day


def build_mutual_funds(plan) -> tuple[list[dict], list[tuple]]:
    """Return (MF records, bank cash flows as (instant, sign, amount, kind, scheme))."""
    rng = random_for(plan.seed, "mutual_funds")
    clock = Clock()
    records, flows = [], []
    nav_day = plan.end_ord - 1
    while nav_day % 7 in (6, 0):  # ordinal % 7: 0 is Sunday, 6 Saturday
        nav_day -= 1
    lock_from = plan.end_ord - 3 * 365
    for scheme in plan.schemes:
        events = [(d, 0, scheme.sip_amount) for _, d in scheme.sip_dates(plan)]
        events += [(d, 1, amount) for d, amount in scheme.lumpsums]
        events += [(d, 2, share) for d, share in scheme.sells]
        if scheme.lien:
            events.append((scheme.lien[0], 3, scheme.lien[1]))
        events.sort()
        units, cost, lien, locked = scheme.opening_units, scheme.opening_cost, 0.0, 0.0
        txns = []
        base = {"recordType": "TRANSACTION", "folioNo": scheme.folio, "amc": scheme.amc, "registrar": scheme.registrar,
                "schemeCode": scheme.code, "schemeName": scheme.name, "isin": scheme.isin,
                "schemeCategory": scheme.category}
        for k, (day, kind, value) in enumerate(events):
            nav = scheme.nav_on(plan, day)
            row = {**base, "txnId": f"MF{scheme.folio.split('/')[0]}{k + 1:04d}", "executionDate": clock.date(day),
                   "nav": nav, "navDate": clock.date(day)}
            if kind in (0, 1):
                bought = round(value / nav, 3)
                units = round(units + bought, 3)
                cost += value
                if scheme.category == "ELSS" and day >= lock_from:
                    locked = round(locked + bought, 3)
                row.update(type="SIP" if kind == 0 else "BUY", amount=round(value, 2), units=bought,
                           mode="SIP" if kind == 0 else "LUMPSUM")
                flows.append((day * DAY + rng.randint(5 * 3600, 9 * 3600) if kind == 0 else
                               day * DAY + rng.randint(10 * 3600, 15 * 3600), -1, round(value, 2),
                               "sip" if kind == 0 else "purchase", scheme))
            elif kind == 2:
                free = max(0.0, units - lien - locked)
                sold = round(free * value, 3)
                if sold <= 0:
                    continue
                amount = round(sold * nav, 2)
                cost = cost * (units - sold) / units
                units = round(units - sold, 3)
                row.update(type="SELL", amount=amount, units=sold, mode="DEMAT")
                credit_day = next_working_day(next_working_day(day + 1) + 1)
                if credit_day < plan.end_ord:
                    flows.append((credit_day * DAY + rng.randint(10 * 3600, 15 * 3600), 1, amount, "redemption", scheme))
            else:
                lien = round(min(units, units * value), 3)
                row.update(type="LIEN_MARK", amount=round(lien * nav, 2), units=lien, mode="DEMAT")
            txns.append(row)
        nav = scheme.nav_on(plan, nav_day)
        records.append({
            "recordType": "HOLDING", "folioNo": scheme.folio, "amc": scheme.amc, "registrar": scheme.registrar,
            "schemeCode": scheme.code, "schemeName": scheme.name, "isin": scheme.isin,
            "schemeCategory": scheme.category, "units": units, "nav": nav, "navDate": clock.date(nav_day),
            "lienUnits": min(lien, units), "lockinUnits": min(locked, units), "investmentValue": round(cost, 2),
            "currentValue": round(units * nav, 2),
        })
        records.extend(txns)
    return records, flows
