"""Which branch a customer belongs to: the key a scoped API token's ``branch:<code>`` items match.

Banks assign cases by branch, so every customer may carry a branch code. Where it comes from, first match wins:

1. ``config.json`` ``branches.assignments`` (``{"CUST_MSM_00003": "BLR01"}``): the operator's assignment, which
   also covers customers imported from an Account Aggregator and moves a customer without regenerating it;
2. the ``branch`` of the customer's ``raw/<id>/customer.json``, written when the customer is generated: the
   configured assignment, else a code of ``branches.codes`` picked by a stable hash of the customer id (so
   synthetic customers spread over the branches the same way on every machine).

A customer with neither has no branch on record: only unscoped tokens and tokens naming that customer see it.
"""
from __future__ import annotations

import hashlib
import re
from typing import Any

BRANCH_CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{1,11}$", re.ASCII)  # e.g. BLR01: capitals and digits, 2-12


class BranchCodeError(ValueError):
    """A branch code that does not match :data:`BRANCH_CODE_PATTERN`."""


def validate_branch_code(code: Any) -> str:
    """``code`` when it is a branch code (capital letter, then 1-11 capitals or digits), else BranchCodeError."""
    if not isinstance(code, str) or not BRANCH_CODE_PATTERN.fullmatch(code):
        raise BranchCodeError(f"invalid branch code {code!r}: expected 2-12 capital letters or digits starting "
                              "with a letter, e.g. BLR01")
    return code


def branch_settings(config: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """The configured branch codes and customer assignments, each code validated (BranchCodeError names it)."""
    section = config.get("branches") or {}
    codes = [validate_branch_code(c) for c in section.get("codes") or []]
    assignments = {cid: validate_branch_code(code) for cid, code in (section.get("assignments") or {}).items()}
    return codes, assignments


def branch_for_new_customer(customer_id: str, config: dict[str, Any]) -> str | None:
    """The branch a generated customer is written with: its configured assignment, else one of the configured
    codes by a stable hash of its id (SHA-256, never Python's salted ``hash``), else None without codes."""
    codes, assignments = branch_settings(config)
    if customer_id in assignments:
        return assignments[customer_id]
    if not codes:
        return None
    digest = hashlib.sha256(f"branch:{customer_id}".encode("utf-8")).digest()
    return codes[int.from_bytes(digest[:8], "big") % len(codes)]


def customer_branch(customer_id: str, meta: dict[str, Any] | None, config: dict[str, Any]) -> str | None:
    """The branch on record for a customer: the configured assignment, else ``customer.json``'s ``branch``
    (``meta``), else None. A malformed code on record counts as none (the customer stays out of branch scopes)."""
    assigned = ((config.get("branches") or {}).get("assignments") or {}).get(customer_id)
    recorded = assigned if assigned is not None else (meta or {}).get("branch")
    return recorded if isinstance(recorded, str) and BRANCH_CODE_PATTERN.fullmatch(recorded) else None
