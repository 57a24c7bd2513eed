"""A lake on an object store (``s3://bucket/prefix``), so workers on several machines share one lake.

The pipeline, the analytics and the API read and write files through
:class:`pipeline.lake.Lake`, which is path-based. Instead of teaching all of
them about object stores, an operation on one customer runs in a *working
copy*: :meth:`RemoteLake.working_copy` stages the customer's partition (every
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
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from pipeline.lake import CUSTOMER_ID_PATTERN, LAYERS, Lake, LakeError, utc_now_iso, validate_customer_id

SCHEMES = ("s3",)
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://([^/]*)(?:/(.*))?$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_SEGMENT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._=-]{0,254}$")  # no leading dot: no '.', '..' or hidden names
LAYOUT = Lake("/")  # only its path methods are used, to name keys exactly as a local lake names files


class RemoteLakeError(LakeError):
    """The object-store lake cannot be used as asked; the message says why."""


@dataclass(frozen=True)
class LakeURL:
    """An object-store lake root: scheme, bucket and key prefix (may be empty)."""

    scheme: str
    bucket: str
    prefix: str

    @property
    def url(self) -> str:
        """The normalised URL, ``s3://bucket/prefix`` without a trailing slash."""
        return f"{self.scheme}://{self.bucket}" + (f"/{self.prefix}" if self.prefix else "")

    @property
    def base(self) -> str:
        """``bucket/prefix``: what fsspec calls the path of the lake root."""
        return f"{self.bucket}/{self.prefix}" if self.prefix else self.bucket


def parse_lake_url(text: str) -> LakeURL:
    """Check and normalise a lake URL; raise :class:`RemoteLakeError` for any scheme but ``s3`` or a bad name.

    The prefix is checked segment by segment (no ``..``, no empty segment) so
    a URL can never reach outside the prefix the operator named.
    """
    match = _URL.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise RemoteLakeError(f"invalid lake URL {text!r}: expected s3://bucket/prefix")
    scheme, bucket, rest = match.group(1).lower(), match.group(2), match.group(3) or ""
    if scheme not in SCHEMES:
        raise RemoteLakeError(f"unsupported lake URL {text!r}: an object-store lake must be s3://bucket/prefix")
    if not _BUCKET.fullmatch(bucket):
        raise RemoteLakeError(f"invalid bucket name {bucket!r} in lake URL {text!r}")
    segments = rest.rstrip("/").split("/") if rest.rstrip("/") else []
    bad = [s for s in segments if not _SEGMENT.fullmatch(s)]
    if bad:
        raise RemoteLakeError(f"invalid prefix segment {bad[0]!r} in lake URL {text!r}")
    return LakeURL(scheme, bucket, "/".join(segments))


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

    def customer_summaries(self) -> list[dict[str, Any]]:
        """What ``python -m pipeline list`` shows for each customer, read through small read-only working copies."""
        from pipeline.customers import customer_summary

        rows = []
        for customer_id in self.customers():
            with self.snapshot(customer_id) as lake:
                rows.append(customer_summary(lake, customer_id))
        return rows

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
        from pipeline.remote_stage import entry_keys

        if customer_id is not None:
            validate_customer_id(customer_id)
        entry = {"ts": utc_now_iso(), "customer_id": customer_id, "action": action, **fields}
        line = orjson.dumps(entry)
        self.fs.pipe({self.key(rel): data for rel, data in entry_keys(layout_rel(LAYOUT.audit_path), [line])})
        return entry

    def read_audit(self, customer_id: str | None = None) -> list[dict]:
        """Audit entries, optionally of one customer, in key order (a whole copied-up ``audit.ndjson`` first)."""
        from pipeline.remote_stage import read_log

        entries = [orjson.loads(line) for line in read_log(self, layout_rel(LAYOUT.audit_path))[1].splitlines()
                   if line.strip()]
        return [e for e in entries if customer_id is None or e.get("customer_id") == customer_id]

    # ---- working copies ---------------------------------------------------
    @contextmanager
    def working_copy(self, customer_id: str | None, *, models: bool = False,
                     on_published: Callable[[Any], None] | None = None) -> Iterator[Lake]:
        """A private local :class:`Lake` holding one customer's partition; what changed is published on exit.

        ``customer_id=None`` stages no customer (for shared pieces only, such
        as training the risk model once before a batch). ``models=True`` also
        stages ``models/`` (the ``score`` step reads the risk model there, and
        trains and saves it on a lake that has none). If the body raises, what
        it wrote before failing is still published, as a local lake would keep
        it, and the exception goes on. ``on_published`` hears the
        :class:`pipeline.remote_stage.PublishResult`.
        """
        from pipeline.remote_stage import publish, stage

        if customer_id is not None:
            validate_customer_id(customer_id)  # before any key is built or any request is made
        root = Path(tempfile.mkdtemp(prefix=f"lake-{customer_id or 'shared'}-"))
        try:
            staged = stage(self, root, customer_id, models=models)
            try:
                yield staged.lake
            except Exception:
                publish(self, staged)
                raise
            result = publish(self, staged)
            if on_published is not None:
                on_published(result)
        finally:
            shutil.rmtree(root, ignore_errors=True)

    @contextmanager
    def snapshot(self, customer_id: str) -> Iterator[Lake]:
        """A read-only local :class:`Lake` with only who the customer is, its consent and its run history."""
        from pipeline.remote_stage import stage

        validate_customer_id(customer_id)
        root = Path(tempfile.mkdtemp(prefix=f"lake-{customer_id}-view-"))
        try:
            files = [layout_rel(LAYOUT.customer_meta_path(customer_id)), layout_rel(LAYOUT.consent_path(customer_id))]
            yield stage(self, root, customer_id, models=False, only=files).lake
        finally:
            shutil.rmtree(root, ignore_errors=True)
