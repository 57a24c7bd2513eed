"""Compile a source's field handling (parsers, enum case, missing fields) into one Python function, for speed.

Cleaning must run at 100k+ records a second, and most values arrive already
canonical (a float amount, an ISO timestamp in IST). Like ``fastjsonschema``
does for schemas, this turns a :class:`~pipeline.sources.SourceSpec` into the
source code of one function with the canonical case inlined and everything
else handed to the real parsers in :mod:`pipeline.normalize`, so behaviour is
defined in one place and only the cheap checks are repeated here: nested
paths become nested loops (one walk for the paths sharing a prefix), a float
is shown to be in paise without ``round``, a plain number sent as a string is
converted inline, the other usual amount and timestamp repairs take
:mod:`pipeline.fastparse`'s shortcuts, and each distinct date text (or epoch)
is parsed once. :mod:`pipeline.slowpath` is the same behaviour written
plainly; a test requires identical output.
"""
from __future__ import annotations

from collections.abc import Callable

from pipeline import fastparse, normalize
from pipeline.sources import SourceSpec, split_path
from pipeline.validation import Reason

_FAST_CHECKS = {
    "parse_amount": "(c is float and round(v, 2) == v)",
    "parse_decimal": "(c is float)",
    "parse_timestamp": "(c is str and len(v) == 25 and CANON_TS(v) is not None)",
    "parse_bool": "(c is bool)",
    "parse_integer": "(c is int)",
}


# true when ``m = v * 100`` shows that the float ``v`` has at most two decimals (so round(v, 2) == v)
_IN_PAISE = "m.is_integer() and -1e15 < m < 1e15 and m / 100 == v"
_DATE_CACHE_SIZE = 100_000  # distinct date texts remembered per source (a few MB at most)


_GROUPS = (("amounts", "parse_amount", "unparseable_amount"), ("decimals", "parse_decimal", "unparseable_number"),
           ("dates", "parse_date", "unparseable_date"), ("timestamps", "parse_timestamp", "unparseable_timestamp"),
           ("booleans", "parse_bool", "unparseable_boolean"), ("integers", "parse_integer", "unparseable_integer"))


def _date_lines(read: str, write: str, code: str, field_name: str, pad: str) -> list[str]:
    """Dates repeat (a statement has a few hundred distinct days): parse each distinct text once."""
    return [
        f"{pad}v = {read}",
        f"{pad}if v is not None:",
        f"{pad}    c = v.__class__",
        f"{pad}    hit = DATES.get(v) if c is str or c is int else None",
        f"{pad}    if hit is None:",
        f"{pad}        try:",
        f"{pad}            hit = parse_date(v)",
        f"{pad}        except NormalizeError as exc:",
        f"{pad}            problems.append(Reason({code!r}, {field_name!r}, str(exc)))",
        f"{pad}        else:",
        f"{pad}            if (c is str or c is int) and len(DATES) < {_DATE_CACHE_SIZE}:",
        f"{pad}                DATES[v] = hit",
        f"{pad}    if hit is not None:",
        f"{pad}        {write}, k = hit",
        f"{pad}        if k:",
        f"{pad}            repairs[k] += 1",
    ]


def _call_parser(write: str, field_name: str, parser: str, suffix: str, pad: str) -> list[str]:
    """Hand ``v`` to the real parser; count the repair, or record why it cannot be parsed."""
    return [
        f"{pad}try:",
        f"{pad}    {write}, k = {parser}(v)",
        f"{pad}    if k:",
        f"{pad}        repairs[k] += 1",
        f"{pad}except NormalizeError as exc:",
        f"{pad}    problems.append(Reason({field_name + ':' + suffix!r}, {field_name!r}, str(exc)))",
    ]


def _parse_lines(read: str, write: str, field_name: str, parser: str, suffix: str, pad: str) -> list[str]:
    """Parse the value ``read`` into ``write`` unless it is already canonical; a failure becomes a problem."""
    if parser == "parse_date":
        return _date_lines(read, write, f"{field_name}:{suffix}", field_name, pad)
    head = [f"{pad}v = {read}", f"{pad}if v is not None:", f"{pad}    c = v.__class__"]
    if parser == "parse_timestamp":  # the usual repairs have a shortcut (pipeline.fastparse)
        return head + [f"{pad}    if not {_FAST_CHECKS[parser]}:",
                       *_call_parser(write, field_name, "timestamp_value", suffix, pad + "        ")]
    if parser != "parse_amount":
        return head + [f"{pad}    if not {_FAST_CHECKS[parser]}:",
                       *_call_parser(write, field_name, parser, suffix, pad + "        ")]
    # a float with at most two decimals is already in paise: a whole m = v * 100 with m / 100 == v proves it
    # without round()'s decimal conversion (pipeline.fastparse.amount_text says why), which decides otherwise;
    # a plain number sent as a text is the commonest repair, the other texts take amount_text's shortcut
    return head + [f"{pad}    if c is float:",
                   f"{pad}        m = v * 100",
                   f"{pad}        if not ({_IN_PAISE}) and round(v, 2) != v:",
                   *_call_parser(write, field_name, parser, suffix, pad + "            "),
                   f"{pad}    elif c is str and PLAIN_NUMBER(v) is not None:",
                   f"{pad}        v = float(v)",
                   f"{pad}        m = v * 100",
                   f"{pad}        {write} = v if {_IN_PAISE} else round(v, 2)",
                   f"{pad}        repairs['amount_from_string'] += 1",
                   f"{pad}    elif c is str:",
                   *_call_parser(write, field_name, "amount_text", suffix, pad + "        "),
                   f"{pad}    else:",
                   *_call_parser(write, field_name, parser, suffix, pad + "        ")]


def _enum_lines(read: str, write: str, allowed: tuple[str, ...], pad: str) -> list[str]:
    return [
        f"{pad}v = {read}",
        # a set display of constants after ``in`` is folded into one frozenset constant by the compiler
        f"{pad}if v is not None and v.__class__ is str and v not in {set(allowed)!r}:",
        f"{pad}    canonical = {({a.upper(): a for a in allowed})!r}.get(v.strip().upper())",
        f"{pad}    if canonical is not None:",
        f"{pad}        {write} = canonical",
        f"{pad}        repairs['enum_case'] += 1",
    ]


def _kind(step: str) -> str:
    return "list" if step == "[]" else "dict"


class _Node:
    """One step of the nested paths a source names: the slot handlers of the paths ending here, or the next steps."""

    def __init__(self) -> None:
        self.leaves: list[Callable[[str, str, str], list[str]]] = []
        self.children: dict[str, _Node] = {}

    def add(self, steps: list[str], leaf: Callable[[str, str, str], list[str]]) -> None:
        """Add a path; ``leaf(read, write, pad)`` gives the lines for one slot it points at."""
        node = self
        for step in steps:
            node = node.children.setdefault(step, _Node())
        node.leaves.append(leaf)


def _walk(node: _Node, parent: str, depth: int) -> list[str]:
    """Nested loops reaching every slot the paths below ``node`` point at, as :func:`pipeline.sources.iter_slots`
    walks each of them: a missing key, a None or a value of the wrong kind on the way ends that walk.

    Paths sharing a prefix share its walk (a GST return names ~100 amounts under a few containers).
    ``parent`` is already known to be the container the steps below ``node`` need. Handling one slot
    before or after another changes nothing: they are distinct slots, and a path may not run through
    another's slot (checked), so no handler replaces a container another path walks.
    """
    pad = "    " * depth
    lines: list[str] = []
    for step, child in node.children.items():
        if child.leaves and child.children:
            raise ValueError(f"a path runs through the slot {step!r} another path ends at")
        if step == "[]":
            index, item = f"j{depth}", f"x{depth}"
            lines.append(f"{pad}for {index}, {item} in enumerate({parent}):" if child.leaves
                         else f"{pad}for {item} in {parent}:")
            for leaf in child.leaves:
                lines += leaf(item, f"{parent}[{index}]", pad + "    ")
            lines += _by_kind(child, item, depth + 1)
        elif child.leaves:
            for leaf in child.leaves:
                lines += leaf(f"{parent}.get({step!r})", f"{parent}[{step!r}]", pad)
        else:
            item = f"x{depth}"
            lines += [f"{pad}{item} = {parent}.get({step!r})", *_by_kind(child, item, depth)]
    return lines


def _by_kind(node: _Node, value: str, depth: int) -> list[str]:
    """The walks below ``node`` for a ``value`` that must be a list (``[]`` steps) or a dict (named steps)."""
    pad = "    " * depth
    lines: list[str] = []
    for kind in ("list", "dict"):
        part = _Node()
        part.children = {step: child for step, child in node.children.items() if _kind(step) == kind}
        if part.children:
            test = "elif" if lines else "if"
            lines += [f"{pad}{test} {value}.__class__ is {kind}:", *_walk(part, value, depth + 1)]
    return lines


def compile_normalizer(spec: SourceSpec) -> Callable[[dict, dict, dict, list], bool]:
    """One function ``f(record, repairs, missing, problems)``: parse, fix enum case, count missing fields.

    Top-level fields first, then nested paths (parsed, then enums, in one walk
    of the record): the order :mod:`pipeline.cleaning` always applied them in. It
    returns True when a repairable top-level field is missing, so the source's
    repair function only runs when there is something to repair.
    """
    lines = ["def normalize(record, repairs, missing, problems):"]
    nested = _Node()
    for attribute, parser, suffix in _GROUPS:
        for path in getattr(spec, attribute):
            steps = split_path(path)
            if len(steps) == 1:
                lines += _parse_lines(f"record.get({path!r})", f"record[{path!r}]", path, parser, suffix, "    ")
            else:
                field_name = path.replace(".", "/")
                nested.add(steps, lambda read, write, pad, f=field_name, p=parser, s=suffix:
                           _parse_lines(read, write, f, p, s, pad))
    for path, allowed in spec.enums.items():
        steps = split_path(path)
        if len(steps) == 1:
            lines += _enum_lines(f"record.get({path!r})", f"record[{path!r}]", allowed, "    ")
        else:
            nested.add(steps, lambda read, write, pad, a=allowed: _enum_lines(read, write, a, pad))
    lines.append("    needs_repair = False")
    for path, kind in spec.droppable.items():
        if len(split_path(path)) != 1:
            continue
        if kind is None:
            lines += [f"    if {path!r} not in record:", f"        missing[{path!r}] += 1"]
        else:
            lines += [f"    if {path!r} not in record:", "        needs_repair = True"]
    lines += _walk(nested, "record", 1)
    lines.append("    return needs_repair")
    namespace = {
        "NormalizeError": normalize.NormalizeError, "Reason": Reason,
        "CANON_TS": normalize._CANON_TS.match, "PLAIN_NUMBER": normalize._PLAIN_NUMBER.match, "DATES": {},
        "amount_text": fastparse.amount_text, "timestamp_value": fastparse.timestamp_value,
        **{name: getattr(normalize, name) for _, name, _ in _GROUPS},
    }
    source = "\n".join(lines)
    code = compile(source, f"<fastpath:{spec.name}>", "exec")
    exec(code, namespace)  # noqa: S102 - the source is generated from our own specs above
    function = namespace["normalize"]
    function.source = source
    return function
