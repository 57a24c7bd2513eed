"""The local AA's memory across restarts: its signing key and its consents, in a directory of its own.

``make run`` prepares the demo with one local AA and then serves another for the dashboard; both use the same
``--state-dir`` (``.aa/local_aa``), so the consents the demo customers approved, and the AA's key the FIU
verifies, are the same ones. Without a state directory the AA forgets everything when it stops (the tests).
The files are written atomically (temp file, then ``os.replace``).
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import orjson

from pipeline.aa import jws

KEY_FILE = "aa_signing_key.pem"
CONSENTS_FILE = "consents.json"


def _write(path: Path, data: bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def load_into(state: dict[str, Any], state_dir: Path) -> None:
    """Give ``state`` the AA's persisted key (made on first use) and consents."""
    key_path = state_dir / KEY_FILE
    if not key_path.exists():
        private, _public = jws.new_signing_key()
        _write(key_path, private.encode(), 0o600)
    state["private"] = key_path.read_text(encoding="utf-8")
    state["public"] = jws.public_pem(state["private"])
    consents_path = state_dir / CONSENTS_FILE
    if consents_path.exists():
        saved = orjson.loads(consents_path.read_bytes())
        for consent in saved:
            consent["fetched_at"] = [dt.datetime.fromisoformat(t) for t in consent.get("fetched_at", [])]
        state["consents"] = {c["handle"]: c for c in saved}
    state["state_dir"] = state_dir


def save(state: dict[str, Any]) -> None:
    """Write the consents of ``state`` to its state directory (nothing without one)."""
    state_dir = state.get("state_dir")
    if state_dir is None:
        return
    with state["lock"]:
        data = orjson.dumps(list(state["consents"].values()), option=orjson.OPT_INDENT_2)
    _write(Path(state_dir) / CONSENTS_FILE, data)
