"""File I/O for the lake: atomic writes, append-only logs, fsync, reads of whole or partial files.

:class:`LakeFiles` works on paths it is given and never builds one; :class:`pipeline.lake.Lake`, the only
module that knows where data lives, inherits from it. Every write is atomic (temp file in the same
directory, then ``os.replace``), so a reader never sees half a file.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson


class LakeError(Exception):
    """A lake file is missing or cannot be read."""


_SYNC_POOL = None


def _sync_pool():
    """Threads that fsync several files at once for :meth:`Lake.sync` (created on first use, shared)."""
    global _SYNC_POOL
    if _SYNC_POOL is None:
        from concurrent.futures import ThreadPoolExecutor
        _SYNC_POOL = ThreadPoolExecutor(8, thread_name_prefix="lake-sync")
    return _SYNC_POOL


class LakeFiles:
    """Atomic reads and writes under ``self.root`` (set by the subclass)."""

    root: Path

    # ---- reading -----------------------------------------------------
    def read_lines(self, path: Path) -> list[bytes]:
        """Lines of an NDJSON file as bytes (blank lines dropped); a missing file is a LakeError."""
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise LakeError(f"missing file {self._rel(path)}") from exc
        except OSError as exc:
            raise LakeError(f"cannot read {self._rel(path)}: {exc.strerror}") from exc
        return [line for line in data.splitlines() if line.strip()]

    def read_ndjson(self, path: Path) -> list[Any]:
        """All records of a trusted NDJSON file (clean or analytics layers)."""
        try:
            return [orjson.loads(line) for line in self.read_lines(path)]
        except orjson.JSONDecodeError as exc:
            raise LakeError(f"corrupt NDJSON in {self._rel(path)}: {exc}") from exc

    def read_json(self, path: Path) -> Any:
        """One JSON document; missing or corrupt is a LakeError."""
        try:
            return orjson.loads(path.read_bytes())
        except FileNotFoundError as exc:
            raise LakeError(f"missing file {self._rel(path)}") from exc
        except orjson.JSONDecodeError as exc:
            raise LakeError(f"corrupt JSON in {self._rel(path)}: {exc}") from exc

    def read_clean(self, customer_id: str, source: str) -> list[dict]:
        """Clean records of a source, or an empty list when the source was never delivered."""
        path = self.clean_path(customer_id, source)
        return self.read_ndjson(path) if path.exists() else []

    def exists(self, path: Path) -> bool:
        """Whether a lake file exists."""
        return path.exists()

    # ---- writing -----------------------------------------------------
    def _atomic_write(self, path: Path, chunks: Iterable[bytes]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise

    def write_bytes(self, path: Path, data: bytes) -> None:
        """Write raw bytes atomically."""
        self._atomic_write(path, [data])

    def write_lines(self, path: Path, lines: Iterable[bytes]) -> None:
        """Write pre-serialised NDJSON lines atomically (each gets a trailing newline), in one write."""
        lines = list(lines)
        self._atomic_write(path, [b"\n".join(lines), b"\n"] if lines else [])

    def write_ndjson(self, path: Path, records: Iterable[Any]) -> None:
        """Write records as NDJSON atomically."""
        self._atomic_write(path, (orjson.dumps(r) + b"\n" for r in records))

    def write_json(self, path: Path, document: Any) -> None:
        """Write one JSON document atomically, pretty-printed with sorted keys for stable diffs."""
        self._atomic_write(path, [orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"])

    def append_line(self, path: Path, record: Any, sync: bool = True) -> None:
        """Append one record to an append-only log (audit, run history).

        One ``write`` of one line under ``O_APPEND``, so concurrent writers never
        interleave; ``sync=False`` skips the fsync for high-volume access logs.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as handle:
            handle.write(orjson.dumps(record) + b"\n")
            if sync:
                handle.flush()
                os.fsync(handle.fileno())

    def append_lines(self, path: Path, lines: list[bytes], sync: bool = True) -> int:
        """Append pre-serialised NDJSON lines in one ``write`` (O_APPEND); return the file's new size."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as handle:
            handle.write(b"".join(line + b"\n" for line in lines))
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
            return handle.tell()

    def sync(self, paths: Iterable[Path]) -> None:
        """Make earlier appends to ``paths`` durable: fsync them all at once (one journal commit, not one each)."""
        paths = list(dict.fromkeys(paths))

        def flush(path: Path) -> None:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

        if len(paths) <= 1:
            for path in paths:
                flush(path)
            return
        list(_sync_pool().map(flush, paths))

    def read_lines_from(self, path: Path, offset: int) -> list[bytes]:
        """The non-blank lines appended to a file after byte ``offset`` (a missing file has none)."""
        try:
            with open(path, "rb") as handle:
                handle.seek(offset)
                return [line for line in handle.read().splitlines() if line.strip()]
        except FileNotFoundError:
            return []

    def read_last_line(self, path: Path, chunk: int = 1 << 16) -> bytes | None:
        """The last non-blank line of a file, reading only as much of its tail as that line needs (None if empty)."""
        try:
            with open(path, "rb") as handle:
                size = handle.seek(0, os.SEEK_END)
                start = size
                while True:
                    start = max(0, start - chunk)
                    handle.seek(start)
                    lines = [line for line in handle.read(size - start).splitlines() if line.strip()]
                    if start == 0 or len(lines) > 1:  # more than one line read: the last one is whole
                        return lines[-1] if lines else None
                    chunk *= 2
        except FileNotFoundError:
            return None

    def _rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def iter_ndjson(self, path: Path) -> Iterator[Any]:
        """Records of a trusted NDJSON file, lazily."""
        for line in self.read_lines(path):
            yield orjson.loads(line)
