"""The hand-labelled narration set (``bench/data/narrations``) and its deterministic 70/30 split.

A line is held out when the first 8 bytes of sha256(narration | type), read as a number, fall in the last
30 of 100 buckets: the split never changes, and it does not depend on the file a line sits in.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

NARRATIONS = Path(__file__).resolve().parent / "data" / "narrations"
HELD_OUT_SHARE = 30


def load_labelled(folder: Path = NARRATIONS) -> list[dict]:
    """Every labelled line of every bank file, with ``file`` (its stem) added."""
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append({**json.loads(line), "file": path.stem})
    return rows


def is_held_out(row: dict) -> bool:
    """True for the deterministic 30% the rules are not tuned on."""
    digest = hashlib.sha256(f"{row['narration']}|{row['type']}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 100 >= 100 - HELD_OUT_SHARE
