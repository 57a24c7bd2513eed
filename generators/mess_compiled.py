"""Compile a source's mess into one Python function: the same damage, the same draws, several times faster.

:meth:`generators.messiness.SourceMesser.mess` is the specification: it deep-copies each record and walks every
path of the :class:`~pipeline.sources.SourceSpec` with :func:`~pipeline.sources.iter_slots`, which for the
17,000 statement lines of a busy customer cost more than generating them. Like :mod:`pipeline.fastpath`
does for cleaning, this turns the spec into the source of one function: paths become nested loops (consecutive
paths through the same objects share the walk to them), each weighted pick becomes a chain of comparisons on
the one ``random()`` draw the plain form makes, and the canonical shape (a number, an ISO date) is inlined
while every other shape is rendered by :mod:`generators.mess_formats`. Draws happen in exactly the plain
form's order (fields missing, amounts, decimals, dates, timestamps, booleans, integers, enums; within a path,
slot by slot), so the random stream, and every raw byte, is unchanged: a test requires identical lines and an
identical stream state.

Top-level fields are handled inline; a nested field calls a small generated helper instead, which keeps the
source (and its compile time) small for GST returns' hundred-odd nested amounts. Where the plain form
deep-copies each record through JSON, this one copies on write: the record and each object a path goes into,
nothing else. Records are JSON-native (a generator contract test holds them to it), so both see the same
types and shapes.
"""
from __future__ import annotations

import functools
import random
from collections import Counter
from collections.abc import Callable
from typing import NamedTuple

from pipeline.sources import SourceSpec, split_path

from .mess_formats import AMOUNT_FORMATS, DATE_FORMATS, Chooser, format_amount, format_date, format_timestamp

MessFunction = Callable[[dict, random.Random, Counter, Counter], dict]
_CACHE: dict[tuple[str, str], MessFunction] = {}
# a statement's 17,000 lines fall on about a thousand days: render each date in each shape once
_dates_in_shape = functools.lru_cache(maxsize=8192)(format_date)


class _Leaf(NamedTuple):
    """What happens at one slot: ``body`` (lines, with the value in ``v``) runs when ``check`` holds.

    ``body`` writes through ``c[k]``; a leaf with a ``helper`` name is compiled once as
    ``helper(c, k, v, random, repairs)`` (check included) and called from nested slots.
    """

    check: str
    body: tuple[str, ...]
    helper: str | None = None


def _pick(names: list[str], edges: list[float]) -> str:
    """An expression naming the format :meth:`Chooser.pick` returns for the draw ``r``, among ``names``."""
    expression = repr(names[-1])
    for name, edge in reversed(list(zip(names[:-1], edges[:-1]))):
        expression = f"{name!r} if r < {edge!r} else {expression}"
    return expression


def _formatted(helper: str, check: str, chooser: Chooser, canonical: str, formatter: str) -> _Leaf:
    """Draw a format and render the value in it; the canonical shape (the value itself, as a float) inline.

    The canonical shape comes first among the known ones, so a draw under its edge picks it.
    """
    value = "float(v)" if formatter == "format_amount" else "v"
    keep = "c[k] = float(v)" if formatter == "format_amount" else None   # a number stays a number, as a float
    names, edges = chooser.names, chooser.cumulative

    def render(pad: str, among: slice) -> tuple[str, ...]:
        return (f"{pad}c[k], kind = {formatter}({value}, {_pick(names[among], edges[among])})", f"{pad}if kind:",
                f"{pad}    repairs[kind] += 1")
    if names[0] != canonical:
        return _Leaf(check, ("r = random()", *render("", slice(None))), helper)
    if len(names) == 1:
        return _Leaf(check, ("r = random()", keep or "pass"), helper)
    if keep is None:
        return _Leaf(check, ("r = random()", f"if r >= {edges[0]!r}:", *render("    ", slice(1, None))), helper)
    return _Leaf(check, ("r = random()", f"if r < {edges[0]!r}:", f"    {keep}", "else:", *render("    ", slice(1, None))),
                 helper)


def _coin(check: str, rate: float, new_value: str, repair: str) -> _Leaf:
    """When ``check`` holds and a draw falls under ``rate``, write ``new_value`` and count ``repair``."""
    return _Leaf(f"{check} and random() < {rate!r}", (f"c[k] = {new_value}", f"repairs[{repair!r}] += 1"))


def _leaf_lines(leaf: _Leaf, container: str, key: str, read: str, pad: str, top: bool) -> list[str]:
    if leaf.helper and not top:
        return [f"{pad}{leaf.helper}({container}, {key}, {read}, random, repairs)"]
    return [f"{pad}v = {read}", f"{pad}if {leaf.check}:",
            *(f"{pad}    " + line.replace("c[k]", f"{container}[{key}]") for line in leaf.body)]


def _walk(units: list[tuple[list[str], _Leaf]], parent: str, depth: int) -> list[str]:
    """Lines reaching every slot of each ``(steps, leaf)`` in turn, as :func:`~pipeline.sources.iter_slots` does.

    ``parent`` is known to be the container the units' first steps need, and to be the record's own copy.
    Every object the walk goes on into is copied into its parent first (copy on write: the caller's record is
    never changed, and what no path reaches is never copied). Consecutive units going on through the same key
    share the lookup and the copy (a leaf never replaces an object another path goes through, so the second
    sees what a walk of its own would); a list is walked once per unit, so slots keep the plain order.
    """
    pad, lines, i = "    " * depth, [], 0
    while i < len(units):
        steps, leaf = units[i]
        step, rest = steps[0], steps[1:]
        if step == "[]" and depth == 1:   # a record is an object, never a list: no slots
            i += 1
            continue
        if not rest:
            read = f"x{depth}" if step == "[]" else f"{parent}.get({step!r})"
            key = f"j{depth}" if step == "[]" else repr(step)
            if step == "[]":
                lines += [f"{pad}for j{depth}, x{depth} in enumerate({parent}):",
                          *_leaf_lines(leaf, parent, key, read, pad + "    ", depth == 1)]
            else:
                lines += _leaf_lines(leaf, parent, key, read, pad, depth == 1)
            i += 1
            continue
        kind = "list" if rest[0] == "[]" else "dict"
        if step == "[]":
            lines += [f"{pad}for j{depth}, x{depth} in enumerate({parent}):", f"{pad}    if x{depth}.__class__ is {kind}:",
                      f"{pad}        x{depth} = {parent}[j{depth}] = x{depth}.copy()",
                      *_walk([(rest, leaf)], f"x{depth}", depth + 2)]
            i += 1
            continue
        group = [(rest, leaf)]
        while i + len(group) < len(units):
            more, other = units[i + len(group)]
            if len(more) < 2 or more[0] != step or ("list" if more[1] == "[]" else "dict") != kind:
                break
            group.append((more[1:], other))
        lines += [f"{pad}x{depth} = {parent}.get({step!r})", f"{pad}if x{depth}.__class__ is {kind}:",
                  f"{pad}    x{depth} = {parent}[{step!r}] = x{depth}.copy()",
                  *_walk(group, f"x{depth}", depth + 1)]
        i += len(group)
    return lines


def _dropped(path: str, kind: str | None, rate: float) -> list[str]:
    """Lines that, on a draw under ``rate``, delete the optional field ``path`` when it is there."""
    steps = split_path(path)
    count = f"repairs[{kind!r}] += 1" if kind else f"missing[{path!r}] += 1"
    if len(steps) == 1:   # the record itself is the parent
        return [f"    if random() < {rate!r} and {path!r} in out:", f"        del out[{path!r}]", f"        {count}"]
    lines, parent = [f"    if random() < {rate!r}:"], "out"
    for depth, step in enumerate(steps[:-1], start=1):
        lines += [f"{'    ' * (depth + 1)}p{depth} = {parent}.get({step!r})"]
        last = depth == len(steps) - 1
        lines += [f"{'    ' * (depth + 1)}if p{depth}.__class__ is dict" + (f" and {steps[-1]!r} in p{depth}:" if last else ":")]
        parent = f"p{depth}"
    pad, parent = "    " * (len(steps) + 1), "out"
    for depth, step in enumerate(steps[:-1], start=1):   # copy on write, down to the parent of the field
        lines.append(f"{pad}p{depth} = {parent}[{step!r}] = p{depth}.copy()")
        parent = f"p{depth}"
    return lines + [f"{pad}del {parent}[{steps[-1]!r}]", f"{pad}{count}"]


def mess_source(spec: SourceSpec, mess: dict) -> list[str]:
    """The source of ``mess(record, rng, repairs, missing)`` for one source under one ``messiness_config``."""
    amounts, dates = Chooser(mess["amount_formats"], AMOUNT_FORMATS), Chooser(mess["date_formats"], DATE_FORMATS)
    lower_rate = float(mess.get("enum_lowercase_rate", 0))
    number, text = "v.__class__ is float or v.__class__ is int", "v.__class__ is str"
    kinds = [
        (spec.amounts, _formatted("amount", number, amounts, "number", "format_amount")),
        (spec.decimals, _coin("v.__class__ is float", 0.5, "repr(v)", "number_from_string")),
        (spec.dates, _formatted("date", text, dates, "iso", "format_date")),
        (spec.timestamps, _formatted("timestamp", text, dates, "iso", "format_timestamp")),
        (spec.booleans, _coin("v.__class__ is bool", 0.5, "'true' if v else 'false'", "boolean_from_string")),
        (spec.integers, _coin("v.__class__ is int", 0.2, "str(v)", "integer_from_string")),
    ]
    units = [(split_path(path), leaf) for paths, leaf in kinds for path in paths]
    for path, allowed in spec.enums.items():
        lowerable = sorted({a for a in allowed if a.lower() != a})
        if lowerable:   # a value already in lower case is left alone without a draw
            in_set = "v in {" + ", ".join(map(repr, lowerable)) + "}"
            units.append((split_path(path), _coin(in_set, lower_rate, "v.lower()", "enum_case")))
    lines = []
    for leaf in {leaf.helper: leaf for steps, leaf in units if leaf.helper and len(steps) > 1}.values():
        lines += [f"def {leaf.helper}(c, k, v, random, repairs):", f"    if {leaf.check}:",
                  *("        " + line for line in leaf.body)]
    lines += ["def mess(record, rng, repairs, missing):", "    random = rng.random", "    out = record.copy()"]
    for path, kind in spec.droppable.items():
        lines += _dropped(path, kind, float(mess.get("missing_optional_rate", 0)))
    return lines + _walk(units, "out", 1) + ["    return out"]


def compile_mess(spec: SourceSpec, mess: dict) -> MessFunction:
    """One function ``mess(record, rng, repairs, missing)`` doing what :meth:`SourceMesser.mess` does.

    Compiled once per spec, ``messiness_config`` and process.
    """
    key = (repr(spec), repr(mess))
    function = _CACHE.get(key)
    if function is None:
        source = "\n".join(mess_source(spec, mess))
        namespace = {"format_amount": format_amount, "format_date": _dates_in_shape,
                     "format_timestamp": format_timestamp}
        exec(compile(source, f"<mess:{spec.name}>", "exec"), namespace)  # noqa: S102 - generated from our own specs
        function = _CACHE[key] = namespace["mess"]
        function.source = source
    return function
