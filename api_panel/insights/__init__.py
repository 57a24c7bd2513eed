"""AI-written lending narratives: a model when one is configured and answers in time, a template otherwise.

Public API (used by ``routes/insights.py``)::

    generate_insights(documents, settings) -> dict   # provider, model, narrative, attempts, prompt_facts, generated_at
    settings_from_env(env=None) -> InsightSettings   # OPENAI_*/DEEPSEEK_API_KEY, GEMINI_*/GOOGLE_API_KEY, AI_*
    build_prompt(documents, max_prompt_tokens=None) -> dict   # system, user, facts (+ dropped_facts, estimated_tokens)

Only aggregated metrics chosen by an allow-list (``facts.py``) ever reach a model.
"""
from api_panel.insights.chain import generate_insights
from api_panel.insights.narrative import MalformedNarrativeError, parse_narrative
from api_panel.insights.offline import offline_narrative
from api_panel.insights.prompt import build_prompt
from api_panel.insights.settings import InsightSettings, settings_from_env

__all__ = ["InsightSettings", "MalformedNarrativeError", "build_prompt", "generate_insights", "offline_narrative",
           "parse_narrative", "settings_from_env"]
