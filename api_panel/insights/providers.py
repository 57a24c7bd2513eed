"""The two model providers: an OpenAI-compatible Chat Completions endpoint and Gemini (google-genai SDK).

Each provider takes the prompt, the settings and the seconds it may spend, and returns a validated
narrative or raises. Failures are sorted into the statuses the API reports: ``timeout`` (no complete
reply in time), ``error`` (HTTP 4xx/5xx, connection refused, SDK error) and ``malformed`` (a reply that
is not the narrative JSON). Every provider call runs under :func:`run_with_deadline`, so a server that
trickles bytes cannot hold the request past its share of the budget. Keys travel only in request headers
and are scrubbed from any error text before it leaves this module.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from google import genai
from google.genai import types

from api_panel.insights.narrative import (
    MalformedNarrativeError,
    parse_narrative,
    response_schema,
)
from api_panel.insights.settings import InsightSettings

TEMPERATURE = 0.2
GEMINI_API_VERSION = "v1beta"
MAX_DETAIL = 300


class ProviderError(Exception):
    """A provider failed; ``status`` is what the API reports for the attempt."""

    status = "error"


class ProviderTimeout(ProviderError):
    """No complete reply within the provider's share of the time budget."""

    status = "timeout"


class ProviderMalformed(ProviderError):
    """The provider answered, but not with a usable narrative."""

    status = "malformed"


def run_with_deadline(fn: Callable[[], Any], seconds: float) -> Any:
    """Run ``fn`` in a daemon thread and wait at most ``seconds`` for it.

    Why: HTTP client timeouts bound each read, not the whole exchange; this bounds the whole exchange.
    A late thread is abandoned and ends on its own client timeout (set to the same ``seconds``).
    """
    box: dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["result"] = fn()
        except BaseException as exc:  # noqa: BLE001 -- re-raised in the caller's thread below
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=target, daemon=True, name="ai-insights-provider").start()
    if not done.wait(seconds):
        raise ProviderTimeout(f"no complete reply within {seconds:.1f} s")
    if "error" in box:
        raise box["error"]
    return box["result"]


def _is_timeout(exc: BaseException) -> bool:
    # google-genai may raise httpx's or its fork httpx2's exceptions; both name their timeouts *Timeout*.
    return isinstance(exc, (TimeoutError, httpx.TimeoutException)) or any(
        "Timeout" in cls.__name__ for cls in type(exc).__mro__)


def classify(exc: BaseException, secrets: list[str]) -> tuple[str, str]:
    """``(status, detail)`` for a failed attempt, with every secret scrubbed from the detail."""
    if isinstance(exc, ProviderError):
        status, detail = exc.status, str(exc)
    elif isinstance(exc, MalformedNarrativeError):
        status, detail = "malformed", str(exc)
    elif _is_timeout(exc):
        status, detail = "timeout", f"{type(exc).__name__}: no reply in time"
    else:
        status, detail = "error", f"{type(exc).__name__}: {exc}"
    return status, scrub(detail, secrets)


def scrub(text: str, secrets: list[str]) -> str:
    """``text`` with every secret replaced by ``***`` and cut to a loggable length."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text[:MAX_DETAIL]


def _error_message(response: httpx.Response) -> str:
    try:
        body = response.json()
        message = (body.get("error") or {}).get("message") if isinstance(body, dict) else None
    except ValueError:
        message = None
    return f"HTTP {response.status_code}" + (f": {message}" if isinstance(message, str) and message else "")


def call_openai_compatible(prompt: dict, settings: InsightSettings, timeout_s: float) -> dict:
    """POST ``{OPENAI_BASE_URL}/chat/completions`` asking for a JSON object; return the parsed narrative."""
    body = {
        "model": settings.openai_model,
        "messages": [{"role": "system", "content": prompt["system"]}, {"role": "user", "content": prompt["user"]}],
        "response_format": {"type": "json_object"},
        "max_tokens": settings.max_response_tokens,
        "temperature": TEMPERATURE,
        "stream": False,
    }
    headers = {"Authorization": f"Bearer {settings.openai_api_key}", "Accept": "application/json"}
    with httpx.Client(timeout=httpx.Timeout(timeout_s), follow_redirects=False) as client:
        response = client.post(settings.openai_base_url.rstrip("/") + "/chat/completions", json=body, headers=headers)
    if response.status_code >= 400:
        raise ProviderError(_error_message(response))
    try:
        choice = response.json()["choices"][0]
        content = choice["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise ProviderMalformed("reply is not a chat completion") from None
    if choice.get("finish_reason") == "length":
        raise ProviderMalformed("reply cut off at the max_tokens limit")
    return parse_narrative(content)


def call_gemini(prompt: dict, settings: InsightSettings, timeout_s: float) -> dict:
    """``models.generate_content`` through google-genai with a JSON response; return the parsed narrative."""
    # v1beta pinned: it has systemInstruction, responseJsonSchema and thinkingConfig for every current model,
    # whatever version a later SDK makes its default.
    http_options = types.HttpOptions(timeout=max(1, int(timeout_s * 1000)), base_url=settings.gemini_base_url or None,
                                     api_version=GEMINI_API_VERSION)
    config = types.GenerateContentConfig(
        system_instruction=prompt["system"],
        response_mime_type="application/json",
        response_json_schema=response_schema(),
        max_output_tokens=settings.max_response_tokens,
        temperature=TEMPERATURE,
        thinking_config=(None if settings.gemini_thinking_budget is None
                         else types.ThinkingConfig(thinking_budget=settings.gemini_thinking_budget)),
    )
    client = genai.Client(api_key=settings.gemini_api_key, vertexai=False, http_options=http_options)
    try:
        response = client.models.generate_content(model=settings.gemini_model, contents=prompt["user"], config=config)
    finally:
        client.close()
    try:
        text = response.text
    except (ValueError, AttributeError):
        text = None
    if not text:
        reason = None
        if response.candidates:
            reason = response.candidates[0].finish_reason
        raise ProviderMalformed("no text in the reply" + (f" (finish reason {reason})" if reason else ""))
    return parse_narrative(text)


@dataclass(frozen=True)
class Provider:
    """One step of the chain: its name, its model, whether it has a key, and how to call it."""

    name: str
    model: Callable[[InsightSettings], str]
    configured: Callable[[InsightSettings], bool]
    call: Callable[[dict, InsightSettings, float], dict]


PROVIDERS: tuple[Provider, ...] = (
    Provider("openai_compatible", lambda s: s.openai_model, lambda s: bool(s.openai_api_key), call_openai_compatible),
    Provider("gemini", lambda s: s.gemini_model, lambda s: bool(s.gemini_api_key), call_gemini),
)
