"""The plain, interpreted form of what :mod:`pipeline.fastpath` compiles: the specification it is tested against.

Cleaning runs the compiled normaliser (and :mod:`pipeline.fastcheck`'s
compiled schema check) because they are several times faster. This module
walks the same :class:`~pipeline.sources.SourceSpec` with
:func:`~pipeline.sources.iter_slots` and calls the parsers for every value,
as the cleaner did before it was compiled, so a test can clean the same lines
both ways and require byte-identical output (``SourceCleaner(...,
compiled=False)``).
"""
from __future__ import annotations

from collections import Counter

from pipeline.normalize import (NormalizeError, parse_amount, parse_bool, parse_date, parse_decimal, parse_integer,
                                parse_timestamp)
from pipeline.sources import SourceSpec, compile_paths, iter_slots
from pipeline.validation import Reason

_PARSERS = (("amounts", parse_amount, "unparseable_amount"), ("decimals", parse_decimal, "unparseable_number"),
            ("dates", parse_date, "unparseable_date"), ("timestamps", parse_timestamp, "unparseable_timestamp"),
            ("booleans", parse_bool, "unparseable_boolean"), ("integers", parse_integer, "unparseable_integer"))


def _parse_slots(record: dict, spec: SourceSpec, top: bool, repairs: Counter, problems: list[Reason]) -> None:
    for attribute, parser, suffix in _PARSERS:
        for path, steps in compile_paths(getattr(spec, attribute)):
            if (len(steps) == 1) != top:
                continue
            for container, key in list(iter_slots(record, steps)):
                value = container[key]
                if value is None:
                    continue
                try:
                    container[key], kind = parser(value)
                except NormalizeError as exc:
                    field_name = path.replace(".", "/")
                    problems.append(Reason(f"{field_name}:{suffix}", field_name, str(exc)))
                    continue
                if kind:
                    repairs[kind] += 1


def _fix_enums(record: dict, spec: SourceSpec, top: bool, repairs: Counter) -> None:
    for path, steps in compile_paths(tuple(spec.enums)):
        if (len(steps) == 1) != top:
            continue
        allowed = spec.enums[path]
        upper = {v.upper(): v for v in allowed}
        for container, key in list(iter_slots(record, steps)):
            value = container[key]
            if isinstance(value, str) and value not in allowed:
                canonical = upper.get(value.strip().upper())
                if canonical is not None:
                    container[key] = canonical
                    repairs["enum_case"] += 1


def normalize_record(spec: SourceSpec, record: dict, repairs: Counter, missing: Counter,
                     problems: list[Reason]) -> bool:
    """Parse every typed field, fix enum case and count missing top-level fields; True when one needs repair.

    The order is the compiled normaliser's: top-level fields, top-level enums,
    missing top-level fields, then nested fields and nested enums.
    """
    _parse_slots(record, spec, True, repairs, problems)
    _fix_enums(record, spec, True, repairs)
    needs_repair = False
    for path, kind in spec.droppable.items():
        if "." in path or "[]" in path or path in record:
            continue
        if kind is None:
            missing[path] += 1
        else:
            needs_repair = True
    _parse_slots(record, spec, False, repairs, problems)
    _fix_enums(record, spec, False, repairs)
    return needs_repair
