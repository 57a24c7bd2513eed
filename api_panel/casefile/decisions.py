"""The officer's own decision on a case, made against the engine's ``decision.json``.

The body of ``POST /api/officer-decisions`` is declared once (:data:`OFFICER_DECISION_SCHEMA`): the same schema
validates the request and describes it in the OpenAPI document. An officer who departs from the engine (another
decision, or another amount) must say why; the record keeps who decided, when, and the engine decision and
policy version the officer saw, and is appended to the customer's ``logs/<id>/officer_decisions.ndjson``.
"""
from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from typing import Any

import orjson
from jsonschema import Draft202012Validator

from pipeline.indian import inr
from pipeline.lake import CUSTOMER_ID_PATTERN, Lake, LakeError, utc_now_iso

DECISIONS = ("APPROVE", "APPROVE_WITH_CONDITIONS", "REFER", "DECLINE")
APPROVALS = ("APPROVE", "APPROVE_WITH_CONDITIONS")
MAX_AMOUNT = 1e11  # ₹10,000 crore: far above any MSME limit, so only typing slips are refused
MAX_TEXT = 2000
MAX_CONDITIONS = 20
MAX_CONDITION = 300
AMOUNT_TOLERANCE = 0.5  # rupees: an amount within this of the engine's offer is the same amount

OFFICER_DECISION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["customer_id", "decision"],
    "additionalProperties": False,
    "properties": {
        "customer_id": {"type": "string", "pattern": CUSTOMER_ID_PATTERN.pattern},
        "decision": {"type": "string", "enum": list(DECISIONS)},
        "amount": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": MAX_AMOUNT,
                   "description": "INR; for an approval (default: the engine's offer)"},
        "conditions": {"type": ["array", "null"], "maxItems": MAX_CONDITIONS,
                       "items": {"type": "string", "minLength": 1, "maxLength": MAX_CONDITION},
                       "description": "required (at least one) for APPROVE_WITH_CONDITIONS"},
        "note": {"type": ["string", "null"], "maxLength": MAX_TEXT},
        "reason": {"type": ["string", "null"], "maxLength": MAX_TEXT,
                   "description": "required when the decision or the amount differs from the engine's"},
    },
}
AMOUNT_MESSAGE = "amount must be a number of rupees above 0 (at most ₹10,000 crore)"
FIELD_ORDER = tuple(OFFICER_DECISION_SCHEMA["properties"])
_VALIDATOR = Draft202012Validator(OFFICER_DECISION_SCHEMA)


class OfficerDecisionError(Exception):
    """A refused officer decision: the message for the person and the field it is about."""

    def __init__(self, message: str, field: str, code: str = "invalid_field"):
        super().__init__(message)
        self.message, self.field, self.code = message, field, code


@dataclass(frozen=True)
class OfficerDecisionInput:
    """A well-formed officer decision, not yet compared with the engine."""

    customer_id: str
    decision: str
    amount: float | None = None
    conditions: tuple[str, ...] = ()
    note: str = ""
    reason: str = ""


@dataclass(frozen=True)
class EngineDecision:
    """What the engine decided, as far as an officer's decision is compared with it."""

    decision: str | None
    policy_version: str | None
    amount: float | None
    generated_at: str | None
    as_of: str | None
    band: str | None
    probability_of_default: float | None
    scorecard: float | None
    product_id: str | None
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (stored with every officer decision and served in the case history)."""
        return {"decision": self.decision, "policy_version": self.policy_version, "amount": self.amount,
                "generated_at": self.generated_at, "as_of": self.as_of, "band": self.band,
                "probability_of_default": self.probability_of_default, "scorecard": self.scorecard,
                "product_id": self.product_id}


def _value(metric: Any) -> Any:
    """The ``value`` of a metric object (or the bare value when the document holds one)."""
    return metric.get("value") if isinstance(metric, dict) else metric


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
        else None


def engine_decision(doc: dict | None) -> EngineDecision | None:
    """The comparable core of a ``decision.json`` (None when there is none): tolerant of missing parts."""
    if not isinstance(doc, dict):
        return None
    grade = doc.get("risk_grade") if isinstance(doc.get("risk_grade"), dict) else {}
    offer = doc.get("offer") if isinstance(doc.get("offer"), dict) else {}
    policy = doc.get("policy") if isinstance(doc.get("policy"), dict) else {}
    decision = doc.get("decision") if doc.get("decision") in DECISIONS else None
    return EngineDecision(
        decision=decision, policy_version=policy.get("version"),
        amount=_number(_value(offer.get("amount"))) if decision in APPROVALS else None,
        generated_at=doc.get("generated_at"), as_of=doc.get("as_of"), band=grade.get("band"),
        probability_of_default=_number(_value(grade.get("probability_of_default"))),
        scorecard=_number(_value(grade.get("scorecard"))), product_id=offer.get("product_id"))


def _error_field(error) -> str:
    """The body field a schema error is about (``conditions[2]`` for an item)."""
    if error.validator == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        return next((name for name in error.validator_value if name not in instance), "body")
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(OFFICER_DECISION_SCHEMA["properties"]))
        return extra[0] if extra else "body"
    path = list(error.absolute_path)
    if not path:
        return "body"
    name = str(path[0])
    return name + "".join(f"[{p}]" for p in path[1:])


def _message(name: str, error) -> str:
    top = name.split("[", 1)[0]
    if error.validator == "required":
        return f"{name} is required"
    if error.validator == "additionalProperties":
        return f"unknown field {name}; fields: {', '.join(FIELD_ORDER)}"
    if top == "decision":
        return f"decision must be one of {', '.join(DECISIONS)}"
    if top == "amount":
        return AMOUNT_MESSAGE
    if top == "conditions":
        return (f"conditions must be a list of at most {MAX_CONDITIONS} texts of 1 to {MAX_CONDITION} characters")
    if top in ("note", "reason"):
        return f"{top} must be a text of at most {MAX_TEXT} characters"
    if top == "customer_id":
        return "customer_id must be a customer id such as CUST_MSM_00001"
    return f"{name}: {error.message}"


def parse_officer_decision(body: dict[str, Any]) -> OfficerDecisionInput:
    """Validate a request body against :data:`OFFICER_DECISION_SCHEMA`; the first problem (in field order) is
    raised as :class:`OfficerDecisionError` naming its field."""
    errors = list(_VALIDATOR.iter_errors(body))
    if errors:
        def rank(error):
            name = _error_field(error).split("[", 1)[0]
            return FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER)
        first = min(errors, key=rank)
        name = _error_field(first)
        raise OfficerDecisionError(_message(name, first), name)
    amount = body.get("amount")
    if amount is not None and not math.isfinite(amount):  # NaN passes every comparison of the schema
        raise OfficerDecisionError(AMOUNT_MESSAGE, "amount")
    conditions = tuple(c.strip() for c in body.get("conditions") or [])
    for i, text in enumerate(conditions):
        if not text:
            raise OfficerDecisionError(f"conditions[{i}] is blank: write the condition or remove it",
                                       f"conditions[{i}]")
    return OfficerDecisionInput(customer_id=body["customer_id"], decision=body["decision"],
                                amount=float(amount) if amount is not None else None, conditions=conditions,
                                note=(body.get("note") or "").strip(), reason=(body.get("reason") or "").strip())


def differences(entry: OfficerDecisionInput, engine: EngineDecision) -> list[str]:
    """What the officer changed from the engine: ``decision`` and/or ``amount``."""
    changed = []
    if entry.decision != engine.decision:
        changed.append("decision")
    if entry.amount is not None and (engine.amount is None or abs(entry.amount - engine.amount) > AMOUNT_TOLERANCE):
        changed.append("amount")
    return changed


def record_differs(record: dict[str, Any], engine: EngineDecision) -> bool:
    """Whether a stored officer decision departs from ``engine`` (another decision, or another amount)."""
    amount = _number(record.get("amount"))
    if record.get("decision") != engine.decision:
        return True
    if amount is None or record.get("decision") not in APPROVALS:
        return False
    return engine.amount is None or abs(amount - engine.amount) > AMOUNT_TOLERANCE


def check_against_engine(entry: OfficerDecisionInput, engine: EngineDecision) -> list[str]:
    """The rules an officer decision must meet given the engine's; returns the differences, or raises
    :class:`OfficerDecisionError` naming the field to fix."""
    if entry.amount is not None and entry.decision not in APPROVALS:
        raise OfficerDecisionError(f"an amount goes with an approval, not with {entry.decision}: leave amount out",
                                   "amount")
    if entry.decision == "APPROVE_WITH_CONDITIONS" and not entry.conditions:
        raise OfficerDecisionError("list at least one condition for an approval with conditions", "conditions")
    if entry.decision in APPROVALS and entry.amount is None and engine.amount is None:
        raise OfficerDecisionError("amount is required: the engine made no offer whose amount you could accept",
                                   "amount")
    changed = differences(entry, engine)
    if changed and not entry.reason:
        engine_said = engine.decision or "no decision"
        if "amount" in changed and engine.amount is not None:
            engine_said += f", {inr(engine.amount)}"
        raise OfficerDecisionError(f"reason is required: your {' and '.join(changed)} differs from the engine's "
                                   f"({engine_said})", "reason", code="reason_required")
    return changed


def build_record(entry: OfficerDecisionInput, engine: EngineDecision, changed: list[str], who: str,
                 role: str) -> dict[str, Any]:
    """The stored officer decision: what was decided, by whom and when, against which engine decision."""
    amount = entry.amount if entry.amount is not None else (engine.amount if entry.decision in APPROVALS else None)
    return {
        "decision_id": f"od_{uuid.uuid4().hex[:16]}", "customer_id": entry.customer_id, "ts": utc_now_iso(),
        "by": who, "role": role, "decision": entry.decision, "amount": amount,
        "amount_entered": entry.amount is not None, "conditions": list(entry.conditions), "note": entry.note,
        "reason": entry.reason, "differs": bool(changed), "differences": changed, "engine": engine.as_dict(),
    }


def record_officer_decision(lake: Lake, record: dict[str, Any]) -> None:
    """Append the record to the customer's officer decisions (one write of one line, fsynced)."""
    lake.append_line(lake.officer_decisions_path(record["customer_id"]), record)


def read_officer_decisions(lake: Lake, customer_id: str) -> list[dict[str, Any]]:
    """The customer's officer decisions, oldest first; a line that cannot be read (a torn last line) is skipped."""
    path = lake.officer_decisions_path(customer_id)
    try:
        lines = lake.read_lines(path) if path.exists() else []
    except LakeError:
        return []
    records = []
    for line in lines:
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records
