"""Realistic mess, planted on purpose and written down exactly.

Real FIPs send amounts as strings with lakh grouping and rupee prefixes, dates
in four formats, lower-case enums, missing optional fields, re-sent records and
the odd line nothing can save. :func:`render_source` turns canonical records
into such raw lines and returns an exact account of what it did, which goes to
``logs/<customer_id>/injected.json`` so tests can hold the cleaner to it.

The mess is driven by the same :mod:`pipeline.sources` specs the cleaner uses,
and its amount of damage by ``config.json``'s ``messiness_config``. The shapes
a value can take are in :mod:`generators.mess_formats`; :class:`SourceMesser`
says plainly what is done to a record, and :mod:`generators.mess_compiled`
does the same, draw for draw, several times faster.
"""
from __future__ import annotations

import hashlib
import random
from collections import Counter

import orjson

from pipeline.sources import SourceSpec, compile_paths, iter_slots

from .gc_pause import without_cycle_collection
from .mess_compiled import compile_mess
from .mess_formats import (AMOUNT_FORMATS, DATE_FORMATS, MONTH_ABBR, Chooser, format_amount, format_date,
                           format_timestamp, indian_grouping)

__all__ = ["AMOUNT_FORMATS", "DATE_FORMATS", "MONTH_ABBR", "SourceMesser", "format_amount", "format_date",
           "format_timestamp", "indian_grouping", "mess_rng", "render_source"]


def mess_rng(seed: int, source: str) -> random.Random:
    """An independent, stable random stream for one source's mess."""
    digest = hashlib.sha256(f"{seed}:mess:{source}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


class SourceMesser:
    """Damages canonical records of one source the way real feeds are damaged.

    The plain form: it renders sources of a few records, and it is the specification the compiled form
    (:func:`generators.mess_compiled.compile_mess`) is tested against.
    """

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
        self.amount_choice = Chooser(mess["amount_formats"], AMOUNT_FORMATS)
        self.date_choice = Chooser(mess["date_formats"], DATE_FORMATS)
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


_COMPILE_FROM = 50   # records; compiling a source's mess takes about a millisecond, rendering a few records plain less


def _kept(line: bytes) -> bytes:
    """``line`` copied into a buffer of its own size, to be kept among tens of thousands of others.

    orjson serialises into a buffer of about a kilobyte and shrinks it; holding 17,000 such shrunken
    buffers alive made the C allocator several times slower than serialising them (measured: 45 ms
    against 12 ms for one busy statement), while a short line copied here comes from Python's own
    small-object allocator. Same bytes either way.
    """
    return bytes(memoryview(line))


@without_cycle_collection
def render_source(spec: SourceSpec, records: list[dict], mess: dict, rng: random.Random,
                  plant_unrepairable: bool = True, compiled: bool | None = None) -> tuple[list[bytes], dict]:
    """Turn canonical records into messy raw lines and an exact account of the damage.

    Duplicates are re-sent copies (rendered again, so they may look different
    but normalise to the same record) placed after their original; the
    unrepairable lines are extra damaged copies, so the real records all
    survive cleaning. ``plant_unrepairable=False`` draws the same random
    stream but leaves those extra lines out: every other line is byte for byte
    what the default writes, which is how the local FIP serves the very data
    the generate stage wrote, minus what nothing could import.

    Records are damaged by the compiled form of :meth:`SourceMesser.mess`
    (:mod:`generators.mess_compiled`) when there are enough of them to repay
    compiling it (``compiled`` None), or as ``compiled`` says (tests run both):
    the lines are the same either way.
    """
    if compiled is None:
        compiled = len(records) >= _COMPILE_FROM
    damage = compile_mess(spec, mess) if compiled else SourceMesser(spec, mess).mess
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
                line = orjson.dumps(damage(damaged, rng, bad_repairs, bad_missing))
        unrepairable[code] += 1
        bad.append((rng.randrange(n + 1), line, code))
    if not plant_unrepairable:
        bad, unrepairable = [], Counter()
    bad.sort(key=lambda item: item[0])
    dup_set = Counter(dup_of)
    lines: list[bytes] = []
    add, dumps = lines.append, orjson.dumps
    bad_iter = iter(bad)
    next_bad = next(bad_iter, None)
    for index, record in enumerate(records):
        while next_bad is not None and next_bad[0] == index:
            add(next_bad[1])
            next_bad = next(bad_iter, None)
        add(_kept(dumps(damage(record, rng, repairs, missing))))
        for _ in range(dup_set.get(index, 0)):
            add(_kept(dumps(damage(record, rng, repairs, missing))))
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
