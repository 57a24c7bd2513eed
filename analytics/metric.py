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
           window: dict[str, Any] | None = None, basis: str | None = None) -> dict[str, Any]:
    """A computed figure with how it was computed.

    ``window`` (optional, see :func:`month_window`) says which period the figure covers, because "12 bounces"
    means little without "in the last 24 months"; ``basis`` (optional) says whether a GST amount includes
    tax (``"excl. tax"`` / ``"incl. tax"``), because declared turnover is taxable value and bank credits are
    not. Both keys are present only when given, so existing documents keep their shape.
    """
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
    if window is not None:
        out["window"] = dict(window)
    if basis is not None:
        out["basis"] = basis
    return out


def missing(unit: str, formula: str, reason: str, inputs: dict[str, Any] | None = None,
            window: dict[str, Any] | None = None) -> dict[str, Any]:
    """A figure that cannot be computed from the data, with the reason why."""
    out = metric(None, unit, formula, inputs, reason, window)
    out["reason"] = reason
    return out


def not_applicable(unit: str, formula: str, reason: str, inputs: dict[str, Any] | None = None,
                   window: dict[str, Any] | None = None, explanation: str | None = None) -> dict[str, Any]:
    """A figure that does not apply to this customer (``applicable: false``), which is not missing data.

    Why a separate shape: DSCR of a borrower with no debt service is not unknown, it has no meaning; a
    reader (the scorecard, the risk model) must not treat it as a data gap and charge risk for it.
    """
    out = missing(unit, formula, reason, inputs, window)
    out["applicable"] = False
    if explanation:
        out["explanation"] = explanation
    return out


def month_window(first: str, last: str, label: str | None = None) -> dict[str, Any]:
    """The ``window`` of a figure computed over the calendar months ``first``..``last`` (``YYYY-MM``)."""
    months = (int(last[:4]) * 12 + int(last[5:7])) - (int(first[:4]) * 12 + int(first[5:7])) + 1
    return {"from": first, "to": last, "months": months,
            "label": label or f"{months} calendar month{'s' if months != 1 else ''} {first} to {last}"}


def with_window(metrics: dict[str, dict], window: dict[str, Any], keys=None) -> dict[str, dict]:
    """Set ``window`` on every metric of ``metrics`` (or on ``keys``) that has none yet; returns ``metrics``."""
    for key, found in metrics.items():
        if isinstance(found, dict) and "window" not in found and (keys is None or key in keys):
            found["window"] = dict(window)
    return metrics


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
