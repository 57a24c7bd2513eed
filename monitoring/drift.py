"""Model health: the risk model's population stability month by month, read from the lake, and its alerts.

:func:`model_health` compares the champion's drift profile, made at training and written with the registry's
champion (``lake.model_drift_profile_path("risk_model")``, :mod:`analytics.risk.reference`), with the customers
scored in each month: every customer's latest ``risk_model.json``, grouped by its as-of month. The figures are those
of :mod:`analytics.risk.drift`. :func:`check_drift` does the same and raises a ``drift`` alert
(:mod:`monitoring.alerts`) for each month at or past ``alerts.rules.drift.min_status`` (``act``).
"""
from __future__ import annotations

from typing import Any

from analytics.risk.drift import INSUFFICIENT, STATUSES, calculation_note, drift_settings, month_drift
from analytics.risk.features import describe
from monitoring.alerts import Alert, raise_alerts, rule_settings
from pipeline.lake import Lake, LakeError

MODEL_NAME = "risk_model"


class NoReferenceError(LookupError):
    """No reference profile is saved for the model: it was trained before drift monitoring existed."""


def load_reference(lake: Lake, model: str = MODEL_NAME) -> dict[str, Any]:
    """The model's saved reference profile; NoReferenceError when there is none."""
    path = lake.model_drift_profile_path(model)
    if not path.exists():
        raise NoReferenceError(f"no reference profile for {model} in this lake: train the model again "
                               "(`python -m pipeline train-risk`) to save one with it")
    return lake.read_json(path)


def scored_population(lake: Lake, model_version: str | None) -> dict[str, list[dict[str, Any]]]:
    """Each as-of month's scored customers: ``{month: [{"score", "features"}]}`` from their ``risk_model.json``.

    ``score`` is the risk score when the document was scored by ``model_version``, else None (a score of
    another model says nothing about this one's stability; its inputs still do).
    """
    months: dict[str, list[dict[str, Any]]] = {}
    for customer_id in lake.customers():
        path = lake.analytics_path(customer_id, "risk_model")
        if not path.exists():
            continue
        try:
            doc = lake.read_json(path)
        except LakeError:
            continue
        features = doc.get("features")
        if not isinstance(features, dict) or not str(doc.get("as_of", ""))[:7]:
            continue
        score = ((doc.get("metrics") or {}).get("risk_score") or {}).get("value")
        same = (doc.get("model") or {}).get("version") == model_version
        months.setdefault(str(doc["as_of"])[:7], []).append(
            {"score": score if same and isinstance(score, (int, float)) else None, "features": features})
    return months


def model_health(lake: Lake, config: dict, months: int = 12) -> dict[str, Any]:
    """The model-health report: the model, its reference period, the last ``months`` months and the method."""
    reference = load_reference(lake)
    settings = drift_settings(config)
    population = scored_population(lake, reference.get("model_version"))
    names = list(reference["features"])
    descriptions = {name: describe(name) for name in names}
    shown = sorted(population)[-months:]
    report_months = [{"month": month, **month_drift(reference, population[month], settings, descriptions)}
                     for month in shown]
    latest = report_months[-1]["status"] if report_months else INSUFFICIENT
    return {"model": {"name": MODEL_NAME, "version": reference.get("model_version"),
                      "trained_at": reference.get("trained_at"), "fingerprint": reference.get("fingerprint"),
                      "training_rows": reference.get("rows")},
            "reference_period": reference.get("reference_period"),
            "thresholds": {k: settings[k] for k in ("watch", "act", "min_scored", "top_drivers", "epsilon")},
            "status": latest, "months": report_months, "calculation": calculation_note(settings)}


def drift_alerts(report: dict[str, Any], min_status: str = "act") -> list[Alert]:
    """A ``drift`` alert for every month of the report whose status is ``min_status`` or worse."""
    floor = STATUSES.index(min_status)
    model = report["model"]
    out = []
    for month in report["months"]:
        if month["status"] not in STATUSES or STATUSES.index(month["status"]) < floor:
            continue
        moved = [d["feature"] for d in month["top_drivers"] if d["status"] != "stable"]
        psi_text = "n/a" if month["score_psi"] is None else f"{month['score_psi']:.3f}"
        reason = (f"The {model['name']} population of {month['month']} ({month['n_scored']} customers scored) is "
                  f"'{month['status']}' against the training data of version {model['version']} (score PSI "
                  f"{psi_text}" + (f"; top drivers that moved: {', '.join(moved)}" if moved else "") + ").")
        out.append(Alert("drift", model["name"], month["month"], reason, dedupe=str(model["version"]),
                         details={"model_version": model["version"], "status": month["status"],
                                  "score_psi": month["score_psi"],
                                  "n_scored": month["n_scored"], "drivers_moved": moved}))
    return out


def check_drift(lake: Lake, config: dict, months: int = 12) -> dict[str, Any]:
    """Compute model health and raise the drift alerts; returns the report with ``alerts`` (their outcomes)."""
    report = model_health(lake, config, months)
    min_status = str(rule_settings(config, "drift").get("min_status", "act"))
    report["alerts"] = raise_alerts(lake, config, drift_alerts(report, min_status))
    return report
