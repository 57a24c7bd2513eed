"""One narrative per request: try each configured model in order, within a time budget, then write it offline.

Order: the OpenAI-compatible endpoint, Gemini, the offline writer. A provider without a key is recorded
as ``not_configured`` and costs no request. Each call may use ``timeout_s`` seconds but never more than
what is left of ``total_budget_s``; once the budget is spent, the remaining providers are recorded as
``timeout`` without being called. The offline narrative needs no network and always succeeds, so the
whole call returns within the budget plus the few milliseconds the offline writer takes.
"""
from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

from api_panel.insights.facts import assemble, collect_facts
from api_panel.insights.offline import offline_narrative
from api_panel.insights.prompt import build_prompt
from api_panel.insights.providers import PROVIDERS, classify, run_with_deadline
from api_panel.insights.settings import InsightSettings

log = logging.getLogger(__name__)
OFFLINE_MODEL = "deterministic-template-v1"
MIN_CALL_S = 0.05


def _attempt(provider: str, status: str, detail: str, started: float) -> dict[str, Any]:
    return {"provider": provider, "status": status, "detail": detail,
            "elapsed_ms": round((time.monotonic() - started) * 1000)}


def generate_insights(documents: dict[str, dict], settings: InsightSettings) -> dict[str, Any]:
    """A lending narrative for one customer's analytics documents, and how it was obtained.

    Returns ``{"provider", "model", "narrative", "attempts", "prompt_facts", "generated_at"}``.
    ``narrative`` has ``summary``, ``strengths``, ``risks``, ``recommendation`` and
    ``suggested_conditions``; ``attempts`` lists every provider tried with its status
    (``ok | timeout | error | malformed | not_configured``), a short detail and the time it took;
    ``prompt_facts`` are the aggregated figures the model was given (the only customer data that leaves
    the lake). Never raises for a provider failure.
    """
    started = time.monotonic()
    deadline = started + settings.total_budget_s
    prompt = build_prompt(documents, settings.max_prompt_tokens)
    attempts: list[dict[str, Any]] = []
    for provider in PROVIDERS:
        t0 = time.monotonic()
        if not provider.configured(settings):
            attempts.append(_attempt(provider.name, "not_configured", "no API key set", t0))
            continue
        remaining = deadline - t0
        if remaining < MIN_CALL_S:
            attempts.append(_attempt(provider.name, "timeout", "overall time budget spent before this provider", t0))
            continue
        seconds = min(settings.timeout_s, remaining)
        try:
            narrative = run_with_deadline(lambda p=provider, s=seconds: p.call(prompt, settings, s), seconds)
        except Exception as exc:  # noqa: BLE001 -- every failure falls through to the next provider
            status, detail = classify(exc, settings.secrets())
            attempts.append(_attempt(provider.name, status, detail, t0))
            log.warning("ai-insights: %s (%s) %s: %s", provider.name, provider.model(settings), status, detail)
            continue
        attempts.append(_attempt(provider.name, "ok", "narrative validated", t0))
        log.info("ai-insights: %s (%s) ok", provider.name, provider.model(settings))
        return _result(provider.name, provider.model(settings), narrative, attempts, prompt["facts"])
    t0 = time.monotonic()
    narrative = offline_narrative(assemble(collect_facts(documents)))
    attempts.append(_attempt("offline", "ok", "written from the analytics without a model", t0))
    return _result("offline", OFFLINE_MODEL, narrative, attempts, prompt["facts"])


def _result(provider: str, model: str, narrative: dict, attempts: list, facts: dict) -> dict[str, Any]:
    return {"provider": provider, "model": model, "narrative": narrative, "attempts": attempts,
            "prompt_facts": facts, "generated_at": datetime.now(UTC).isoformat(timespec="seconds")}
