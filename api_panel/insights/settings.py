"""Where the AI narrative comes from and how long it may take: settings read from the environment.

Keys are secrets, so they live only in the environment (``.env`` is loaded by the app); nothing here is in
``config.json``. ``InsightSettings`` is a plain dataclass so a test or the app factory can build one directly.
Its ``repr`` hides the keys, so printing or logging settings never leaks them.
"""
from __future__ import annotations

import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

DEFAULT_OPENAI_BASE_URL = "https://api.deepseek.com"
DEFAULT_OPENAI_MODEL = "deepseek-chat"
DEFAULT_GEMINI_MODEL = "gemini-2.5-flash"
DEFAULT_TIMEOUT_S = 8.0
DEFAULT_TOTAL_BUDGET_S = 20.0
DEFAULT_MAX_PROMPT_TOKENS = 3000
DEFAULT_MAX_RESPONSE_TOKENS = 1200


@dataclass(frozen=True)
class InsightSettings:
    """Providers, models, keys and limits of one narrative request (keys are hidden from ``repr``)."""

    openai_base_url: str = DEFAULT_OPENAI_BASE_URL
    openai_api_key: str | None = field(default=None, repr=False)
    openai_model: str = DEFAULT_OPENAI_MODEL
    gemini_api_key: str | None = field(default=None, repr=False)
    gemini_model: str = DEFAULT_GEMINI_MODEL
    gemini_base_url: str | None = None
    timeout_s: float = DEFAULT_TIMEOUT_S
    total_budget_s: float = DEFAULT_TOTAL_BUDGET_S
    max_prompt_tokens: int = DEFAULT_MAX_PROMPT_TOKENS
    max_response_tokens: int = DEFAULT_MAX_RESPONSE_TOKENS
    gemini_thinking_budget: int | None = None

    def secrets(self) -> list[str]:
        """Every configured key, so error texts can be scrubbed of them before anyone sees them."""
        return [k for k in (self.openai_api_key, self.gemini_api_key) if k]


def _first(env: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        value = (env.get(name) or "").strip()
        if value:
            return value
    return None


def _number(env: Mapping[str, str], name: str, default: float, cast: type, minimum: float) -> float | int:
    raw = _first(env, name)
    if raw is None:
        return default
    try:
        value = cast(float(raw))
    except (ValueError, OverflowError):
        value = None
    if value is None or math.isnan(value) or value < minimum:
        # A typo in .env must not take the endpoint down: warn and keep the documented default.
        log.warning("%s=%r is not a number >= %s; using the default %s", name, raw, minimum, default)
        return default
    return value


def settings_from_env(env: Mapping[str, str] | None = None) -> InsightSettings:
    """Build :class:`InsightSettings` from ``env`` (``os.environ`` by default).

    Why: one place reads the variables documented in ``.env.example``; a provider without a key is simply
    not configured and will be skipped without any network call.
    """
    env = os.environ if env is None else env
    thinking = _first(env, "GEMINI_THINKING_BUDGET")
    return InsightSettings(
        openai_base_url=(_first(env, "OPENAI_BASE_URL") or DEFAULT_OPENAI_BASE_URL).rstrip("/"),
        openai_api_key=_first(env, "OPENAI_API_KEY", "DEEPSEEK_API_KEY"),
        openai_model=_first(env, "OPENAI_MODEL") or DEFAULT_OPENAI_MODEL,
        gemini_api_key=_first(env, "GEMINI_API_KEY", "GOOGLE_API_KEY"),
        gemini_model=_first(env, "GEMINI_MODEL") or DEFAULT_GEMINI_MODEL,
        gemini_base_url=_first(env, "GEMINI_BASE_URL"),
        timeout_s=_number(env, "AI_TIMEOUT_S", DEFAULT_TIMEOUT_S, float, 0.1),
        total_budget_s=_number(env, "AI_TOTAL_BUDGET_S", DEFAULT_TOTAL_BUDGET_S, float, 0.1),
        max_prompt_tokens=_number(env, "AI_MAX_PROMPT_TOKENS", DEFAULT_MAX_PROMPT_TOKENS, int, 1),
        max_response_tokens=_number(env, "AI_MAX_RESPONSE_TOKENS", DEFAULT_MAX_RESPONSE_TOKENS, int, 16),
        gemini_thinking_budget=None if thinking is None else _number(env, "GEMINI_THINKING_BUDGET", 0, int, -1),
    )
