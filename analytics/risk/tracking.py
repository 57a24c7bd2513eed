"""MLflow tracking and model registry: one run per trained model, one registered version per run.

The store is the lake's own (``sqlite:///<lake>/mlflow/mlflow.db``, artefacts
under ``<lake>/mlflow/artifacts``; no server) unless ``MLFLOW_TRACKING_URI``
names a tracking server, which then holds runs, artefacts and the registry.
MLflow is imported only here and only when a model is trained, registered or
promoted: scoring reads the lake's copy (:mod:`analytics.risk.registry`).

What a run holds (nothing in it names a customer or a loan: the training table
is described by its SHA-256, row count and default rate, and identifier
columns never reach the model):

* parameters — the recipe (family, calibration, folds, seeds, the chosen
  hyper-parameters) and the data fingerprint (``data.sha256``, ``data.rows``,
  ``data.default_rate``, ``data.source``);
* metrics — ROC AUC, KS, Gini and Brier (held-out means, ``*_std``, and one
  value per fold as steps), the base rate and the calibration gaps;
* artefacts — ``model_card.json``, ``calibration_by_decile.csv``,
  ``folds.json``, ``model/<model>.joblib`` (the fitted pipeline bundle) and
  ``reference/training_reference.parquet`` (features and PDs, for drift).
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analytics.risk.registry import RegistryError
from analytics.risk.training import METRIC_NAMES

if TYPE_CHECKING:
    from mlflow.tracking import MlflowClient

    from analytics.risk.training import TrainedModel

MAX_PARAM = 6000   # MLflow's limit on a parameter value


def server_uri() -> str | None:
    """``MLFLOW_TRACKING_URI`` (a tracking server) when set, else None."""
    return os.environ.get("MLFLOW_TRACKING_URI", "").strip() or None


def tracking_uri(lake) -> str:
    """``MLFLOW_TRACKING_URI`` when set (a tracking server), else the lake's own sqlite store."""
    return server_uri() or lake.mlflow_tracking_uri


def is_lake_store(lake) -> bool:
    """Whether runs and the registry live in the lake (no ``MLFLOW_TRACKING_URI``)."""
    return tracking_uri(lake) == lake.mlflow_tracking_uri


def open_store(lake) -> "MlflowClient":
    """A client on the tracking store and registry (the lake's, created on first use, or the server's)."""
    from mlflow.tracking import MlflowClient

    for name in ("mlflow", "alembic"):   # schema migrations of a new store log at INFO (set after mlflow's own setup)
        logging.getLogger(name).setLevel(logging.WARNING)
    # MLflow 3.17's sqlite store still maps with a loader SQLAlchemy 2.1 deprecates; nothing for us to change
    warnings.filterwarnings("ignore", message=r"The ``noload`` loader strategy is deprecated", module=r"mlflow\.")

    uri = tracking_uri(lake)
    if uri == lake.mlflow_tracking_uri:
        lake.mlflow_dir.mkdir(parents=True, exist_ok=True)
    try:
        return MlflowClient(tracking_uri=uri, registry_uri=uri)
    except Exception as exc:  # noqa: BLE001 - a store that cannot be opened is one message to the user
        raise RegistryError(f"cannot open the MLflow store: {type(exc).__name__}: {str(exc)[:200]}") from None


def experiment_id(client: "MlflowClient", lake, name: str) -> str:
    """The experiment ``name`` (created on first use; in the lake store its artefacts go under the lake)."""
    found = client.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    location = f"{lake.mlflow_artifacts_uri}/{name}" if is_lake_store(lake) else None
    return client.create_experiment(name, artifact_location=location)


def _param(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text[:MAX_PARAM]


def run_params(card: dict, label: str) -> dict[str, str]:
    """The run's parameters from the model card: the recipe and the data fingerprint (no identifiers)."""
    data, params, m = card["training_data"], card["params"], card["metrics"]
    out = {"family": label, "estimator_family": params["family"], "calibration": params["calibration"],
           "cv_folds": params["cv_folds"], "inner_folds": params["inner_folds"], "random_state": params["random_state"],
           "chosen": params["chosen"], "target": card["target"], "positive_label": card["positive_label"],
           "features": len(card["features"]), "card_version": card["version"],
           "data.sha256": data["fingerprint"], "data.rows": data["rows"], "data.positives": data["positives"],
           "data.default_rate": m["base_rate"], "data.source": data["source"],
           "data.columns_left_out": sorted(data.get("columns_left_out") or {}),
           "libraries": params.get("libraries", {})}
    for key in ("file", "template_loans", "template_loans_sha256", "as_of"):
        if data.get(key) is not None:
            out[f"data.{key}"] = data[key]
    return {k: _param(v) for k, v in out.items()}


def run_metrics(trained: "TrainedModel") -> list[tuple[str, float, int]]:
    """``(key, value, step)``: held-out means and spreads, each fold as a step, base rate and calibration gaps."""
    m = trained.card["metrics"]
    out = [(k, float(m[k]["mean"]), 0) for k in METRIC_NAMES] + [(f"{k}_std", float(m[k]["std"]), 0) for k in METRIC_NAMES]
    out += [(f"fold_{k}", float(fold[k]), i) for i, fold in enumerate(trained.per_fold, start=1) for k in METRIC_NAMES]
    rows = trained.card["calibration"]
    gaps = [abs(r["mean_predicted"] - r["observed_rate"]) for r in rows]
    total = sum(r["rows"] for r in rows) or 1
    out += [("base_rate", float(m["base_rate"]), 0), ("mean_predicted", float(m["mean_predicted"]), 0),
            ("calibration_max_gap", float(max(gaps, default=0.0)), 0),
            ("calibration_mean_gap", float(sum(g * r["rows"] for g, r in zip(gaps, rows)) / total), 0)]
    return out


def decile_csv(rows: list[dict]) -> str:
    """The calibration-by-decile table as CSV text."""
    keys = ("decile", "rows", "min_pd", "max_pd", "mean_predicted", "observed_rate", "defaults")
    return "\n".join([",".join(keys)] + [",".join(str(r[k]) for k in keys) for r in rows]) + "\n"


def start_run(client: "MlflowClient", experiment: str, run_name: str, source: str,
              parent_run_id: str | None = None, tags: dict[str, str] | None = None) -> str:
    """Open a run (nested under ``parent_run_id`` when given); returns its id."""
    fixed = {"mlflow.source.name": source, "mlflow.source.type": "LOCAL", **(tags or {})}
    if parent_run_id:
        fixed["mlflow.parentRunId"] = parent_run_id
    return client.create_run(experiment, tags=fixed, run_name=run_name).info.run_id


def log_training(client: "MlflowClient", run_id: str, trained: "TrainedModel", label: str, model: str,
                 bundle: bytes, reference: bytes) -> None:
    """Log one trained model into an open run: parameters, metrics and artefacts, then close it."""
    from mlflow.entities import Metric, Param

    now = _millis()
    client.log_batch(run_id, metrics=[Metric(k, v, now, step) for k, v, step in run_metrics(trained)],
                     params=[Param(k, v) for k, v in run_params(trained.card, label).items()])
    client.log_dict(run_id, trained.card, "model_card.json")
    client.log_text(run_id, decile_csv(trained.card["calibration"]), "calibration_by_decile.csv")
    client.log_dict(run_id, {"folds": trained.per_fold}, "folds.json")
    log_bytes(client, run_id, {f"model/{model}.joblib": bundle, "reference/training_reference.parquet": reference})
    client.set_terminated(run_id, "FINISHED")


def log_bytes(client: "MlflowClient", run_id: str, files: dict[str, bytes]) -> None:
    """Upload in-memory files as artefacts at the given paths (through a private temporary directory)."""
    with tempfile.TemporaryDirectory(prefix="mlflow-artefacts-") as tmp:
        for rel, data in files.items():
            local = Path(tmp) / Path(rel).name
            local.write_bytes(data)
            folder = str(Path(rel).parent)
            client.log_artifact(run_id, str(local), None if folder == "." else folder)


def register(client: "MlflowClient", name: str, run_id: str, model: str, tags: dict[str, str]) -> int:
    """Register the run's bundle as a new version of ``name`` (creating the registered model once)."""
    from mlflow.exceptions import MlflowException

    try:
        client.get_registered_model(name)
    except MlflowException:
        client.create_registered_model(name, description="MSME lending data lake: " + model.replace("_", " "))
    artifact_uri = client.get_run(run_id).info.artifact_uri
    version = client.create_model_version(name, f"{artifact_uri}/model", run_id=run_id, tags=tags)
    return int(version.version)


def aliases(client: "MlflowClient", name: str) -> dict[str, int]:
    """Alias -> version of a registered model ({} when it is not registered yet)."""
    from mlflow.exceptions import MlflowException

    try:
        found = client.get_registered_model(name)
    except MlflowException:
        return {}
    return {alias: int(version) for alias, version in (found.aliases or {}).items()}


def version_info(client: "MlflowClient", name: str, version: int) -> dict[str, Any]:
    """``{"version", "run_id", "family"}`` of a registered version, or :class:`RegistryError` naming the known ones."""
    from mlflow.exceptions import MlflowException

    try:
        found = client.get_model_version(name, str(version))
    except MlflowException:
        known = sorted(int(v.version) for v in client.search_model_versions(f"name = '{name}'"))
        shown = ", ".join(map(str, known)) or "none"
        raise RegistryError(f"no version {version} of {name} in the registry (versions: {shown})") from None
    return {"version": int(found.version), "run_id": found.run_id, "family": (found.tags or {}).get("family")}


def download_bundle(client: "MlflowClient", run_id: str, model: str) -> bytes:
    """A registered version's bundle bytes from its run's artefacts (for a version trained on another machine)."""
    with tempfile.TemporaryDirectory(prefix="mlflow-download-") as tmp:
        path = client.download_artifacts(run_id, f"model/{model}.joblib", tmp)
        return Path(path).read_bytes()


def _millis() -> int:
    import time

    return int(time.time() * 1000)
