"""The one shape every number a person sees takes: ``{value, unit, formula, inputs, explanation}``.

Analyzers never return a bare number. ``inputs`` holds the numbers a value was
computed from (or, for counts, the ids of the records counted), so the
dashboard's Calculations view can show any figure's derivation. Missing data
gives ``value: None`` with the reason, never a made-up default.
"""
from __future__ import annotations

import math
from typing import Any

MAX_INPUT_IDS = 200


def _clean_number(value: Any) -> Any:
    if isinstance(value, float):  # numpy.float64 is a float subclass: make it a plain float for JSON
        if math.isnan(value) or math.isinf(value):
            return None
        return round(float(value), 4)
    if hasattr(value, "item"):  # numpy scalars
        return _clean_number(value.item())
    return value


def metric(value: Any, unit: str, formula: str, inputs: dict[str, Any] | None, explanation: str,
           window: dict[str, Any] | None = None) -> dict[str, Any]:
    """A computed figure with how it was computed; ``window`` says which period it covers, when it covers one
    (``{"from": "2025-11", "to": "2026-10", "months": 12, "label": "..."}``)."""
    clean_inputs = {}
    for key, item in (inputs or {}).items():
        if isinstance(item, (list, tuple)) and len(item) > MAX_INPUT_IDS:
            clean_inputs[key] = [_clean_number(v) for v in item[:MAX_INPUT_IDS]]
            clean_inputs[f"{key}_total"] = len(item)
        elif isinstance(item, (list, tuple)):
            clean_inputs[key] = [_clean_number(v) for v in item]
        else:
            clean_inputs[key] = _clean_number(item)
    value = _clean_number(value)
    out = {"value": value, "unit": unit, "formula": formula, "inputs": clean_inputs, "explanation": explanation}
    if window:
        out["window"] = dict(window)
    return out


def missing(unit: str, formula: str, reason: str, inputs: dict[str, Any] | None = None) -> dict[str, Any]:
    """A figure that cannot be computed from the data, with the reason why."""
    out = metric(None, unit, formula, inputs, reason)
    out["reason"] = reason
    return out


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator``, or None when the denominator is zero or missing."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def ratio_metric(numerator: float, denominator: float, formula: str, names: tuple[str, str], explanation: str,
                 extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A ratio as a metric, with both operands named in its inputs; missing (with reason) when the denominator is 0."""
    inputs = {names[0]: numerator, names[1]: denominator, **(extra or {})}
    value = ratio(numerator, denominator)
    if value is None:
        return missing("ratio", formula, f"{names[1]} is zero", inputs)
    return metric(value, "ratio", formula, inputs, explanation)
