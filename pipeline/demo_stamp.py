"""What a prepared demo customer was built from, so ``make run`` rebuilds only when that changed.

``prepare-demo`` takes about a minute and a half for the ten demo customers. Their data depend only on the
code (generators, pipeline, analytics, monitoring, schemas), ``config.json``, the profile and the as-of month,
so a stamp of those is stored with each customer (``logs/<id>/demo_stamp.json``) once the whole demo is
ready, and a later preparation whose stamp matches, and whose AA consent is still in force, reuses the
customer. The code is stamped by the content of its files, not a git commit, so uncommitted edits count.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from pipeline.config import PROJECT_ROOT
from pipeline.lake import Lake, LakeError

STAMPED = ("analytics", "generators", "monitoring", "pipeline", "schemas")
_SUFFIXES = (".py", ".json", ".csv", ".txt")


def code_digest(root: Path = PROJECT_ROOT) -> str:
    """SHA-256 over the path and content of every source and data file the demo is built from."""
    digest = hashlib.sha256()
    for folder in STAMPED:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in _SUFFIXES and "__pycache__" not in path.parts and path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def demo_stamp(code: str, config: dict, profile: str, as_of: date) -> dict:
    """The inputs of one demo customer: code digest, settings (less the lake's location), profile, month."""
    settings = {k: v for k, v in config.items() if k != "lake_root"}
    return {"code": code, "config": hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode())
            .hexdigest(), "profile": profile, "as_of": as_of.strftime("%Y-%m")}


def stamp_matches(lake: Lake, customer_id: str, stamp: dict) -> bool:
    """Whether the customer was prepared from these inputs and its analytics are still there."""
    path = lake.log_path(customer_id, "demo_stamp")
    try:
        stored = lake.read_json(path) if path.exists() else None
    except LakeError:
        return False
    return stored == stamp and lake.analytics_path(customer_id, "overall_summary").exists()


def write_stamp(lake: Lake, customer_id: str, stamp: dict) -> None:
    """Record what the customer was prepared from (only once the whole demo is ready)."""
    lake.write_json(lake.log_path(customer_id, "demo_stamp"), stamp)


def forget_stamp(lake: Lake, customer_id: str) -> None:
    """Drop the stamp before rebuilding, so a half-built customer is never reused."""
    lake.log_path(customer_id, "demo_stamp").unlink(missing_ok=True)
