"""Publishing trained models (tracked, registered, saved) and promoting a version to champion.

:func:`publish_models` is what every training ends with: each trained model
becomes an MLflow run (nested under one parent run when several families are
compared) and a registered version, its bundle and training reference are
saved in the lake, the aliases are set, and the lake's copy of the registry is
brought in step (:func:`sync_lake`). :func:`promote_model` moves the
``champion`` alias, syncs the lake and writes the audit entry.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from analytics.risk import tracking
from analytics.risk.pickles import dump_bundle
from analytics.risk.registry import (CHALLENGER_PREFIX, CHAMPION, RegistryError, read_pointer, reference_bytes,
                                     registered_name, write_pointer)

if TYPE_CHECKING:
    from analytics.risk.training import TrainedModel

Progress = Callable[[str, str], None]
CHAMPION_POLICIES = ("first", "always")


def best_label(results: dict[str, "TrainedModel"]) -> str:
    """The family with the highest held-out mean ROC AUC (ties: the lower Brier, then the name)."""
    return min(results, key=lambda k: (-results[k].card["metrics"]["roc_auc"]["mean"],
                                       results[k].card["metrics"]["brier"]["mean"], k))


def publish_models(lake, config: dict, model: str, results: dict[str, "TrainedModel"], *, source: str,
                   champion: str = "first", actor: str = "cli", prepare: Callable[[dict], None] | None = None,
                   progress: Progress | None = None, comparison: list[dict] | None = None) -> dict[str, Any]:
    """Track, register and save every trained model; returns ``{"versions": {label: version}, "pointer": ...}``.

    ``champion="first"`` makes the best of ``results`` champion only when the
    registry has none yet (training never silently replaces a champion; use
    ``promote-model``); ``"always"`` makes it champion (the behavioural model,
    which has no challengers). The versions that do not become champion get the
    alias ``challenger-<family>``. ``prepare(bundle)`` adds what the saved
    bundle carries besides the model (the bands).
    """
    if champion not in CHAMPION_POLICIES:
        raise ValueError(f"champion policy must be one of {CHAMPION_POLICIES}")
    say = progress or (lambda level, message: None)
    name = registered_name(config, model)
    settings = config.get("model_registry", {})
    client = tracking.open_store(lake)
    experiment = tracking.experiment_id(client, lake, name)
    parent = None
    if len(results) > 1:
        parent = tracking.start_run(client, experiment, "compare " + ",".join(results), source, tags={"model": model})
        client.log_dict(parent, {"comparison": comparison or []}, "comparison.json")
    versions = {}
    for label, trained in results.items():
        if prepare:
            prepare(trained.bundle)
        reference = reference_bytes(trained.X, trained.training_pd(), trained.oof,
                                    int(settings.get("reference_rows", 20000)),
                                    int(config.get("risk_model", {}).get("random_state", 0)))
        run_id = tracking.start_run(client, experiment, f"{model} {label}", source, parent,
                                    tags={"model": model, "family": label})
        tracking.log_training(client, run_id, trained, label, model, dump_bundle(trained.bundle), reference)
        version = tracking.register(client, name, run_id, model, {"family": label,
                                                                  "card_version": trained.card["version"]})
        identity = {"name": name, "version": version, "run_id": run_id, "family": label}
        trained.card["registry"] = identity
        trained.bundle["registry"] = identity
        lake.write_bytes(lake.model_version_path(model, version), dump_bundle(trained.bundle))
        lake.write_bytes(lake.model_reference_path(model, version), reference)
        lake.audit("model_registered", None, model=name, version=version, run_id=run_id, family=label, actor=actor)
        versions[label] = version
        say("info", f"{name} version {version} registered ({label}, run {run_id})")
    if parent:
        client.set_terminated(parent, "FINISHED")
    current = tracking.aliases(client, name).get(CHAMPION)
    best = best_label(results)
    if champion == "always" or current is None:
        client.set_registered_model_alias(name, CHAMPION, str(versions[best]))
        say("success", f"{name} version {versions[best]} ({best}) is the champion")
    for label, version in versions.items():
        if champion == "always" or current is None and label == best:
            continue
        client.set_registered_model_alias(name, CHALLENGER_PREFIX + label, str(version))
    pointer = sync_lake(lake, config, model, client)
    if champion == "first" and current is not None:
        say("info", f"the champion is still version {current}: promote another with "
                    "`python -m pipeline promote-model --version V --actor NAME`")
    return {"versions": versions, "pointer": pointer}


def sync_lake(lake, config: dict, model: str, client=None) -> dict:
    """Bring the lake's copy (pointer, champion bundle and card) in step with the registry; returns the pointer."""
    client = client or tracking.open_store(lake)
    name = registered_name(config, model)
    found = tracking.aliases(client, name)
    if CHAMPION not in found:
        raise RegistryError(f"{name} has no champion in the registry")
    champion = tracking.version_info(client, name, found[CHAMPION])
    challengers = [{**tracking.version_info(client, name, v), "alias": alias}
                   for alias, v in sorted(found.items()) if alias.startswith(CHALLENGER_PREFIX) and v != found[CHAMPION]]
    for entry in (champion, *challengers):
        _ensure_local(lake, client, name, model, entry)
    pointer = {"name": name, "store": "lake" if tracking.is_lake_store(lake) else "server",
               "champion": champion, "challengers": challengers}
    from analytics.risk.registry import load_version

    bundle = load_version(lake, model, champion["version"])
    copy_path = lake.model_path(model)
    if not copy_path.exists() or copy_path.read_bytes() != lake.model_version_path(model,
                                                                                  champion["version"]).read_bytes():
        lake.write_bytes(copy_path, lake.model_version_path(model, champion["version"]).read_bytes())
        lake.write_json(lake.model_path(model, "json"), bundle["card"])
    if bundle.get("reference"):  # the champion's drift baseline (monitoring/drift.py), promoted with it
        profile = lake.model_drift_profile_path(model)
        if not profile.exists() or lake.read_json(profile) != bundle["reference"]:
            lake.write_json(profile, bundle["reference"])
    if read_pointer(lake, model) != pointer:
        write_pointer(lake, model, pointer)
    return pointer


def _ensure_local(lake, client, name: str, model: str, entry: dict) -> None:
    """A version trained elsewhere (a shared server) is fetched from its run's artefacts into the lake."""
    path = lake.model_version_path(model, entry["version"])
    if path.exists():
        return
    from analytics.risk.pickles import load_bundle

    raw = tracking.download_bundle(client, entry["run_id"], model)
    lake.write_bytes(path, raw)
    bundle = load_bundle(path)
    bundle["registry"] = {"name": name, **entry}
    bundle["card"]["registry"] = bundle["registry"]
    lake.write_bytes(path, dump_bundle(bundle))


def promote_model(lake, config: dict, version: int, actor: str, reason: str | None = None,
                  model: str = "risk_model") -> dict[str, Any]:
    """Move the ``champion`` alias to ``version``, sync the lake, audit who/when/from/to; returns the audit entry."""
    client = tracking.open_store(lake)
    name = registered_name(config, model)
    target = tracking.version_info(client, name, version)   # RegistryError for a version that does not exist
    before = tracking.aliases(client, name).get(CHAMPION)
    client.set_registered_model_alias(name, CHAMPION, str(target["version"]))
    sync_lake(lake, config, model, client)
    return lake.audit("model_promoted", None, model=name, from_version=before, to_version=target["version"],
                      run_id=target["run_id"], family=target["family"], actor=actor, reason=reason)
