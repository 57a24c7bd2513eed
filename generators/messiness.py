"""Realistic mess, planted on purpose and written down exactly.

Real FIPs send amounts as strings with lakh grouping and rupee prefixes, dates
in four formats, lower-case enums, missing optional fields, re-sent records and
the odd line nothing can save. :func:`render_source` turns canonical records
into such raw lines and returns an exact account of what it did, which goes to
``logs/<customer_id>/injected.json`` so tests can hold the cleaner to it.

The mess is driven by the same :mod:`pipeline.sources` specs the cleaner uses,
and its amount of damage by ``config.json``'s ``messiness_config``.
"""
from __future__ import annotations

import hashlib
import random
from collections import Counter
from datetime import date, datetime
from typing import Any

import orjson

from pipeline.indian import grouped_decimal
from pipeline.normalize import IST
from pipeline.sources import SourceSpec, compile_paths, iter_slots

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
AMOUNT_FORMATS = ("number", "plain_string", "indian_grouped", "rupee_symbol", "rs_prefix")
DATE_FORMATS = ("iso", "dd/mm/yyyy", "dd-mon-yyyy", "epoch_ms")


def indian_grouping(value: float) -> str:
    """``1234567.5`` -> ``12,34,567.50`` (the lakh/crore grouping Indian banks print)."""
    return grouped_decimal(value, 2)


def format_amount(value: float, fmt: str) -> tuple[Any, str | None]:
    """Render a canonical amount in one of the formats sources use; return it and the repair it will need."""
    if fmt == "number":
        return value, None
    if fmt == "plain_string" or (fmt == "indian_grouped" and abs(value) < 1000):
        return f"{value:.2f}", "amount_from_string"
    if fmt == "indian_grouped":
        return indian_grouping(value), "amount_indian_grouping"
    if fmt == "rupee_symbol":
        return "₹" + indian_grouping(value), "amount_currency_prefix"
    if fmt == "rs_prefix":
        return "Rs. " + indian_grouping(value), "amount_currency_prefix"
    raise ValueError(f"unknown amount format {fmt!r}")


def format_date(value: str, fmt: str) -> tuple[Any, str | None]:
    """Render a canonical ``YYYY-MM-DD`` date in one of the formats sources use."""
    if fmt == "iso":
        return value, None
    day = date.fromisoformat(value)
    if fmt == "dd/mm/yyyy":
        return f"{day.day:02d}/{day.month:02d}/{day.year}", "date_dd/mm/yyyy"
    if fmt == "dd-mon-yyyy":
        return f"{day.day:02d}-{MONTH_ABBR[day.month - 1]}-{day.year}", "date_dd-mon-yyyy"
    if fmt == "epoch_ms":
        midnight = datetime(day.year, day.month, day.day, tzinfo=IST)
        return int(midnight.timestamp()) * 1000, "date_epoch_ms"
    raise ValueError(f"unknown date format {fmt!r}")


def format_timestamp(value: str, fmt: str) -> tuple[Any, str | None]:
    """Render a canonical IST timestamp in one of the formats sources use."""
    if fmt == "iso":
        return value, None
    moment = datetime.fromisoformat(value).astimezone(IST)
    clock = f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    if fmt == "dd/mm/yyyy":
        return f"{moment.day:02d}/{moment.month:02d}/{moment.year} {clock}", "timestamp_dd/mm/yyyy"
    if fmt == "dd-mon-yyyy":
        return f"{moment.day:02d}-{MONTH_ABBR[moment.month - 1]}-{moment.year} {clock}", "timestamp_dd-mon-yyyy"
    if fmt == "epoch_ms":
        return int(moment.timestamp() * 1000), "timestamp_epoch_ms"
    raise ValueError(f"unknown timestamp format {fmt!r}")


def mess_rng(seed: int, source: str) -> random.Random:
    """An independent, stable random stream for one source's mess."""
    digest = hashlib.sha256(f"{seed}:mess:{source}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


class _Chooser:
    """Weighted choice of a format name from ``messiness_config`` weights."""

    def __init__(self, weights: dict[str, float], known: tuple[str, ...]):
        unknown = set(weights) - set(known)
        if unknown:
            raise ValueError(f"unknown formats in messiness_config: {sorted(unknown)}")
        self.names = [k for k in known if weights.get(k, 0) > 0]
        total = sum(weights[k] for k in self.names)
        acc, self.cumulative = 0.0, []
        for name in self.names:
            acc += weights[name] / total
            self.cumulative.append(acc)

    def pick(self, rng: random.Random) -> str:
        r = rng.random()
        for name, edge in zip(self.names, self.cumulative):
            if r < edge:
                return name
        return self.names[-1]


class SourceMesser:
    """Damages canonical records of one source the way real feeds are damaged."""

    def __init__(self, spec: SourceSpec, mess: dict):
        self.spec = spec
        self.amount_paths = compile_paths(spec.amounts)
        self.decimal_paths = compile_paths(spec.decimals)
        self.date_paths = compile_paths(spec.dates)
        self.ts_paths = compile_paths(spec.timestamps)
        self.bool_paths = compile_paths(spec.booleans)
        self.int_paths = compile_paths(spec.integers)
        self.enum_paths = [(steps, set(allowed)) for (_, steps), allowed
                           in zip(compile_paths(tuple(spec.enums)), spec.enums.values())]
        self.droppable = [(path, steps, kind) for (path, steps), kind
                          in zip(compile_paths(tuple(spec.droppable)), spec.droppable.values())]
        self.amount_choice = _Chooser(mess["amount_formats"], AMOUNT_FORMATS)
        self.date_choice = _Chooser(mess["date_formats"], DATE_FORMATS)
        self.lower_rate = float(mess.get("enum_lowercase_rate", 0))
        self.missing_rate = float(mess.get("missing_optional_rate", 0))

    def mess(self, record: dict, rng: random.Random, repairs: Counter, missing: Counter) -> dict:
        """Return a damaged copy of ``record``, counting every repair the cleaner will need."""
        out = orjson.loads(orjson.dumps(record))
        for path, steps, kind in self.droppable:
            if rng.random() < self.missing_rate:
                parent = out
                for step in steps[:-1]:
                    parent = parent.get(step) if isinstance(parent, dict) else None
                if isinstance(parent, dict) and steps[-1] in parent:
                    del parent[steps[-1]]
                    if kind:
                        repairs[kind] += 1
                    else:
                        missing[path] += 1
        for _, steps in self.amount_paths:
            for container, key in list(iter_slots(out, steps)):
                if isinstance(container[key], (int, float)) and not isinstance(container[key], bool):
                    container[key], kind = format_amount(float(container[key]), self.amount_choice.pick(rng))
                    if kind:
                        repairs[kind] += 1
        for _, steps in self.decimal_paths:
            for container, key in list(iter_slots(out, steps)):
                if isinstance(container[key], float) and rng.random() < 0.5:
                    container[key] = repr(container[key])
                    repairs["number_from_string"] += 1
        for paths, formatter in ((self.date_paths, format_date), (self.ts_paths, format_timestamp)):
            for _, steps in paths:
                for container, key in list(iter_slots(out, steps)):
                    if isinstance(container[key], str):
                        container[key], kind = formatter(container[key], self.date_choice.pick(rng))
                        if kind:
                            repairs[kind] += 1
        for _, steps in self.bool_paths:
            for container, key in list(iter_slots(out, steps)):
                if isinstance(container[key], bool) and rng.random() < 0.5:
                    container[key] = "true" if container[key] else "false"
                    repairs["boolean_from_string"] += 1
        for _, steps in self.int_paths:
            for container, key in list(iter_slots(out, steps)):
                if type(container[key]) is int and rng.random() < 0.2:
                    container[key] = str(container[key])
                    repairs["integer_from_string"] += 1
        for steps, allowed in self.enum_paths:
            for container, key in list(iter_slots(out, steps)):
                value = container[key]
                if value in allowed and value.lower() != value and rng.random() < self.lower_rate:
                    container[key] = value.lower()
                    repairs["enum_case"] += 1
        return out


_CORRUPTORS = {
    "type:enum": lambda r: r.__setitem__("type", "PENDING"),
    "amount:exclusiveMinimum": lambda r: r.__setitem__("amount", -abs(r["amount"]) or -1.0),
    "ret_prd:pattern": lambda r: r.__setitem__("ret_prd", "13" + r["ret_prd"][2:]),
    "sup_details/osup_det/txval:minimum": lambda r: r["sup_details"]["osup_det"].__setitem__(
        "txval", -abs(r["sup_details"]["osup_det"]["txval"]) or -1.0),
    "paymentHistory:pattern": lambda r: r.__setitem__("paymentHistory", "0Q0" + r["paymentHistory"][3:]),
    "status:enum": lambda r: r.__setitem__("status", "LIMBO"),
    "state:enum": lambda r: r.__setitem__("state", "Teleported"),
}


def _corruptible(code: str, record: dict) -> bool:
    if code == "sup_details/osup_det/txval:minimum":
        return record.get("return_type") == "GSTR3B"
    if code == "paymentHistory:pattern":
        return record.get("segment") == "TRADELINE" and len(record.get("paymentHistory", "")) >= 3
    if code == "ret_prd:pattern":
        return isinstance(record.get("ret_prd"), str)
    return True


def render_source(spec: SourceSpec, records: list[dict], mess: dict, rng: random.Random,
                  plant_unrepairable: bool = True) -> tuple[list[bytes], dict]:
    """Turn canonical records into messy raw lines and an exact account of the damage.

    Duplicates are re-sent copies (rendered again, so they may look different
    but normalise to the same record) placed after their original; the
    unrepairable lines are extra damaged copies, so the real records all
    survive cleaning. ``plant_unrepairable=False`` draws the same random
    stream but leaves those extra lines out: every other line is byte for byte
    what the default writes, which is how the local FIP serves the very data
    the generate stage wrote, minus what nothing could import.
    """
    messer = SourceMesser(spec, mess)
    repairs: Counter = Counter()
    missing: Counter = Counter()
    bad_repairs, bad_missing = (repairs, missing) if plant_unrepairable else (Counter(), Counter())
    n = len(records)
    n_dup = int(round(n * float(mess.get("duplicate_rate", 0))))
    n_bad = int(round(n * float(mess.get("unrepairable_rate", 0))))
    dup_of = sorted(rng.sample(range(n), min(n_dup, n))) if n else []
    kinds = ["malformed_json", *spec.corruptions]
    bad: list[tuple[int, bytes, str]] = []
    unrepairable: Counter = Counter()
    for i in range(n_bad if n else 0):
        code = kinds[i % len(kinds)]
        base = records[rng.randrange(n)]
        if code == "malformed_json":
            line = orjson.dumps(base)
            line = line[: max(1, len(line) // 2)]
        else:
            if not _corruptible(code, base):
                code, line = "malformed_json", orjson.dumps(base)[:-1]
            else:
                damaged = orjson.loads(orjson.dumps(base))
                _CORRUPTORS[code](damaged)
                line = orjson.dumps(messer.mess(damaged, rng, bad_repairs, bad_missing))
        unrepairable[code] += 1
        bad.append((rng.randrange(n + 1), line, code))
    if not plant_unrepairable:
        bad, unrepairable = [], Counter()
    bad.sort(key=lambda item: item[0])
    dup_set = Counter(dup_of)
    lines: list[bytes] = []
    bad_iter = iter(bad)
    next_bad = next(bad_iter, None)
    for index, record in enumerate(records):
        while next_bad is not None and next_bad[0] == index:
            lines.append(next_bad[1])
            next_bad = next(bad_iter, None)
        lines.append(orjson.dumps(messer.mess(record, rng, repairs, missing)))
        for _ in range(dup_set.get(index, 0)):
            lines.append(orjson.dumps(messer.mess(record, rng, repairs, missing)))
    while next_bad is not None:
        lines.append(next_bad[1])
        next_bad = next(bad_iter, None)
    account = {
        "generated": n,
        "lines": len(lines),
        "duplicates": len(dup_of),
        "unrepairable": dict(sorted(unrepairable.items())),
        "repairs": dict(sorted(repairs.items())),
        "missing_optional": dict(sorted(missing.items())),
        "expected": {"written": n, "duplicates": len(dup_of), "quarantined": sum(unrepairable.values())},
    }
    return lines, account
