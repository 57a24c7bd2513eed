"""What a narrative must look like, and the check every model reply goes through before anyone sees it.

A model reply is accepted only when it is one JSON object with the five narrative keys, strings where
strings belong, lists of non-empty strings where lists belong, and every length within sane bounds. A
reply that fails is *malformed*, and the next provider is tried.
"""
from __future__ import annotations

import json
import re
from typing import Any

from api_panel.insights.prompt import NARRATIVE_KEYS

TEXT_LIMITS = {"summary": (10, 2000), "recommendation": (5, 1200)}
LIST_KEYS = ("strengths", "risks", "suggested_conditions")
MAX_ITEMS = 12
MAX_ITEM_CHARS = 600
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


class MalformedNarrativeError(ValueError):
    """A model's reply is not a usable narrative; the message says why (never quoting secrets)."""


def parse_narrative(text: Any) -> dict[str, Any]:
    """Turn a model's reply text into a validated narrative dict, or raise :class:`MalformedNarrativeError`.

    Why: providers fall through on bad output, so validation must be strict and its reason short and
    loggable. A Markdown code fence around the JSON is tolerated; anything else around it is not.
    """
    if not isinstance(text, str) or not text.strip():
        raise MalformedNarrativeError("empty reply")
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1)
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise MalformedNarrativeError("reply is not valid JSON") from None
    return validate_narrative(data)


def validate_narrative(data: Any) -> dict[str, Any]:
    """Check keys, types and lengths; return only the five narrative keys, whitespace-trimmed."""
    if not isinstance(data, dict):
        raise MalformedNarrativeError("reply is not a JSON object")
    missing = [k for k in NARRATIVE_KEYS if k not in data]
    if missing:
        raise MalformedNarrativeError("missing keys: " + ", ".join(missing))
    out: dict[str, Any] = {}
    for key, (low, high) in TEXT_LIMITS.items():
        value = data[key]
        if not isinstance(value, str):
            raise MalformedNarrativeError(f"{key} is not a string")
        value = value.strip()
        if not low <= len(value) <= high:
            raise MalformedNarrativeError(f"{key} has {len(value)} characters (allowed {low}-{high})")
        out[key] = value
    for key in LIST_KEYS:
        value = data[key]
        if not isinstance(value, list) or len(value) > MAX_ITEMS:
            raise MalformedNarrativeError(f"{key} is not a list of at most {MAX_ITEMS} strings")
        items = []
        for item in value:
            if not isinstance(item, str) or not item.strip() or len(item) > MAX_ITEM_CHARS:
                raise MalformedNarrativeError(f"{key} holds an empty, non-string or over-long item")
            items.append(item.strip())
        out[key] = items
    return {key: out[key] for key in NARRATIVE_KEYS}


def response_schema() -> dict[str, Any]:
    """The narrative as a JSON Schema, for providers that can constrain their output to one."""
    string_list = {"type": "array", "items": {"type": "string"}}
    return {"type": "object",
            "properties": {"summary": {"type": "string"}, "strengths": string_list, "risks": string_list,
                           "recommendation": {"type": "string"}, "suggested_conditions": string_list},
            "required": list(NARRATIVE_KEYS)}
