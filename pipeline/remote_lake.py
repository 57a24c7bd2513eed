"""A lake on an object store (``s3://bucket/prefix``), so workers on several machines share one lake.

The pipeline, the analytics and the API read and write files through
:class:`pipeline.lake.Lake`, which is path-based. Instead of teaching all of
them about object stores, an operation on one customer runs in a *working
copy*: :func:`pipeline.remote_stage.working_copy` stages the customer's partition (every
layer, its consent registry file, its run history and, when a step needs
them, the trained models) into a private local :class:`Lake`, the unchanged
code runs there, and on the way out every file that changed is published
back under the same relative key (:mod:`pipeline.remote_stage`).

* Same layout: object ``<prefix>/<rel>`` holds what file ``<lake>/<rel>`` holds;
  the relative names come from :class:`Lake`'s own path methods, so this
  module never invents a path of its own, with one documented exception:
* Append-only logs shared by concurrent writers (the audit log and each
  customer's run history) are stored one object per entry under
  ``<log>.d/`` (``audit/audit.ndjson.d/<utc-stamp>-<random>-<n>.json``): a PUT
  to a fresh key never loses another writer's entry, where
  read-append-rewrite of one object would. A working copy sees the log as
  the one NDJSON file a local lake has (the entries concatenated in key order,
  after a whole-log object copied up from a local lake, if any).
* Atomic writes: every object is written by one PUT (a multipart upload
  also appears whole on completion), so a reader sees the old bytes or the
  new, never half a file: the object-store form of temp file + ``os.replace``.

The S3 endpoint comes from ``LAKE_S3_ENDPOINT_URL`` (unset: AWS itself);
credentials and region from the standard ``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_DEFAULT_REGION`` (or ``AWS_PROFILE``), read
by botocore in the process that touches the store: a Dask worker on another
machine needs the lake URL and those variables, never a copy of the lake.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from pipeline.lake import CUSTOMER_ID_PATTERN, LAYERS, Lake, utc_now_iso, validate_customer_id
from pipeline.lake_url import LakeURL, RemoteLakeError, parse_lake_url  # noqa: F401 - the store's errors and URLs

LAYOUT = Lake("/")  # only its path methods are used, to name keys exactly as a local lake names files


def storage_options_from_env(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """s3fs options from the environment: the endpoint (``LAKE_S3_ENDPOINT_URL``) and no listing cache.

    Credentials and region are left to botocore's own lookup (``AWS_*``
    variables, profile, instance role), so they never pass through our code,
    a task graph or a log. Listings are never cached: other machines change
    the lake between two calls.
    """
    env = os.environ if env is None else env
    options: dict[str, Any] = {"use_listings_cache": False}
    if env.get("LAKE_S3_ENDPOINT_URL"):
        options["endpoint_url"] = env["LAKE_S3_ENDPOINT_URL"]
    return options


def layout_rel(path: Path) -> str:
    """The relative key of a path built by a :class:`Lake` on the layout root (``raw/CUST_…/x.ndjson``)."""
    return path.relative_to(LAYOUT.root).as_posix()


def entry_prefix(log_rel: str) -> str:
    """Where the entries of an append-only log are kept on the store: ``<log>.d/``."""
    return f"{log_rel}.d/"


class RemoteLake:
    """One object-store lake: key naming, listing, erasure, the audit log and per-customer working copies."""

    def __init__(self, url: str, storage_options: dict[str, Any] | None = None):
        self.location = parse_lake_url(url)
        self.url = self.location.url
        self._options = storage_options_from_env() if storage_options is None else dict(storage_options)
        self._fs = None

    def __repr__(self) -> str:
        return f"RemoteLake({self.url!r})"

    @property
    def fs(self):
        """The fsspec file system (s3fs), created on first use in the process that needs it."""
        if self._fs is None:
            import fsspec

            self._fs = fsspec.filesystem(self.location.scheme, **self._options)
        return self._fs

    # ---- keys -------------------------------------------------------------
    def key(self, rel: str) -> str:
        """The fsspec path of relative key ``rel`` (``bucket/prefix/rel``); ``rel`` must stay inside the lake."""
        parts = rel.rstrip("/").split("/")
        if rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise RemoteLakeError(f"invalid lake key {rel!r}")
        return f"{self.location.base}/{rel}"

    def rel(self, key: str) -> str:
        """The relative key of an fsspec path listed under this lake."""
        base = self.location.base + "/"
        if not key.startswith(base):
            raise RemoteLakeError(f"{key!r} is not under {self.url}")
        return key[len(base):]

    def url_for(self, rel: str) -> str:
        """The URL of a relative key, for messages (``s3://bucket/prefix/raw/CUST_…``)."""
        return f"{self.url}/{rel}"

    def keys(self, rel_dir: str) -> list[str]:
        """Relative keys of every object under a relative directory, sorted (none: empty).

        Zero-byte "folder" markers (keys ending in ``/``) that some tools create are not objects of the lake.
        """
        return sorted(self.rel(k) for k in self.fs.find(self.key(rel_dir)) if not k.endswith("/"))

    def read(self, rel: str) -> bytes | None:
        """The bytes of one object, or None when there is none."""
        try:
            return self.fs.cat_file(self.key(rel))
        except FileNotFoundError:
            return None

    # ---- customers --------------------------------------------------------
    def customers(self) -> list[str]:
        """Ids of every customer with objects in any layer, sorted (what :meth:`Lake.customers` says locally)."""
        found: set[str] = set()
        for layer in LAYERS:
            try:
                names = self.fs.ls(self.key(layer), detail=False)
            except FileNotFoundError:
                continue
            found.update(n.rsplit("/", 1)[-1] for n in names)
        return sorted(n for n in found if CUSTOMER_ID_PATTERN.fullmatch(n))

    def customer_meta(self, customer_id: str) -> dict | None:
        """``raw/<id>/customer.json`` (who the customer is, which profile), or None if absent or unreadable."""
        data = self.read(layout_rel(LAYOUT.customer_meta_path(validate_customer_id(customer_id))))
        try:
            meta = orjson.loads(data) if data is not None else None
        except orjson.JSONDecodeError:
            return None
        return meta if isinstance(meta, dict) else None

    def erase(self, customer_id: str) -> list[str]:
        """Delete a customer's objects from every layer and its loan monitoring; return what held data.

        The same contract as :meth:`Lake.erase`: the consent registry
        (``consents/<id>.json``) is kept as the evidence of what was allowed.
        """
        validate_customer_id(customer_id)
        removed = []
        for layer in LAYERS:
            found = self.fs.find(self.key(layout_rel(LAYOUT.customer_dir(layer, customer_id))))
            if found:
                self.fs.rm(found)
                removed.append(layer)
        book_rel = layout_rel(LAYOUT.loan_book_path(customer_id))
        book = self.read(book_rel)
        if book is not None:
            try:
                loans = orjson.loads(book).get("loans", [])
            except (orjson.JSONDecodeError, AttributeError):
                loans = []
            doomed = [self.key(book_rel)]
            for loan in loans if isinstance(loans, list) else []:
                try:
                    doomed.append(self.key(layout_rel(LAYOUT.risk_history_path(str(loan.get("loan_id"))))))
                except (ValueError, AttributeError):
                    continue
            self.fs.rm([k for k in doomed if self.fs.exists(k)])
            removed.append("monitoring")
        return removed

    # ---- the audit log ----------------------------------------------------
    def audit(self, action: str, customer_id: str | None, **fields: Any) -> dict:
        """Add one audit entry (its own object: concurrent writers never lose each other's entries)."""
        if customer_id is not None:
            validate_customer_id(customer_id)
        entry = {"ts": utc_now_iso(), "customer_id": customer_id, "action": action, **fields}
        line = orjson.dumps(entry)
        self.fs.pipe({self.key(rel): data for rel, data in entry_keys(layout_rel(LAYOUT.audit_path), [line])})
        return entry

    def read_audit(self, customer_id: str | None = None) -> list[dict]:
        """Audit entries, optionally of one customer, in key order (a whole copied-up ``audit.ndjson`` first)."""
        entries = [orjson.loads(line) for line in read_log(self, layout_rel(LAYOUT.audit_path))[1].splitlines()
                   if line.strip()]
        return [e for e in entries if customer_id is None or e.get("customer_id") == customer_id]


# ---- append-only logs, one object per entry -------------------------------------------------
def _terminated(data: bytes) -> bytes:
    return data if not data or data.endswith(b"\n") else data + b"\n"


def fetch_objects(remote: RemoteLake, rels: list[str]) -> dict[str, bytes]:
    """The bytes of several objects, fetched concurrently."""
    if not rels:
        return {}
    try:
        found = remote.fs.cat([remote.key(r) for r in rels], on_error="raise")
    except FileNotFoundError as exc:
        raise RemoteLakeError(f"an object of {remote.url} disappeared while it was being staged ({exc}); "
                              "another process changed the customer: run again") from None
    return {remote.rel(k): v for k, v in found.items()}


def entry_keys(log_rel: str, lines: list[bytes]) -> list[tuple[str, bytes]]:
    """New entry objects for lines appended to an append-only log: ``(relative key, line + newline)``.

    Keys sort by publish time (UTC, microseconds), then by a random token that
    keeps two writers apart, then by position, so reading them in key order
    gives each writer's lines in the order they were written.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    token = uuid.uuid4().hex[:12]
    return [(f"{entry_prefix(log_rel)}{stamp}-{token}-{i:05d}.json", line + b"\n") for i, line in enumerate(lines)]


def read_log(remote: RemoteLake, log_rel: str) -> tuple[list[str], bytes]:
    """An append-only log as one NDJSON text: a whole-log object (copied up from a local lake) first, then entries."""
    parts = remote.keys(entry_prefix(log_rel).rstrip("/"))
    if remote.fs.exists(remote.key(log_rel)):
        parts.insert(0, log_rel)
    contents = fetch_objects(remote, parts)
    return parts, b"".join(_terminated(contents[p]) for p in parts)
