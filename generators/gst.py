"""GST source: one GSTR-1 and one GSTR-3B per month whose return fell due before as-of.

GSTR-3B's taxable outward supplies are exactly the plan's declared turnover;
GSTR-1 lists the plan's B2B invoices (real and, for fraud, fictitious ones)
plus B2C summaries for the rest, so the two returns agree up to the small
amendment gaps real filers show. Filing dates, late fees and the cash paid
(which the bank debits) follow the profile's filing behaviour.
"""
from __future__ import annotations

from . import names
from .plan_trade import gst_due, tax_split
from .seeding import random_for
from .timeline import DAY, Clock

_ZERO = {"iamt": 0.0, "camt": 0.0, "samt": 0.0, "csamt": 0.0}
_OTHER_STATES = ("27", "29", "07", "33", "24", "09")


def _tax(iamt: float, camt: float, samt: float, csamt: float = 0.0) -> dict:
    return {"iamt": round(iamt, 2), "camt": round(camt, 2), "samt": round(samt, 2), "csamt": round(csamt, 2)}


def _b2b(invoices: list) -> tuple[list[dict], list[float]]:
    groups: dict[str, list[dict]] = {}
    totals = [0.0, 0.0, 0.0, 0.0]
    clock = Clock()
    for inv in invoices:
        items = []
        for k, (rate, txval) in enumerate(inv.items):
            i, c, s = tax_split(txval, rate, inv.inter)
            items.append({"num": k + 1, "itm_det": {"rt": rate, "txval": txval, "iamt": i, "camt": c, "samt": s, "csamt": 0.0}})
            totals[0] += txval
            totals[1] += i
            totals[2] += c
            totals[3] += s
        groups.setdefault(inv.buyer.gstin, []).append({
            "inum": inv.inum, "idt": clock.date(inv.idt), "val": inv.val, "pos": inv.buyer.state_code,
            "rchrg": "N", "inv_typ": "R", "itms": items})
    return [{"ctin": ctin, "inv": inv} for ctin, inv in groups.items()], totals


def _cdnr(notes: list) -> list[dict]:
    """GSTR-1 ``cdnr``: credit notes to registered buyers, grouped by buyer GSTIN (``nt[]``, ``ntty`` C)."""
    groups: dict[str, list[dict]] = {}
    clock = Clock()
    for cn in notes:
        items = []
        for k, (rate, txval) in enumerate(cn.items):
            i, c, s = tax_split(txval, rate, cn.inter)
            items.append({"num": k + 1, "itm_det": {"rt": rate, "txval": txval, "iamt": i, "camt": c, "samt": s, "csamt": 0.0}})
        groups.setdefault(cn.buyer.gstin, []).append({
            "ntty": "C", "nt_num": cn.nt_num, "nt_dt": clock.date(cn.nt_dt), "val": cn.val, "pos": cn.buyer.state_code,
            "rchrg": "N", "inv_typ": "R", "itms": items})
    return [{"ctin": ctin, "nt": nt} for ctin, nt in groups.items()]


def _b2cs(plan, rng, month_index: int, txval: float) -> tuple[list[dict], list[float]]:
    rates = names.INDUSTRIES[plan.identity.industry][0]
    wsum = sum(w for _, w in rates)
    ondc = plan.channels["ondc"][month_index]
    inter_share = min(0.8, 0.6 * ondc / txval) if txval > 0 else 0.0
    out, totals, left = [], [0.0, 0.0, 0.0, 0.0], round(txval, 2)
    home = plan.identity.state_code
    other = next(s for s in _OTHER_STATES if s != home)
    for j, (rate, w) in enumerate(rates):
        part = left if j == len(rates) - 1 else round(txval * w / wsum, 2)
        left = round(left - part, 2)
        inter = round(part * inter_share, 2)
        for sply, pos, value in (("INTRA", home, round(part - inter, 2)), ("INTER", other, inter)):
            if value <= 0:
                continue
            i, c, s = tax_split(value, float(rate), sply == "INTER")
            out.append({"sply_ty": sply, "pos": pos, "typ": "OE", "rt": float(rate), "txval": value,
                        "iamt": i, "camt": c, "samt": s, "csamt": 0.0})
            for k, v in enumerate((value, i, c, s)):
                totals[k] += v
    return out, totals


def build_gst(plan) -> tuple[list[dict], list[tuple[int, float, str]]]:
    """Return (GST return records in filing-period order, GST cash payments as (instant, amount, CPIN))."""
    rng = random_for(plan.seed, "gst")
    p, ident = plan.profile, plan.identity
    clock = Clock()
    months = plan.months[: plan.n_gst]
    n = len(months)
    late = set(rng.sample(range(n), min(n, round(p.gst_late_prob * n))))
    high_itc = set(rng.sample(range(n), min(n, -(-int(p.itc_high_share * 100) * n // 100))))
    by_month: dict[int, list] = {}
    for inv in plan.invoices:
        if 0 <= inv.month < n:
            by_month.setdefault(inv.month, []).append(inv)
    records, payments = [], []
    last_day = plan.end_ord - 1
    for m in months:
        i = m.index
        b2b, b2b_tot = _b2b(by_month.get(i, []))
        declared = plan.declared[i]
        b2cs, b2cs_tot = _b2cs(plan, rng, i, max(0.0, round(declared - b2b_tot[0], 2)))
        out_i, out_c, out_s = (b2b_tot[k] + b2cs_tot[k] for k in (1, 2, 3))
        output = out_i + out_c + out_s
        due3b, due1 = gst_due(m, "GSTR3B"), gst_due(m, "GSTR1")
        if i in late:
            days = rng.randint(*p.gst_late_days)
            dof3b = min(last_day, due3b + days)
            dof1 = min(last_day, due1 + rng.randint(1, days + 9))
        else:
            dof3b = due3b - rng.randint(0, 5)
            dof1 = due1 - rng.randint(0, 3)
        ratio = rng.uniform(0.96, 0.995) if i in high_itc else rng.uniform(*p.itc_ratio)
        rcm_txval = round(declared * rng.uniform(0.002, 0.006), 2)
        rcm = round(rcm_txval * 0.025, 2)
        itc_total = output * ratio
        reversal = round(itc_total * rng.uniform(0.0, 0.01), 2)
        main = max(0.0, itc_total - 2 * rcm + reversal)
        avl_oth = _tax(main * 0.3, main * 0.35, main * 0.35)
        rev_rul = _tax(reversal * 0.3, reversal * 0.35, reversal * 0.35)
        net = _tax(avl_oth["iamt"] - rev_rul["iamt"], avl_oth["camt"] - rev_rul["camt"] + rcm,
                   avl_oth["samt"] - rev_rul["samt"] + rcm)
        days_late = max(0, dof3b - due3b)
        cash = max(0.0, output - sum(net.values())) + 2 * rcm
        interest = cash * 0.18 * days_late / 365
        fee = min(25.0 * days_late, 2500.0)
        share = [x / output if output else 0 for x in (out_i, out_c, out_s)]
        status = "FILED" if dof3b >= plan.end_ord - 45 else "PROCESSED"
        common = {"gstin": ident.gstin, "ret_prd": m.ret_prd, "filing_frequency": "MONTHLY"}
        gap = rng.uniform(-0.02, 0.02) if rng.random() < 0.15 else 0.0
        if gap:
            for row in b2cs:
                for key in ("txval", "iamt", "camt", "samt"):
                    row[key] = round(row[key] * (1 + gap), 2)
        gstr1 = {**common, "return_type": "GSTR1", "due_date": clock.date(due1), "dof": clock.date(dof1),
                 "status": "FILED" if dof1 >= plan.end_ord - 45 else "PROCESSED", "b2b": b2b, "b2cs": b2cs}
        notes = [cn for cn in plan.credit_notes if cn.month == i]
        if notes:
            gstr1["cdnr"] = _cdnr(notes)
        records.append(gstr1)
        records.append({
            **common, "return_type": "GSTR3B", "due_date": clock.date(due3b), "dof": clock.date(dof3b), "status": status,
            "sup_details": {
                "osup_det": {"txval": declared, **_tax(out_i, out_c, out_s)},
                "osup_zero": {"txval": 0.0, **_ZERO},
                "osup_nil_exmp": {"txval": round(declared * rng.choice((0.0, 0.0, 0.004, 0.01)), 2), **_ZERO},
                "isup_rev": {"txval": rcm_txval, **_tax(0.0, rcm, rcm)},
                "osup_nongst": {"txval": 0.0, **_ZERO},
            },
            "itc_elg": {
                "itc_avl": [{"ty": "IMPG", **_ZERO}, {"ty": "IMPS", **_ZERO}, {"ty": "ISRC", **_tax(0.0, rcm, rcm)},
                            {"ty": "ISD", **_ZERO}, {"ty": "OTH", **avl_oth}],
                "itc_rev": [{"ty": "RUL", **rev_rul}, {"ty": "OTH", **_ZERO}],
                "itc_net": net,
                "itc_inelg": [{"ty": "RUL", **_ZERO}, {"ty": "OTH", **_ZERO}],
            },
            "intr_ltfee": {
                "intr_details": _tax(interest * share[0], interest * share[1], interest * share[2]),
                "ltfee_details": {"iamt": 0.0, "camt": fee, "samt": fee, "csamt": 0.0},
            },
        })
        amount = round(cash + interest + 2 * fee, 2)
        if amount > 0:
            ts = dof3b * DAY + rng.randint(11 * 3600, 17 * 3600)
            cpin = f"{m.year % 100:02d}{m.month:02d}{ident.state_code}{rng.randrange(10 ** 8):08d}"
            payments.append((ts, amount, cpin))
    return records, payments
