"""What ``python -m pipeline aa-consent`` and ``aa-fetch`` do, behind the CLI's argument parsing.

Each returns the lines to print and raises :class:`~pipeline.errors.CommandError` with the refusal's cause, so
the CLI stays one parser and one dispatcher (``pipeline/cli.py``).
"""
from __future__ import annotations

import orjson

from pipeline.aa.errors import AAError
from pipeline.aa.journey import aa_settings, client_for, fetch_into_lake, handle_for, request_consent
from pipeline.errors import CommandError
from pipeline.lake import Lake


def aa_consent(lake: Lake, config: dict, customer_id: str, purpose: str, fi_types: str,
               handle: str | None = None) -> list[str]:
    """Ask the customer's AA for consent; the lines saying the handle and where the customer approves."""
    types = [t.strip() for t in fi_types.split(",") if t.strip()]
    try:
        consent_handle, url = request_consent(lake, customer_id, client_for(aa_settings(config)),
                                              handle or handle_for(customer_id), purpose, types)
    except AAError as exc:
        raise CommandError(f"consent request refused ({exc.code}): {exc}") from None
    return [f"consent handle {consent_handle}", f"the customer approves at {url}"]


def aa_fetch(lake: Lake, config: dict, customer_id: str, progress) -> list[str]:
    """Fetch under the customer's ACTIVE consent into raw, then clean; the line saying what arrived."""
    from pipeline.runner import run_steps   # noqa: PLC0415 - the runner pulls in every stage

    try:
        result = fetch_into_lake(lake, customer_id, client_for(aa_settings(config)))
    except AAError as exc:
        raise CommandError(f"fetch refused ({exc.code}): {exc}; nothing was written") from None
    outcome = run_steps(lake, customer_id, ["clean"], config, progress)
    if outcome["status"] != "done":
        raise CommandError(f"the fetched data was written to raw but clean failed: {outcome.get('error')}")
    gst = f" and {len(result.gst_returns)} GST return(s)" if result.gst_returns else ""
    return [f"fetched {len(result.accounts)} account(s), {len(result.transactions)} transaction(s){gst} for "
            f"{customer_id} under its AA consent", *(f"warning: {w}" for w in result.warnings)]


def print_lines(lines: list[str], as_json: bool = False) -> None:
    """A command's result lines: plain, or as the JSON progress lines the API's job runner reads (``warning: …``
    at the warning level, the rest as success)."""
    for line in lines:
        if as_json:
            level = "warning" if line.startswith("warning: ") else "success"
            print(orjson.dumps({"level": level, "message": line}).decode(), flush=True)
        else:
            print(line, flush=True)
