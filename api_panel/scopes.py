"""Token scopes: which part of the book a token may see — branches and/or named customers.

A scope is written as comma-separated items, each ``branch:<code>`` or
``customer:<id>``: ``branch:BLR01,customer:CUST_MSM_00003`` sees every customer
of branch BLR01 plus CUST_MSM_00003. A token without a scope sees the whole
book (today's behaviour). Branch codes match
:data:`pipeline.branches.BRANCH_CODE_PATTERN`, customer ids the lake's id
pattern; anything else is a :class:`ScopeError` naming the item.

Scopes come from ``python -m api_panel create-token --scope ...`` (stored with
the token's hash) or from config.json ``api.token_scopes`` (``{label: scope}``,
which wins over the stored one, so an operator can move a user without
reissuing the token). Enforcement lives in :mod:`api_panel.access`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.branches import BRANCH_CODE_PATTERN
from pipeline.lake import CUSTOMER_ID_PATTERN

KINDS = ("branch", "customer")


class ScopeError(ValueError):
    """A scope that cannot be parsed; the message names the offending item and the syntax."""


@dataclass(frozen=True)
class Scope:
    """The branches and customers a scoped token may see (either may be empty, not both)."""

    branches: frozenset[str] = frozenset()
    customers: frozenset[str] = frozenset()

    def allows(self, customer_id: str, branch: str | None) -> bool:
        """Whether a customer (with its branch on record, or None) is inside this scope."""
        return customer_id in self.customers or (branch is not None and branch in self.branches)

    def items(self) -> list[str]:
        """The scope as sorted ``kind:value`` items (how tokens.json stores it and /api/whoami shows it)."""
        return [f"branch:{b}" for b in sorted(self.branches)] + [f"customer:{c}" for c in sorted(self.customers)]

    def __str__(self) -> str:
        return ",".join(self.items())


def parse_scope(values: str | Iterable[str]) -> Scope:
    """A :class:`Scope` from ``"branch:BLR01,customer:CUST_MSM_00003"`` or a list of such strings (the
    repeated ``--scope`` option); ScopeError for an empty scope, an unknown kind or a malformed value."""
    texts = [values] if isinstance(values, str) else list(values)
    branches, customers = set(), set()
    for text in texts:
        if not isinstance(text, str):
            raise ScopeError(f"a scope is text like branch:BLR01,customer:CUST_MSM_00003, not {text!r}")
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            kind, sep, value = item.partition(":")
            if not sep or kind not in KINDS:
                raise ScopeError(f"scope item {item!r} must be branch:<code> or customer:<id>")
            if kind == "branch" and not BRANCH_CODE_PATTERN.fullmatch(value):
                raise ScopeError(f"scope item {item!r}: a branch code is 2-12 capital letters or digits starting "
                                 "with a letter, e.g. branch:BLR01")
            if kind == "customer" and not CUSTOMER_ID_PATTERN.fullmatch(value):
                raise ScopeError(f"scope item {item!r}: a customer id looks like CUST_XXX_NNNNN, e.g. "
                                 "customer:CUST_MSM_00003")
            (branches if kind == "branch" else customers).add(value)
    if not branches and not customers:
        raise ScopeError("the scope is empty: give branch:<code> and/or customer:<id> items, comma-separated")
    return Scope(frozenset(branches), frozenset(customers))


def configured_scopes(settings: dict) -> dict[str, Scope]:
    """config.json ``api.token_scopes`` (``{token label: scope}``) parsed; ScopeError names the label."""
    raw = (settings.get("api") or {}).get("token_scopes") or {}
    if not isinstance(raw, dict):
        raise ScopeError("config.json api.token_scopes must map token labels to scopes")
    scopes = {}
    for label, text in raw.items():
        try:
            scopes[label] = parse_scope(text)
        except ScopeError as exc:
            raise ScopeError(f"config.json api.token_scopes[{label!r}]: {exc}") from None
    return scopes
