"""A PERIODIC AA consent's re-fetch, as ``python -m pipeline refresh`` carries it out when Frequency allows.

The customer's data is fetched again from the AA under the same consent (the AA refuses a fetch the consent's
Frequency does not allow, and so does the plan in :mod:`pipeline.refresh` before asking), then cleaned,
analysed and scored. A synthetic customer (a generator profile, the demo) first has the sources the AA does not
deliver regenerated as of the new month, so every source describes the same period.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from pipeline.aa.demo import AA_SOURCES
from pipeline.aa.journey import aa_settings, client_for, fetch_into_lake
from pipeline.lake import Lake

AFTER_FETCH = ["clean", "analyze", "score", "models"]


def refresh_via_aa(lake: Lake, config: dict, customer_id: str, profile: str | None, as_of: date,
                   progress) -> dict[str, Any]:
    """Regenerate what the AA does not deliver (synthetic customers), fetch under the consent, run the steps.

    Returns ``{status, error, steps}`` like :func:`pipeline.runner.run_steps`; an AA refusal is an error
    outcome naming its cause (and is in the audit log), never an exception.
    """
    from pipeline.aa.errors import AAError
    from pipeline.runner import run_steps

    steps = []
    if profile:
        outcome = run_steps(lake, customer_id, ["generate"], config, progress,
                            {"generate": {"profile": profile, "as_of": as_of, "aa_sources": AA_SOURCES}})
        if outcome["status"] != "done":
            return {"status": "error", "error": outcome["error"], "steps": ["generate"]}
        steps.append("generate")
    try:
        result = fetch_into_lake(lake, customer_id, client_for(aa_settings(config)))
    except AAError as exc:
        return {"status": "error", "error": f"AA fetch refused ({exc.code}): {exc}", "steps": [*steps, "aa_fetch"]}
    progress("info", f"fetched {len(result.accounts)} account(s) and {len(result.transactions)} transaction(s) "
                     "from the AA")
    outcome = run_steps(lake, customer_id, AFTER_FETCH, config, progress)
    return {"status": outcome["status"], "error": outcome["error"], "steps": [*steps, "aa_fetch", *AFTER_FETCH]}
