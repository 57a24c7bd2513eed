"""The demo's API tokens: one per role, kept across ``make run`` starts and printed again each time.

Tokens are stored hashed (:class:`api_panel.auth.TokenStore`), so printing the same demo tokens again needs
their plain text somewhere. It is kept in the lake's ``security/demo_tokens.json``, mode 0600, beside the
hashed store: the lake is git-ignored and already holds the demo customers' data with the same owner, and
these tokens open only that local demo, whose tokens ``make run`` prints to the terminal anyway. Tokens made
with ``create-token`` are never written in plain text. A demo token that is no longer in the hashed store
(revoked, or the store reset) is replaced; ``demo-tokens --new`` replaces them all.
"""
from __future__ import annotations

import os

from api_panel.auth import ROLES, TokenStore
from pipeline.lake import Lake, LakeError


def _saved(lake: Lake) -> dict[str, str]:
    path = lake.demo_tokens_path
    try:
        saved = lake.read_json(path) if path.exists() else {}
    except LakeError:
        return {}
    return saved if isinstance(saved, dict) else {}


def demo_tokens(lake: Lake, store: TokenStore, renew: bool = False) -> list[tuple[str, str, bool]]:
    """``(role, token, kept)`` per role: the saved demo token while it still works, else a new one."""
    saved = {} if renew else _saved(lake)
    tokens = []
    for role in ROLES:
        token = saved.get(role)
        principal = store.resolve(token) if isinstance(token, str) else None
        kept = principal is not None and principal.role == role and principal.label == f"demo-{role}"
        if not kept:
            token = store.create(role, f"demo-{role}", replace_label=True)
        tokens.append((role, token, kept))
    path = lake.demo_tokens_path
    lake.write_json(path, {role: token for role, token, _ in tokens})
    os.chmod(path, 0o600)
    return tokens
