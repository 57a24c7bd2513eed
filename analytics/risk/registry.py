"""The lake's copy of the model registry: what scoring and drift read without importing MLflow.

The MLflow model registry (:mod:`analytics.risk.tracking`) is the source of
truth for which version of a registered model is the ``champion`` and which
are challengers (aliases ``challenger-<family>``). Training and
``promote-model`` keep three things in the lake in step with it, all through
:mod:`pipeline.lake`:

* ``models/versions/<model>/v<N>.joblib`` — every registered version's bundle,
  carrying its identity under ``bundle["registry"]`` (name, version, run id,
  family);
* ``models/<model>.joblib`` / ``.json`` — a copy of the champion's bundle and
  card, which scoring loads once per process (``load_risk_model``);
* ``models/<model>.registry.json`` — the pointer: the registered name, the
  champion and the challengers (version, family, run id).

So scoring costs one small JSON read and the bundles it already caches, and a
lake on an object store still stages everything scoring needs with ``models/``.
"""
from __future__ import annotations

import io
import threading
from typing import Any

import pandas as pd

from analytics.risk.pickles import load_bundle

DEFAULT_NAMES = {"risk_model": "msme-default-risk", "behaviour_model": "msme-behaviour"}
CHAMPION = "champion"
CHALLENGER_PREFIX = "challenger-"
PD_COLUMN, OOF_COLUMN = "pd", "oof_pd"
_CACHE: dict[str, tuple[tuple[int, int, int], Any]] = {}   # path -> (file stamp, parsed content)
_CACHE_LOCK = threading.Lock()


class RegistryError(ValueError):
    """A version, alias or store the command names does not exist or cannot be reached; the message says which."""


def registered_name(config: dict, model: str) -> str:
    """The registered model name of a lake model (``config.json`` ``model_registry.names``)."""
    names = {**DEFAULT_NAMES, **config.get("model_registry", {}).get("names", {})}
    return names[model]


def read_pointer(lake, model: str = "risk_model") -> dict | None:
    """The champion pointer of ``model``, or None when no version of it has been registered from this lake."""
    path = lake.model_registry_path(model)
    return _cached(path, lake.read_json)


def write_pointer(lake, model: str, pointer: dict) -> None:
    """Replace the champion pointer (atomically, through the lake)."""
    lake.write_json(lake.model_registry_path(model), pointer)


def champion_entry(lake, model: str = "risk_model") -> dict | None:
    """``{"name", "version", "alias", "run_id", "family"}`` of the champion, or None without a registry."""
    pointer = read_pointer(lake, model)
    if not pointer or not pointer.get("champion"):
        return None
    return {"name": pointer["name"], "alias": CHAMPION, **pointer["champion"]}


def load_version(lake, model: str, version: int) -> dict:
    """A registered version's bundle from the lake, loaded once per process (again only if the file changes)."""
    path = lake.model_version_path(model, version)
    if not path.exists():
        raise RegistryError(f"version {version} of {model} has no bundle in {lake.models_dir}: promote it again "
                            "with `python -m pipeline promote-model` to fetch it from the registry")
    return _cached(path, load_bundle)


def challenger_bundles(lake, model: str = "risk_model") -> list[tuple[dict, dict]]:
    """``(entry, bundle)`` for every challenger in the pointer whose bundle is in the lake (champion excluded)."""
    pointer = read_pointer(lake, model) or {}
    champion = (pointer.get("champion") or {}).get("version")
    out = []
    for entry in pointer.get("challengers", []):
        if entry["version"] != champion and lake.model_version_path(model, entry["version"]).exists():
            out.append(({"name": pointer["name"], **entry}, load_version(lake, model, entry["version"])))
    return out


def champion_reference(lake, model: str = "risk_model") -> tuple[pd.DataFrame, pd.Series]:
    """The champion's training data for drift: ``(features, pd)``.

    ``features`` holds the model's input columns for the training rows (at
    most ``model_registry.reference_rows`` of them, a seeded sample), exactly
    as the model saw them (numbers as float, NaN for missing; categories as
    text); ``pd`` is the champion's PD for those rows (``pd.name == "pd"``).
    Raises :class:`RegistryError` when no champion is registered or its
    reference was not saved.
    """
    entry = champion_entry(lake, model)
    if entry is None:
        raise RegistryError(f"no champion {model} is registered in {lake.root}: train one with "
                            "`python -m pipeline train-risk`")
    path = lake.model_reference_path(model, entry["version"])
    if not path.exists():
        raise RegistryError(f"the champion {model} (version {entry['version']}) has no training reference at {path}")
    frame = _cached(path, lambda p: pd.read_parquet(p))
    return frame.drop(columns=[PD_COLUMN, OOF_COLUMN]), frame[PD_COLUMN]


def reference_bytes(features: pd.DataFrame, pd_values, oof_values, max_rows: int, seed: int) -> bytes:
    """The Parquet bytes of a training reference: the features plus the fitted and held-out PDs, sampled."""
    frame = features.reset_index(drop=True).copy()
    frame[PD_COLUMN] = pd_values
    frame[OOF_COLUMN] = oof_values
    if len(frame) > max_rows:
        frame = frame.sample(n=max_rows, random_state=seed).sort_index()
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _cached(path, read):
    from pipeline.reuse import file_stamp

    stamp = file_stamp(path)
    if stamp is None:
        return None
    hit = _CACHE.get(str(path))
    if hit is not None and hit[0] == stamp:
        return hit[1]
    value = read(path)
    with _CACHE_LOCK:
        if len(_CACHE) >= 64:   # a process serves one lake; tests walk through many
            _CACHE.clear()
        _CACHE[str(path)] = (stamp, value)
    return value
