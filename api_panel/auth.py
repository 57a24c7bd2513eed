"""API tokens with roles: officer < analyst < admin. Tokens are stored hashed, never in plain text.

Tokens come from two places: the ``API_TOKENS`` environment variable
(``role:token,role:token``, for deployments that inject secrets) and the
token store ``<lake>/security/tokens.json`` written by
``python -m api_panel create-token`` (SHA-256 hashes only).

A token may carry a scope (:mod:`api_panel.scopes`): the branches and
customers it may see. It is stored with the hash (``create-token --scope``)
or configured by label (config.json ``api.token_scopes``, which wins); a
token with neither sees the whole book.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import wraps

from flask import current_app, g, request

from api_panel.errors import ForbiddenError, UnauthorizedError
from api_panel.scopes import Scope, ScopeError, parse_scope
from pipeline.lake import Lake, LakeError

ROLES = ("officer", "analyst", "admin")
RANK = {role: i for i, role in enumerate(ROLES)}


@dataclass(frozen=True)
class Principal:
    """Who is calling: a role, a non-secret token label for the audit log, and the scope (None: the whole book)."""

    role: str
    label: str
    scope: Scope | None = None


def hash_token(token: str) -> str:
    """SHA-256 of a token: what the store keeps."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenStore:
    """Hashed tokens from the lake's store plus the environment."""

    def __init__(self, lake: Lake, env_tokens: str | None = None, label_scopes: dict[str, Scope] | None = None):
        self.lake = lake
        self.label_scopes = label_scopes or {}
        self._env = {}
        for item in (env_tokens or "").split(","):
            role, _, token = item.strip().partition(":")
            if role in ROLES and token:
                label = f"env-{role}"
                self._env[hash_token(token)] = Principal(role, label, self.label_scopes.get(label))
        self._cache: tuple[float, dict] | None = None
        self._checked = 0.0

    def _stored(self) -> dict[str, Principal]:
        path = self.lake.token_store_path
        now = time.monotonic()
        if self._cache and now - self._checked < 1.0:  # re-check the file at most once a second
            return self._cache[1]
        self._checked = now
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            self._cache = None
            return {}
        if self._cache and self._cache[0] == mtime:
            return self._cache[1]
        try:
            rows = self.lake.read_json(path)
        except LakeError:
            return {}
        table = {}
        for row in rows:
            principal = self._principal(row)
            if principal is not None:
                table[row["hash"]] = principal
        self._cache = (mtime, table)
        return table

    def _principal(self, row: dict) -> Principal | None:
        """A stored row as a principal; None (the token does not work) when its role or stored scope is bad:
        a hand-edited scope that cannot be read must not widen into the whole book."""
        if row.get("role") not in ROLES:
            return None
        scope = self.label_scopes.get(row.get("label"))
        if scope is None and row.get("scope"):
            try:
                scope = parse_scope(row["scope"])
            except ScopeError:
                return None
        return Principal(row["role"], row["label"], scope)

    def reload(self) -> None:
        """Forget the cached table: the next lookup reads the store again (it is otherwise re-checked at most
        once a second), e.g. right after an operator edited a token's scope."""
        self._cache = None

    def resolve(self, token: str) -> Principal | None:
        """The principal of a presented token, compared in constant time per candidate."""
        return self.resolve_hash(hash_token(token))

    def resolve_hash(self, digest: str) -> Principal | None:
        """The principal of a token known by its hash (an open socket's), or None once revoked or replaced."""
        for table in (self._env, self._stored()):
            for stored, principal in table.items():
                if hmac.compare_digest(stored, digest):
                    return principal
        return None

    def revoke(self, label: str) -> int:
        """Remove the stored tokens labelled ``label``; how many were removed. Requests with them get 401 and
        their open sockets are dropped (:mod:`api_panel.socket_sessions`)."""
        path = self.lake.token_store_path
        rows = self.lake.read_json(path) if path.exists() else []
        kept = [r for r in rows if r.get("label") != label]
        if len(kept) != len(rows):
            self.lake.write_json(path, kept)
            os.chmod(path, 0o600)
            self._cache = None
        return len(rows) - len(kept)

    def create(self, role: str, label: str | None = None, replace_label: bool = False,
               scope: Scope | None = None) -> str:
        """Create a token for ``role`` (limited to ``scope`` when given); store only its hash; return the token
        (shown once)."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
        token = f"msme_{role}_{secrets.token_urlsafe(24)}"
        label = label or f"{role}-{hash_token(token)[:8]}"
        path = self.lake.token_store_path
        rows = self.lake.read_json(path) if path.exists() else []
        if replace_label:
            rows = [r for r in rows if r.get("label") != label]
        row = {"hash": hash_token(token), "role": role, "label": label,
               "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        if scope is not None:
            row["scope"] = scope.items()
        rows.append(row)
        self.lake.write_json(path, rows)
        os.chmod(path, 0o600)
        self._cache = None
        return token


def current_principal() -> Principal:
    """The authenticated caller of this request."""
    return g.principal


def authenticate() -> Principal:
    """Resolve the Bearer token of the request or raise 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UnauthorizedError("missing bearer token: send Authorization: Bearer <token>")
    principal = current_app.extensions["token_store"].resolve(token.strip())
    if principal is None:
        raise UnauthorizedError("invalid or revoked token")
    g.principal = principal
    return principal


def require_role(minimum: str):
    """Decorator: the caller must hold ``minimum`` or a higher role (401 without a token, 403 below it)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            principal = authenticate()
            if RANK[principal.role] < RANK[minimum]:
                raise ForbiddenError(f"this needs the {minimum} role; your token has {principal.role}")
            return view(*args, **kwargs)

        wrapper.required_role = minimum
        return wrapper

    return decorate
