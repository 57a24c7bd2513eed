"""Compile a JSON Schema into a plain yes/no check, for the records that are valid (nearly all of them).

``fastjsonschema`` spends about 6 µs on a valid transaction: its generated
code copies the key set, removes keys one by one and checks every type with
``isinstance`` against tuples, because it must name the first failure. A
cleaner only needs *whether* a record is valid; the reasons of a reject come
from ``jsonschema`` afterwards anyway. This module turns a schema into one
Python function that answers that question in about a third of the time
(``python -m bench speed``).

The check is exact for the keywords it knows, mirroring ``fastjsonschema``'s
semantics on what ``orjson`` decodes (dict, list, str, int, float, bool,
None): ``integer`` is an int or a whole float, numeric bounds skip booleans, patterns are
``re.search`` with ``$`` read as end of text. A schema using any other
keyword (or an enum of non-strings) is not compiled at all
(:func:`compile_check` returns ``None``) and the caller keeps
``fastjsonschema``. ``format`` is skipped, as the cleaner's fast path
already skips it (see :func:`pipeline.validation.without_formats`). A test
checks the verdicts against ``fastjsonschema`` on damaged records.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_IGNORED = frozenset({"$schema", "$id", "title", "description", "$comment", "examples", "default", "format"})
_TYPE_TESTS = {
    "string": "{c} is str", "number": "({c} is int or {c} is float)", "integer": "({c} is int or ({c} is float and {v}.is_integer()))",
    "boolean": "{c} is bool", "object": "{c} is dict", "array": "{c} is list", "null": "{v} is None",
}
_NUMERIC = "({c} is int or {c} is float)"
# the same end-of-text fix fastjsonschema applies to patterns (a bare ``$`` also matches before a final "\n")
_DOLLAR = re.compile(r"(?<!\\)\$")


class UnsupportedSchemaError(ValueError):
    """The schema uses a keyword this compiler does not translate; the caller keeps fastjsonschema."""


class _Compiler:
    def __init__(self, held: dict[tuple[str, ...], frozenset[str]]) -> None:
        self.constants: dict[str, Any] = {}
        self.helpers: list[str] = []
        self.depth = 0
        self.known: str | None = None  # the one type the schema being emitted declares: its guards can go
        self.held = held
        self.path: tuple[str, ...] = ()  # where the value being checked sits: property names and "[]"

    def guard(self, json_type: str, test: str) -> str:
        """``test`` for a value that may not be of ``json_type`` yet (a declared single type needs no guard)."""
        return "" if self.known == json_type or (json_type == "number" and self.known == "integer") else test

    def constant(self, value: Any) -> str:
        name = f"K{len(self.constants)}"
        self.constants[name] = value
        return name

    def function(self, schema: Any) -> str:
        """Source of a function ``name(v) -> bool`` for ``schema``; returns its name."""
        name = f"check_{len(self.helpers)}"
        self.helpers.append("")  # reserve the slot: nested helpers are appended after it
        body: list[str] = []
        self.emit(schema, "v", 2, body)
        index = int(name.rsplit("_", 1)[1])
        # a required property is read without testing for it first: its absence fails the check here
        self.helpers[index] = "\n".join([f"def {name}(v):", "    try:", *(body or ["        pass"]),
                                         "    except KeyError:", "        return False", "    return True"])
        return name

    def emit(self, schema: Any, v: str, indent: int, out: list[str]) -> None:
        """Lines that ``return False`` when ``v`` fails ``schema``."""
        pad = "    " * indent
        if schema is True or schema == {}:
            return
        if not isinstance(schema, dict):
            raise UnsupportedSchemaError(f"schema {schema!r}")
        unknown = set(schema) - _IGNORED - _KNOWN
        if unknown:
            raise UnsupportedSchemaError(f"keywords {sorted(unknown)}")
        self.depth += 1
        c = f"c{self.depth}"
        out.append(f"{pad}{c} = {v}.__class__")
        outer, self.known = self.known, schema.get("type") if isinstance(schema.get("type"), str) else None
        for keywords, emitter in _GROUPS:
            if any(k in schema for k in keywords):
                emitter(self, schema, v, c, pad, indent, out)
        self.known = outer


def _type(comp: _Compiler, schema: dict, v: str, c: str, pad: str, indent: int, out: list[str]) -> None:
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    if any(t not in _TYPE_TESTS for t in types):
        raise UnsupportedSchemaError(f"type {types}")
    out.append(f"{pad}if not ({' or '.join(_TYPE_TESTS[t].format(c=c, v=v) for t in types)}):")
    out.append(f"{pad}    return False")


def _enum(comp: _Compiler, schema: dict, v: str, c: str, pad: str, indent: int, out: list[str]) -> None:
    values = schema["enum"]
    if not isinstance(values, list) or not all(isinstance(x, str) or x is None for x in values):
        raise UnsupportedSchemaError("enum or const of non-strings")
    with_none = None in values
    allowed = comp.constant(frozenset(x for x in values if x is not None))
    test = f"({c} is str and {v} in {allowed})" + (f" or {v} is None" if with_none else "")
    out += [f"{pad}if not ({test}):", f"{pad}    return False"]


def _const(comp: _Compiler, schema: dict, v: str, c: str, pad: str, indent: int, out: list[str]) -> None:
    _enum(comp, {"enum": [schema["const"]]}, v, c, pad, indent, out)


def _length_tests(schema: dict, v: str, shortest: str, longest: str) -> list[str]:
    """Failing tests for minLength/maxLength or minItems/maxItems."""
    return [f"len({v}) {fails} {int(schema[keyword])}" for keyword, fails in ((shortest, "<"), (longest, ">"))
            if keyword in schema]


def _string_bounds(comp: _Compiler, schema: dict, v: str, c: str, pad: str, indent: int, out: list[str]) -> None:
    tests = _length_tests(schema, v, "minLength", "maxLength")
    if "pattern" in schema and schema["pattern"] not in comp.held.get(comp.path, ()):
        search = comp.constant(re.compile(_DOLLAR.sub(r"\\Z", schema["pattern"])).search)
        tests.append(f"not {search}({v})")
    if tests:
        out += [f"{pad}if {comp.guard('string', f'{c} is str and ')}({' or '.join(tests)}):", f"{pad}    return False"]


def _number_bounds(comp: _Compiler, schema: dict, v: str, c: str, pad: str, indent: int, out: list[str]) -> None:
    tests = []
    for keyword, fails in (("minimum", "<"), ("exclusiveMinimum", "<="), ("maximum", ">"), ("exclusiveMaximum", ">=")):
        if keyword in schema:
            bound = schema[keyword]
            if isinstance(bound, bool) or not isinstance(bound, (int, float)):
                raise UnsupportedSchemaError(f"{keyword} {bound!r}")
            tests.append(f"{v} {fails} {bound!r}")
    if tests:
        guard = comp.guard("number", _NUMERIC.format(c=c) + " and ")
        out += [f"{pad}if {guard}({' or '.join(tests)}):", f"{pad}    return False"]


def _class_only(schema: Any) -> str | None:
    """The Python class a schema that only declares one JSON type (not a number) demands, else None."""
    if not isinstance(schema, dict) or set(schema) - _IGNORED != {"type"}:
        return None
    return {"string": "str", "boolean": "bool", "object": "dict", "array": "list"}.get(schema["type"]) \
        if isinstance(schema["type"], str) else None


def _object(comp: _Compiler, schema: dict, v: str, c: str, pad: str, indent: int, out: list[str]) -> None:
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    if extra not in (True, False):
        raise UnsupportedSchemaError("additionalProperties with a schema")
    required = list(dict.fromkeys(schema.get("required", ())))
    checked = {key for key, sub in properties.items() if key in required and not (sub is True or sub == {})}
    # a required property with a schema is read as v[key] below, which raises KeyError (caught by the
    # function: the check fails) when it is absent; only the others need a test of their own
    tests = [f"{key!r} not in {v}" for key in required if key not in checked]
    if extra is False:
        optional = [key for key in properties if key not in required]
        if set(required) <= set(properties) and len(optional) <= 3:
            # with every required key there (or a KeyError), no other key means: as many keys as those
            # plus the optional ones present
            count = " + ".join([str(len(required)), *(f"({key!r} in {v})" for key in optional)])
            tests.append(f"len({v}) != {count}")
        else:
            tests.append(f"not {v}.keys() <= {comp.constant(frozenset(properties))}")
    wrap = bool(comp.guard("object", "wrap"))
    level = indent + wrap
    inner_pad = "    " * level
    body: list[str] = []
    for key, sub in properties.items():
        if sub is True or sub == {}:
            continue
        item = f"p{comp.depth}_{len(body)}"
        inner: list[str] = []
        simple = _class_only(sub)
        comp.path += (key,)
        if simple and key in required:  # a bare type: one test, no variables
            body += [f"{inner_pad}if {v}[{key!r}].__class__ is not {simple}:", f"{inner_pad}    return False"]
        elif simple:
            body += [f"{inner_pad}if {key!r} in {v} and {v}[{key!r}].__class__ is not {simple}:",
                     f"{inner_pad}    return False"]
        elif key in required:  # read without a test: KeyError when absent
            comp.emit(sub, item, level, inner)
            body += [f"{inner_pad}{item} = {v}[{key!r}]", *inner]
        else:
            comp.emit(sub, item, level + 1, inner)
            body += [f"{inner_pad}if {key!r} in {v}:", f"{inner_pad}    {item} = {v}[{key!r}]", *inner]
        comp.path = comp.path[:-1]
    if tests or body:
        if wrap:
            out.append(f"{pad}if {c} is dict:")
        if tests:
            out += [f"{inner_pad}if {' or '.join(tests)}:", f"{inner_pad}    return False"]
        out += body


def _array(comp: _Compiler, schema: dict, v: str, c: str, pad: str, indent: int, out: list[str]) -> None:
    tests = _length_tests(schema, v, "minItems", "maxItems")
    items = schema.get("items", True)
    if isinstance(items, list):
        raise UnsupportedSchemaError("items as a list")
    wrap = bool(comp.guard("array", "wrap"))
    inner_pad = "    " * (indent + wrap)
    inner: list[str] = []
    item = f"i{comp.depth}"
    comp.path += ("[]",)
    comp.emit(items, item, indent + wrap + 1, inner)
    comp.path = comp.path[:-1]
    if tests or inner:
        if wrap:
            out.append(f"{pad}if {c} is list:")
        if tests:
            out += [f"{inner_pad}if {' or '.join(tests)}:", f"{inner_pad}    return False"]
        if inner:
            out += [f"{inner_pad}for {item} in {v}:", *inner]


def _all_of(comp: _Compiler, schema: dict, v: str, c: str, pad: str, indent: int, out: list[str]) -> None:
    for sub in schema["allOf"]:
        comp.emit(sub, v, indent, out)


def _if_then(comp: _Compiler, schema: dict, v: str, c: str, pad: str, indent: int, out: list[str]) -> None:
    condition = comp.function(schema["if"])
    then, otherwise = schema.get("then", True), schema.get("else", True)
    then_lines: list[str] = []
    comp.emit(then, v, indent + 1, then_lines)
    else_lines: list[str] = []
    comp.emit(otherwise, v, indent + 1, else_lines)
    out.append(f"{pad}if {condition}({v}):")
    out += then_lines or [f"{pad}    pass"]
    if else_lines:
        out += [f"{pad}else:", *else_lines]


_Emitter = Callable[[_Compiler, dict, str, str, str, int, list], None]
# each emitter handles a group of keywords, once, when the schema has any of them; groups run in this order
_GROUPS: list[tuple[tuple[str, ...], _Emitter]] = [
    (("type",), _type), (("enum",), _enum), (("const",), _const),
    (("minLength", "maxLength", "pattern"), _string_bounds),
    (("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"), _number_bounds),
    (("properties", "required", "additionalProperties"), _object),
    (("items", "minItems", "maxItems"), _array),
    (("allOf",), _all_of), (("if",), _if_then),
]
_KNOWN = frozenset(k for keywords, _ in _GROUPS for k in keywords) | {"then", "else"}


def compile_check(schema: dict, held: dict[tuple[str, ...], frozenset[str]] | None = None
                  ) -> Callable[[Any], bool] | None:
    """A function ``check(record) -> bool`` equivalent to the schema without formats; None when unsupported.

    ``held`` names patterns the caller knows its values satisfy, by where they sit (``("a", "[]", "b")``
    for ``a[].b``): the cleaner has just parsed its dates and timestamps into canonical text, so
    re-matching them against the schema's date and date-time patterns would only repeat work. With
    ``held`` the check is exact only for records that keep that promise.
    """
    comp = _Compiler(held or {})
    try:
        entry = comp.function(schema)
    except UnsupportedSchemaError:
        return None
    source = "\n\n".join(comp.helpers)
    namespace: dict[str, Any] = dict(comp.constants)
    exec(compile(source, "<fastcheck>", "exec"), namespace)  # noqa: S102 - generated from our own schemas
    check = namespace[entry]
    check.source = source
    return check
