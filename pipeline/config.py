"""One place that loads settings: ``config.json`` plus environment overrides.

The CLI and (later) the API server both call :func:`load_config`, so a lake
root set by ``LAKE_DIR`` means the same thing everywhere.
"""
from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_PATH = PROJECT_ROOT / "config.json"


class ConfigError(Exception):
    """Raised when config.json is missing or unreadable."""


def _load_dotenv() -> None:
    """Read ``.env`` (git-ignored) so keys never have to be exported by hand."""
    try:
        from dotenv import load_dotenv
    except ImportError:  # pragma: no cover - dotenv is a pinned runtime dependency
        return
    load_dotenv(PROJECT_ROOT / ".env", override=False)


def load_config(overrides: dict[str, Any] | None = None, path: Path | None = None) -> dict[str, Any]:
    """Return the settings: config.json, then ``LAKE_DIR`` from the environment, then ``overrides``.

    A relative ``lake_root`` is resolved against the project root so commands
    behave the same from any working directory.
    """
    _load_dotenv()
    source = Path(path) if path else CONFIG_PATH
    try:
        config = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read {source}: {exc}") from exc
    config = copy.deepcopy(config)
    root = PROJECT_ROOT / Path(config["lake_root"]).expanduser()
    if os.environ.get("LAKE_DIR"):
        root = Path(os.environ["LAKE_DIR"]).expanduser().resolve()
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key == "lake_root":
            root = Path(value).expanduser().resolve()
        else:
            config[key] = value
    config["lake_root"] = str(root)
    return config
