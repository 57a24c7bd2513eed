"""Compile a source's top-level field handling into one Python function, for speed.

Cleaning must run at 100k+ records a second, and most values arrive already
canonical (a float amount, an ISO timestamp in IST). Like ``fastjsonschema``
does for schemas, this turns a :class:`~pipeline.sources.SourceSpec` into the
source code of one function with the canonical case inlined and everything
else handed to the real parsers in :mod:`pipeline.normalize`, so behaviour is
defined in one place and only the cheap checks are repeated here. Nested
paths stay with the generic walker in :mod:`pipeline.cleaning`.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from pipeline import normalize
from pipeline.sources import SourceSpec, split_path
from pipeline.validation import Reason

_FAST_CHECKS = {
    "parse_amount": "(c is float and round(v, 2) == v)",
    "parse_decimal": "(c is float)",
    "parse_timestamp": "(c is str and len(v) == 25 and CANON_TS(v) is not None)",
    "parse_date": "(c is str and len(v) == 10 and ISO_DATE(v) is not None and valid_date(v))",
    "parse_bool": "(c is bool)",
    "parse_integer": "(c is int)",
}


def _valid_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
        return True
    except ValueError:
        return False


def _top_level(paths: tuple[str, ...]) -> list[str]:
    return [p for p in paths if len(split_path(p)) == 1]


def compile_top_level(spec: SourceSpec) -> Callable[[dict, dict, dict, list], None]:
    """One function ``f(record, repairs, missing, problems)``: parse, fix enum case, count missing fields.

    It returns True when a repairable field is missing, so the source's repair
    function only runs when there is something to repair.
    """
    groups = [(spec.amounts, "parse_amount", "unparseable_amount"), (spec.decimals, "parse_decimal", "unparseable_number"),
              (spec.dates, "parse_date", "unparseable_date"), (spec.timestamps, "parse_timestamp", "unparseable_timestamp"),
              (spec.booleans, "parse_bool", "unparseable_boolean"), (spec.integers, "parse_integer", "unparseable_integer")]
    lines = ["def normalize_top(record, repairs, missing, problems):"]
    for paths, parser, suffix in groups:
        for key in _top_level(paths):
            lines += [
                f"    v = record.get({key!r})",
                "    if v is not None:",
                "        c = v.__class__",
                f"        if not {_FAST_CHECKS[parser]}:",
                "            try:",
                f"                record[{key!r}], k = {parser}(v)",
                "                if k:",
                "                    repairs[k] += 1",
                "            except NormalizeError as exc:",
                f"                problems.append(Reason({key + ':' + suffix!r}, {key!r}, str(exc)))",
            ]
    for path, allowed in spec.enums.items():
        if len(split_path(path)) != 1:
            continue
        lines += [
            f"    v = record.get({path!r})",
            f"    if v is not None and v.__class__ is str and v not in {frozenset(allowed)!r}:",
            f"        canonical = {({a.upper(): a for a in allowed})!r}.get(v.strip().upper())",
            "        if canonical is not None:",
            f"            record[{path!r}] = canonical",
            "            repairs['enum_case'] += 1",
        ]
    lines.append("    needs_repair = False")
    for path, kind in spec.droppable.items():
        if len(split_path(path)) != 1:
            continue
        if kind is None:
            lines += [f"    if {path!r} not in record:", f"        missing[{path!r}] += 1"]
        else:
            lines += [f"    if {path!r} not in record:", "        needs_repair = True"]
    lines.append("    return needs_repair")
    namespace = {
        "NormalizeError": normalize.NormalizeError, "Reason": Reason, "valid_date": _valid_date,
        "CANON_TS": normalize._CANON_TS.match, "ISO_DATE": normalize._ISO_DATE.match,
        **{name: getattr(normalize, name) for _, name, _ in groups},
    }
    source = "\n".join(lines)
    code = compile(source, f"<fastpath:{spec.name}>", "exec")
    exec(code, namespace)  # noqa: S102 - the source is generated from our own specs above
    function = namespace["normalize_top"]
    function.source = source
    return function
