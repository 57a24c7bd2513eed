"""Erasing a customer from a lake: the one place files are removed, and shared files forget the customer.

:class:`LakeErasure` is mixed into :class:`pipeline.lake.Lake`, whose path methods it uses (it builds no path
of its own). ``erase`` removes the customer's directory in every data layer, their loan book, acceptances and
each loan's risk history, the AA consent-handle files that name them and their rows of the Parquet warehouse
(:mod:`pipeline.warehouse.parts` rewrites each partition file without them); then the files several customers
share forget this one: lines of the processed-event index and of the unrouted event quarantine that name the
customer or one of their loans are dropped, a batch job's customer list, record and log lose the customer's
id, and a model card from before cards kept counts and hashes only loses the customer's loan ids. What is left of the customer is the audit log and the minimised consent records, which
:func:`pipeline.consents.erase_customer` writes.

The shared rewrites take the lock ingestion and booking take (``monitoring/ingest.lock``), so no appended event
is lost, and are atomic like every write of the lake.
"""
from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from pipeline.erasure import redact
from pipeline.lake_io import LakeError
from pipeline.reuse import forget_all


_WAREHOUSE_TABLES_OF = {"transactions": "transactions", "gst_returns": "gst_returns", "credit_bureau": "bureau"}
_ANALYTICS_TABLES = ("features", "scores", "decisions", "offers")


class LakeErasure:
    """``erase`` and ``erase_sources`` of :class:`pipeline.lake.Lake`."""

    root: Path

    def erase(self, customer_id: str) -> list[str]:
        """Remove a customer's files from every layer and make shared files forget them; return the layers
        (and ``monitoring``) that held the customer's data. What a step kept in memory goes too
        (:func:`pipeline.reuse.forget_all`)."""
        forget_all()
        removed = []
        for layer in self.DATA_LAYERS:
            target = self.customer_dir(layer, customer_id)
            if target.is_dir():
                shutil.rmtree(target)
                removed.append(layer)
        loan_ids = self._loan_ids(customer_id)
        if self._erase_monitoring(customer_id, loan_ids):
            removed.append("monitoring")
        self._forget_consent_handles(customer_id)
        self._forget_in_shared_files(customer_id, loan_ids)
        if self._erase_warehouse_rows(customer_id):
            removed.append("warehouse")
        forget_all()   # again: a step that read the files while they were being removed kept them
        return removed

    def erase_sources(self, customer_id: str, sources: list[str]) -> list[str]:
        """Remove some sources of a customer (raw, clean, quarantine) and every analytics document, which were
        derived from them; return ``layer/source`` for each file removed and ``analytics`` if it was there. What
        a step kept in memory goes too (:func:`pipeline.reuse.forget_all`)."""
        forget_all()
        removed = []
        for source in sources:
            for layer in ("raw", "clean", "quarantine"):
                path = self.layer_path(layer, customer_id, source)
                if path.exists():
                    path.unlink()
                    removed.append(f"{layer}/{source}")
        analytics = self.customer_dir("analytics", customer_id)
        if removed and analytics.is_dir():
            shutil.rmtree(analytics)
            removed.append("analytics")
        if removed:   # the warehouse rows derived from those sources, and the analytics ones
            derived = tuple(_WAREHOUSE_TABLES_OF.get(source, "") for source in sources) + _ANALYTICS_TABLES
            if self._erase_warehouse_rows(customer_id, tuple(t for t in derived if t)):
                removed.append("warehouse")
        forget_all()
        return removed

    # ---- what erase does, step by step ---------------------------------------------------------------------
    def _erase_warehouse_rows(self, customer_id: str, tables: tuple[str, ...] | None = None) -> bool:
        """Rewrite the warehouse partitions that hold the customer's rows without them (True if any was there)."""
        if not self.warehouse_dir.is_dir():
            return False
        from pipeline.warehouse.parts import erase_customer_rows   # pyarrow loads only when a warehouse exists

        removed = erase_customer_rows(self, customer_id, *(() if tables is None else (tables,)))
        return any(removed.values())

    def _loan_ids(self, customer_id: str) -> list[str]:
        """The ids of the loans the customer's book or acceptances name (a book not yet rebuilt misses one)."""
        ids: list[str] = []
        for path, key in ((self.loan_book_path(customer_id), "loans"),
                          (self.acceptances_path(customer_id), "acceptances")):
            try:
                loans = self.read_json(path).get(key, []) if path.exists() else []
                ids += [str(loan["loan_id"]) for loan in loans if isinstance(loan, dict) and loan.get("loan_id")]
            except (LakeError, AttributeError, TypeError):
                continue
        return sorted(set(ids))

    def _erase_monitoring(self, customer_id: str, loan_ids: list[str]) -> bool:
        """Remove the customer's loan book, its acceptances and the risk history of each of their loans."""
        book, acceptances = self.loan_book_path(customer_id), self.acceptances_path(customer_id)
        if not book.exists() and not acceptances.exists():
            return False
        for loan_id in loan_ids:
            try:
                self.risk_history_path(loan_id).unlink(missing_ok=True)
            except ValueError:
                continue
        book.unlink(missing_ok=True)
        acceptances.unlink(missing_ok=True)
        return True

    def _forget_consent_handles(self, customer_id: str) -> None:
        """Remove the AA consent-handle files that lead to this customer (a later notification is refused)."""
        base = self.aa_handles_dir
        for path in base.iterdir() if base.is_dir() else ():
            try:
                if path.is_file() and path.read_bytes().strip() == customer_id.encode():
                    path.unlink(missing_ok=True)
            except OSError:
                continue

    @contextmanager
    def _monitoring_locked(self) -> Iterator[None]:
        self.monitoring_lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.monitoring_lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _forget_in_shared_files(self, customer_id: str, loan_ids: list[str]) -> None:
        names = _Names(customer_id, frozenset(loan_ids))
        with self._monitoring_locked():
            self._drop_lines(self.processed_events_path, names.named_in)
            base = self.unrouted_quarantine_dir
            for path in sorted(base.glob("*.ndjson")) if base.is_dir() else ():
                self._drop_lines(path, names.named_in)
        base = self.batches_dir
        for path in sorted(base.iterdir()) if base.is_dir() else ():
            if path.suffix == ".customers":
                self._drop_lines(path, lambda line: line.strip() == customer_id.encode())
            elif path.suffix == ".json":
                self._redact_json(path, (customer_id,))
        base = self.models_dir   # a card written before cards kept counts and hashes only listed loan ids
        for path in sorted(base.glob("*.json")) if base.is_dir() else ():
            self._redact_json(path, tuple(sorted({customer_id, *loan_ids}, key=len, reverse=True)))

    def _drop_lines(self, path: Path, names: Callable[[bytes], bool]) -> None:
        """Rewrite ``path`` without the lines ``names`` says name the customer (untouched when none does)."""
        try:
            lines = path.read_bytes().splitlines()
        except FileNotFoundError:
            return
        kept = [line for line in lines if line.strip() and not names(line)]
        if len(kept) != len([line for line in lines if line.strip()]):
            self.write_lines(path, kept)

    def _redact_json(self, path: Path, needles: tuple[str, ...]) -> None:
        """Rewrite a JSON record with the needles replaced by ``[erased]`` (untouched when none is in it)."""
        try:
            data = path.read_bytes()
            if not any(n.encode() in data for n in needles):
                return
            document: Any = orjson.loads(data)
        except (OSError, orjson.JSONDecodeError):
            return
        self.write_json(path, redact(document, needles))


class _Names:
    """Whether an NDJSON line names a customer: a string in it contains their id or is one of their loan ids."""

    def __init__(self, customer_id: str, loan_ids: frozenset[str]):
        self.customer_id, self.loan_ids = customer_id, loan_ids

    def named_in(self, line: bytes) -> bool:
        """True when the line (JSON, else plain bytes) names the customer or one of their loans."""
        if self.customer_id.encode() not in line and not any(loan.encode() in line for loan in self.loan_ids):
            return False
        try:
            return any(self._names(text) for text in _strings(orjson.loads(line)))
        except orjson.JSONDecodeError:
            return True   # an unreadable line that holds the id: not worth keeping

    def _names(self, text: str) -> bool:
        return self.customer_id in text or text in self.loan_ids


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
