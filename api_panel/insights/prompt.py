"""The prompt a language model gets: fixed instructions plus the allowed facts, trimmed to a token budget.

Tokens are estimated at ~4 characters each (:data:`CHARS_PER_TOKEN`), the usual rule of thumb for
English and JSON; an estimate is enough because the limit exists to bound cost and latency, not to hit a
model's hard context size. When the prompt is too long, the lowest-priority facts are dropped first
(priority 5, then 4, ...; within a priority the last defined first); priority-1 facts (score, band,
decision, fraud severity) are never dropped.
"""
from __future__ import annotations

import json
from typing import Any

from api_panel.insights.facts import Fact, assemble, collect_facts

CHARS_PER_TOKEN = 4
NARRATIVE_KEYS = ("summary", "strengths", "risks", "recommendation", "suggested_conditions")

SYSTEM_PROMPT = (
    "You are a senior credit analyst at an Indian bank writing a short credit note on an MSME borrower for a "
    "loan officer. Use only the facts given; never invent figures, names or events. Amounts are in Indian "
    "rupees: write them with Indian digit grouping (for example \u20b912,34,567) and "
    "use lakh and crore for large sums. The policy decision in the facts is binding: explain it, do not "
    "overturn it; if fraud severity is HIGH, say so first. Reply with one JSON object only, no prose around "
    "it, with exactly these keys: \"summary\" (string, 2-4 sentences), \"strengths\" (array of short "
    "strings), \"risks\" (array of short strings), \"recommendation\" (string, 1-3 sentences starting with the "
    "decision), \"suggested_conditions\" (array of short strings, may be empty)."
)

LEGEND = (
    "Legend: *_inr are whole rupees; *_pct are percentages (4.3 means 4.3%); dscr and gst_to_bank_ratio are "
    "multiples; avg_itc_ratio and probabilities are fractions (0.96 means 96%); score and bureau_score are on "
    "300-900; impact_points are score points a factor moved the score by."
)


def estimate_tokens(text: str) -> int:
    """Approximate token count of ``text`` (~4 characters per token, rounded up)."""
    return -(-len(text) // CHARS_PER_TOKEN)


def _user_prompt(facts: dict[str, Any]) -> str:
    body = json.dumps(facts, ensure_ascii=False, separators=(",", ":"))
    return ("Write the credit note as JSON for this borrower. " + LEGEND + "\nFacts (aggregated metrics only):\n"
            + body)


def trim_facts(facts: list[Fact], max_prompt_tokens: int | None) -> tuple[list[Fact], list[str]]:
    """Drop the lowest-priority facts until system + user prompt fit ``max_prompt_tokens``.

    Returns the kept facts and the ``section.key`` names dropped, in the order they were dropped.
    """
    kept = list(facts)
    dropped: list[str] = []
    if not max_prompt_tokens:
        return kept, dropped

    def size(items: list[Fact]) -> int:
        return estimate_tokens(SYSTEM_PROMPT) + estimate_tokens(_user_prompt(assemble(items)))

    while size(kept) > max_prompt_tokens:
        removable = [i for i, f in enumerate(kept) if f.priority > 1]
        if not removable:
            break
        victim = max(removable, key=lambda i: (kept[i].priority, i))
        dropped.append(f"{kept[victim].section}.{kept[victim].key}")
        del kept[victim]
    return kept, dropped


def build_prompt(documents: dict[str, dict], max_prompt_tokens: int | None = None) -> dict[str, Any]:
    """System and user prompt for one customer, and the facts they carry.

    Returns ``{"system", "user", "facts", "dropped_facts", "estimated_tokens"}``. ``facts`` is exactly
    what the user prompt holds (after trimming to ``max_prompt_tokens``), built only from the allow-list
    in :mod:`api_panel.insights.facts`, so no identifier of the customer can reach a model.
    """
    kept, dropped = trim_facts(collect_facts(documents), max_prompt_tokens)
    facts = assemble(kept)
    user = _user_prompt(facts)
    return {"system": SYSTEM_PROMPT, "user": user, "facts": facts, "dropped_facts": dropped,
            "estimated_tokens": estimate_tokens(SYSTEM_PROMPT) + estimate_tokens(user)}
