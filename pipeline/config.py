"""One place that loads settings: ``config.json`` plus environment overrides.

The CLI and the API server both call :func:`load_config`, so a lake root set
by ``LAKE_DIR`` means the same thing everywhere. The lake root is a local
directory or, for commands that know how to stage a customer through one,
an object-store URL (``s3://bucket/prefix``, see :mod:`pipeline.remote_lake`);
every other caller gets :class:`ObjectStoreLakeError`, one clear line, instead
of a lake silently created in a directory called ``s3:``.
"""
from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

from pipeline.lake_url import RemoteLakeError, parse_lake_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_PATH = PROJECT_ROOT / "config.json"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
REMOTE_COMMANDS = "generate, clean, analyze, run, import-aa, batch, list and erase"


class ConfigError(Exception):
    """Raised when config.json is missing or unreadable, or the lake root is unusable."""


class ObjectStoreLakeError(ConfigError, ValueError):
    """The lake root is an object-store URL and this caller works on a local lake directory only.

    Also a ``ValueError`` so entry points that report ``ValueError`` as one
    line (``python -m api_panel``) do so without knowing about object stores.
    """


def is_object_store_url(root: Any) -> bool:
    """Whether a lake root names an object store (``scheme://...``) rather than a local directory."""
    return isinstance(root, str) and bool(_URL.match(root))


def load_env() -> None:
    """Read ``.env`` (git-ignored) into the environment, never overriding what is already set.

    :func:`load_config` calls it; a Dask task on an object-store lake calls
    it too, so a worker started on another machine from a checkout with its
    own ``.env`` finds the S3 endpoint and credentials there.
    """
    _load_dotenv()


def _load_dotenv() -> None:
    """Read ``.env`` (git-ignored) so keys never have to be exported by hand."""
    try:
        from dotenv import load_dotenv
    except ImportError:  # pragma: no cover - dotenv is a pinned runtime dependency
        return
    load_dotenv(PROJECT_ROOT / ".env", override=False)


def _resolve_root(value: str, base: Path | None) -> str:
    """A local root as an absolute path (relative to ``base`` when given, else the working directory); a URL checked."""
    if is_object_store_url(value):
        try:
            return parse_lake_url(value).url
        except RemoteLakeError as exc:
            raise ConfigError(str(exc)) from None
    path = Path(value).expanduser()
    return str(base / path if base is not None else path.resolve())


def load_config(overrides: dict[str, Any] | None = None, path: Path | None = None, *,
                object_store: bool = False) -> dict[str, Any]:
    """Return the settings: config.json, then ``LAKE_DIR`` from the environment, then ``overrides``.

    A relative ``lake_root`` is resolved against the project root so commands
    behave the same from any working directory. An object-store root
    (``s3://bucket/prefix``) is kept as a normalised URL when the caller
    passes ``object_store=True`` (it stages customers through
    :class:`pipeline.remote_lake.RemoteLake`); otherwise it is refused with
    :class:`ObjectStoreLakeError`.
    """
    _load_dotenv()
    source = Path(path) if path else CONFIG_PATH
    try:
        config = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read {source}: {exc}") from exc
    config = copy.deepcopy(config)
    root = _resolve_root(str(config["lake_root"]), PROJECT_ROOT)
    if os.environ.get("LAKE_DIR"):
        root = _resolve_root(os.environ["LAKE_DIR"], None)
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key == "lake_root":
            root = _resolve_root(str(value), None)
        else:
            config[key] = value
    if is_object_store_url(root) and not object_store:
        raise ObjectStoreLakeError(
            f"the lake root {root} is an object store, and this command serves or changes a local lake directory "
            f"only: point LAKE_DIR or --lake at a directory (on an object-store lake use `python -m pipeline` "
            f"{REMOTE_COMMANDS})")
    config["lake_root"] = root
    return config
