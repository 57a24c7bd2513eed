"""What one pipeline step read or computed, kept in memory for the next step of the same run.

The ``analyze``, ``score`` and ``models`` steps all start from the customer's clean layer, and ``analyze`` and
``models`` both categorise every bank line; in one ``run`` process they would each read and categorise it
again. A :class:`Remembered` keeps the last value computed under a key that says exactly what it was computed
from (the clean files' identity; the lines categorised), so a later step with the same inputs takes it instead,
and anything changed is computed afresh.

Bounded: each keeps ONE value (the latest customer's), and :func:`pipeline.runner.run_steps` drops them all
(:func:`forget_all`) when a run ends, so a long-lived process (a batch worker) holds nothing of a customer
between runs. Erasure: :meth:`pipeline.lake.Lake.erase` / ``erase_sources`` call :func:`forget_all` too, so the
memory forgets an erased customer with the disk (and a key names files that no longer exist, so no process
could serve it again). Thread-safe without a lock: an entry is one tuple, replaced in one assignment.

Values are shared, not copied: whoever takes one treats it as read-only (or copies it, as
:func:`analytics.bank.classify.classify_frame` does).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

_MISSING = object()
_ALL: list[Remembered] = []


class Remembered:
    """One value remembered under one key: ``get(key)`` returns it while the key is equal, else None."""

    def __init__(self, name: str):
        self.name = name
        self._entry: tuple[Any, Any] = (_MISSING, None)
        _ALL.append(self)

    def get(self, key: Any) -> Any:
        """The value put under an equal key, or None."""
        found_key, value = self._entry
        return value if found_key is not _MISSING and found_key == key else None

    def put(self, key: Any, value: Any) -> Any:
        """Remember ``value`` under ``key`` (forgetting the previous one); returns ``value``."""
        self._entry = (key, value)
        return value

    def clear(self) -> None:
        """Forget the value."""
        self._entry = (_MISSING, None)

    @property
    def holds(self) -> bool:
        """Whether a value is remembered."""
        return self._entry[0] is not _MISSING


def forget_all() -> None:
    """Drop every remembered value (a customer is being erased: nothing of theirs may stay in memory)."""
    for memo in _ALL:
        memo.clear()


def held() -> list[str]:
    """The names of the memos that hold a value now (what :func:`forget_all` would drop)."""
    return [memo.name for memo in _ALL if memo.holds]


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """What says a file is unchanged: its inode, modification time (ns) and size; None when it is absent.

    Every lake write replaces the file (temp file, then ``os.replace``), so a rewritten file has a new inode and
    modification time even when its size is the same."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def file_identity(path: Path) -> tuple:
    """A file's path and :func:`file_stamp` (None fields when absent), for keys over several files."""
    return (str(path), *(file_stamp(path) or (None, None, None)))
