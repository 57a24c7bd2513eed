"""Schema validation: one compiled validator per schema, every problem of a record reported.

Valid records (the vast majority) go through a compiled yes/no check
(:mod:`pipeline.fastcheck`, or ``fastjsonschema`` where that cannot compile
a schema), fast enough for 100k+ records a second. Only a record that
fails is re-checked with ``jsonschema``'s ``iter_errors``, which lists every
failing field, so quarantine entries carry all their reasons.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import fastjsonschema
import jsonschema

from pipeline.config import PROJECT_ROOT
from pipeline.fastcheck import compile_check

SCHEMA_DIR = PROJECT_ROOT / "schemas"


@dataclass(frozen=True)
class Reason:
    """One reason a record cannot be trusted: a stable code, the field and a message."""

    code: str
    field: str
    message: str

    def as_dict(self) -> dict:
        """JSON form written into quarantine entries."""
        return {"code": self.code, "field": self.field, "message": self.message}


def _field_path(path) -> str:
    return "/".join("[]" if isinstance(p, int) else str(p) for p in path).replace("/[]", "[]")


def _reason_from_error(error: jsonschema.ValidationError) -> Reason:
    field = _field_path(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        field = f"{field}/{missing}" if field else missing
    elif error.validator == "additionalProperties" and "'" in error.message:
        extra = error.message.split("'")[1]
        field = f"{field}/{extra}" if field else extra
    message = error.message if len(error.message) <= 300 else error.message[:297] + "..."
    return Reason(code=f"{field or '$'}:{error.validator}", field=field or "$", message=message)


def without_formats(schema: object) -> object:
    """A copy of a schema without ``format`` keywords.

    The cleaner has already parsed every date and timestamp field (a test
    checks that each ``format`` field is declared in ``pipeline.sources``), so
    the fast path can skip re-checking formats; the slow path keeps them.
    """
    if isinstance(schema, dict):
        return {k: without_formats(v) for k, v in schema.items() if k != "format"}
    if isinstance(schema, list):
        return [without_formats(v) for v in schema]
    return schema


class SchemaValidator:
    """A compiled schema that says whether a record is valid and, if not, why.

    Only what the valid records need is built up front (the compiled check);
    ``fastjsonschema`` and ``jsonschema`` (which also checks the schema itself)
    are built the first time a record fails, so a short run pays for neither
    on a source without rejects (tests check every schema with ``check_schema``).
    """

    def __init__(self, schema: dict, trust_formats: bool = False):
        self.schema = schema
        self.trust_formats = trust_formats
        # the same verdict as ``fast`` in a third of the time, for the cleaner's valid records; None when the
        # schema uses a keyword the compiler does not know (formats are not checked, so only when trusted)
        self.check = compile_check(schema) if trust_formats else None

    @cached_property
    def fast(self):
        """``fastjsonschema``'s compiled validator (raises on the first failure); without formats when trusted."""
        return fastjsonschema.compile(without_formats(self.schema) if self.trust_formats else self.schema)

    @cached_property
    def _full(self) -> jsonschema.Draft202012Validator:
        jsonschema.Draft202012Validator.check_schema(self.schema)
        return jsonschema.Draft202012Validator(self.schema, format_checker=jsonschema.FormatChecker())

    def _passes(self, record: object) -> bool:
        if self.check is not None:
            return self.check(record)
        try:
            self.fast(record)
            return True
        except fastjsonschema.JsonSchemaValueException:
            return False

    def errors(self, record: object) -> list[Reason]:
        """Every reason ``record`` fails the schema, sorted by code; empty when valid."""
        if self._passes(record):
            return []
        reasons = {(r.code, r.message): r for r in map(_reason_from_error, self._full.iter_errors(record))}
        if not reasons:  # the two engines disagree only on exotic formats; trust the stricter one
            return [Reason("$:schema", "$", "record rejected by the compiled schema")]
        return sorted(reasons.values(), key=lambda r: (r.code, r.message))


def load_schema(name: str, schema_dir: Path = SCHEMA_DIR) -> dict:
    """Read ``schemas/<name>.schema.json``."""
    return json.loads((schema_dir / f"{name}.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def validator_for(name: str) -> SchemaValidator:
    """The compiled validator of a source, built once per process."""
    return SchemaValidator(load_schema(name), trust_formats=name != "consent")
