"""Stage a customer's partition of an object-store lake into a local working :class:`Lake`, and publish it back.

:func:`working_copy` is the entry point (:func:`snapshot` for a read-only view); this
module holds the two halves and the rules between them:

* **Stage**: every object under the customer's directory in each layer
  (``raw``, ``clean``, ``quarantine``, ``analytics``, ``logs``), its consent
  registry file (``consents/<id>.json``), its run history and, when asked,
  ``models/`` are copied to the same relative paths under a temporary root.
  The digest of every staged file is kept.
* **Publish**: each file whose bytes differ from what was staged (or that is
  new) is written back by one PUT to the same relative key; a staged file the
  run removed is deleted; a file the run did not change is not written at all,
  so a run never puts back a stale copy over what another writer stored
  meanwhile. Data objects go first, then deletions, then the new run-history
  and audit entries, so a run is never recorded as done before its outputs
  are readable.
* **Append-only logs** (the run history ``logs/<id>/runs.ndjson`` and the audit
  log ``audit/audit.ndjson``): staged as one NDJSON file (the audit log is not
  staged: it is shared by every customer and only ever appended to); the
  lines a run appended are published as new objects ``<log>.d/<utc-stamp>-
  <random>-<n>.json``, one per line, so concurrent writers never lose each
  other's entries. A working copy that rewrote such a log (anything but
  appending) is refused before anything is published.
* **Scope**: a run may write only inside what was staged. A file anywhere else
  (say, the monitoring index) is not published and the working copy ends
  with :class:`RemoteLakeError` naming it, after the rest is published.
"""
from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.lake import LAYERS, Lake, validate_customer_id
from pipeline.remote_lake import (
    LAYOUT,
    RemoteLake,
    RemoteLakeError,
    entry_keys,
    entry_prefix,
    fetch_objects,
    layout_rel,
    read_log,
)


@dataclass
class LogState:
    """An append-only log as staged: the relative keys it was assembled from and the bytes it started with."""

    parts: list[str]
    data: bytes


@dataclass
class Staged:
    """A working copy: the local lake, what may be published from it, and what it held when staged."""

    lake: Lake
    scope_dirs: tuple[str, ...] = ()
    scope_files: frozenset[str] = frozenset()
    digests: dict[str, str] = field(default_factory=dict)
    logs: dict[str, LogState] = field(default_factory=dict)

    def in_scope(self, rel: str) -> bool:
        """Whether a relative key lies inside what this working copy staged (and so may publish)."""
        return rel in self.scope_files or rel.startswith(self.scope_dirs)


@dataclass(frozen=True)
class PublishResult:
    """What a publish did: keys written and deleted, files left untouched, log entries added."""

    written: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: int
    entries: int


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def stage(remote: RemoteLake, root: Path, customer_id: str | None, *, models: bool = False,
          only: list[str] | None = None) -> Staged:
    """Copy a customer's partition (or, with ``only``, just those relative keys) into a local lake at ``root``.

    The customer id has been validated by the caller; every key is named by
    :class:`Lake`'s path methods on the layout root, as a local lake names files.
    """
    dirs: list[str] = []
    files: list[str] = []
    run_logs: list[str] = []
    if customer_id is not None:
        if only is None:
            dirs += [layout_rel(LAYOUT.customer_dir(layer, customer_id)) for layer in LAYERS]
            files.append(layout_rel(LAYOUT.consent_registry_path(customer_id)))
        run_logs.append(layout_rel(LAYOUT.run_log_path(customer_id)))
    files += only or []
    if models:
        dirs.append(layout_rel(LAYOUT.models_dir))

    listed = [rel for d in dirs for rel in remote.keys(d)]
    listed += [rel for rel in files if remote.fs.exists(remote.key(rel))]
    plain = [rel for rel in listed
             if not any(rel == log or rel.startswith(entry_prefix(log)) for log in run_logs)]
    staged = Staged(Lake(root), tuple(d + "/" for d in dirs), frozenset(files))
    for rel, data in fetch_objects(remote, plain).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        staged.digests[rel] = _digest(data)
    for log in run_logs:
        parts, data = read_log(remote, log)
        if parts:
            target = root / log
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        staged.logs[log] = LogState(parts, data)
    staged.logs[layout_rel(LAYOUT.audit_path)] = LogState([], b"")  # shared by all: appended to, never staged
    return staged


def _appended(rel: str, state: LogState, data: bytes) -> list[tuple[str, bytes]]:
    if not data.startswith(state.data):
        raise RemoteLakeError(f"{rel} is append-only, but the working copy rewrote it: nothing was published")
    return entry_keys(rel, [line for line in data[len(state.data):].splitlines() if line.strip()])


def publish(remote: RemoteLake, staged: Staged) -> PublishResult:
    """Write back what the working copy changed: changed and new files, deletions, then appended log entries."""
    root = staged.lake.root
    puts: dict[str, bytes] = {}
    entries: dict[str, bytes] = {}
    strays: list[str] = []
    present: set[str] = set()
    unchanged = 0
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.startswith("."):  # a hidden name is an atomic write's unfinished temp file
            continue
        rel = path.relative_to(root).as_posix()
        present.add(rel)
        data = path.read_bytes()
        if rel in staged.logs:
            entries.update(_appended(rel, staged.logs[rel], data))
        elif not staged.in_scope(rel):
            strays.append(rel)
        elif staged.digests.get(rel) == _digest(data):
            unchanged += 1
        else:
            puts[rel] = data
    deleted = [rel for rel in staged.digests if rel not in present]
    deleted += [part for log, state in staged.logs.items() if log not in present for part in state.parts]
    if puts:
        remote.fs.pipe({remote.key(rel): data for rel, data in puts.items()})
    if deleted:
        remote.fs.rm([remote.key(rel) for rel in deleted])
    if entries:
        remote.fs.pipe({remote.key(rel): data for rel, data in entries.items()})
    if strays:
        raise RemoteLakeError(f"the run wrote outside the customer's partition, not published: {', '.join(strays[:5])}"
                              + (f" and {len(strays) - 5} more" if len(strays) > 5 else ""))
    return PublishResult(tuple(sorted(puts)), tuple(sorted(deleted)), unchanged, len(entries))


# ---- working copies ------------------------------------------------------------------------------
@contextmanager
def working_copy(remote: RemoteLake, customer_id: str | None, *, models: bool = False,
                 on_published: Callable[[Any], None] | None = None) -> Iterator[Lake]:
    """A private local :class:`Lake` holding one customer's partition; what changed is published on exit.

    ``customer_id=None`` stages no customer (for shared pieces only, such
    as training the risk model once before a batch). ``models=True`` also
    stages ``models/`` (the ``score`` step reads the risk model there, and
    trains and saves it on a lake that has none). If the body raises, what
    it wrote before failing is still published, as a local lake would keep
    it, and the exception goes on. ``on_published`` hears the
    :class:`PublishResult`.
    """
    if customer_id is not None:
        validate_customer_id(customer_id)  # before any key is built or any request is made
    root = Path(tempfile.mkdtemp(prefix=f"lake-{customer_id or 'shared'}-"))
    try:
        staged = stage(remote, root, customer_id, models=models)
        try:
            yield staged.lake
        except Exception:
            publish(remote, staged)
            raise
        result = publish(remote, staged)
        if on_published is not None:
            on_published(result)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def snapshot(remote: RemoteLake, customer_id: str) -> Iterator[Lake]:
    """A read-only local :class:`Lake` with only who the customer is, its consent and its run history."""
    validate_customer_id(customer_id)
    root = Path(tempfile.mkdtemp(prefix=f"lake-{customer_id}-view-"))
    try:
        files = [layout_rel(LAYOUT.customer_meta_path(customer_id)), layout_rel(LAYOUT.consent_path(customer_id))]
        yield stage(remote, root, customer_id, models=False, only=files).lake
    finally:
        shutil.rmtree(root, ignore_errors=True)
