"""Tracked, registered and promoted risk models (issue 16, points 1 and 2), on a real lake-local MLflow store.

One lake (the demo customers analysed) trains five families on a 40-customer synthetic portfolio with
``python -m pipeline train-risk --families lr,scorecard,hgb,rf,blend``; the tests read the MLflow runs and the
registry back with MLflow's own client, score a customer through the ``score`` step, promote another version
with ``python -m pipeline promote-model`` and score the same customer again.
"""
import contextlib
import io
import shutil
import subprocess
import sys

import pytest

from analytics.risk.features import FEATURE_NAMES
from analytics.risk.model import score_customer_risk
from analytics.risk.registry import champion_reference, load_version, read_pointer
from pipeline.cli import main
from pipeline.lake import Lake
from pipeline.runner import run_steps
from tests.conftest import PROJECT_ROOT

FAMILIES = ("lr", "scorecard", "hgb", "rf", "blend")
CUSTOMER = "CUST_MSM_00003"


def _cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def compared(tmp_path_factory, demo_lake):
    """A copy of the analysed demo lake after ``train-risk --portfolio 40 --families ...``: (lake, stdout)."""
    lake = Lake(tmp_path_factory.mktemp("registry") / "lake")
    shutil.copytree(demo_lake.root, lake.root)
    status, out, err = _cli(["train-risk", "--portfolio", "40", "--families", ",".join(FAMILIES),
                             "--lake", str(lake.root)])
    assert status == 0, err
    return lake, out


def _client(lake: Lake):
    from mlflow.tracking import MlflowClient

    return MlflowClient(tracking_uri=lake.mlflow_tracking_uri, registry_uri=lake.mlflow_tracking_uri)


def _score(lake: Lake, config) -> dict:
    outcome = run_steps(lake, CUSTOMER, ["score"], config, lambda level, message: None)
    assert outcome["status"] == "done", outcome
    return lake.read_json(lake.analytics_path(CUSTOMER, "risk_model"))


def test_the_comparison_prints_every_family_with_its_version(compared):
    lake, out = compared
    rows = {line.split()[0]: line for line in out.splitlines() if line.split() and line.split()[0] in FAMILIES}
    assert sorted(rows) == sorted(FAMILIES)
    for line in rows.values():
        assert line.count("±") == 4   # ROC AUC, KS, Gini, Brier: mean ± sd over the folds
    versions = {family: int(line.split()[1].rstrip("*")) for family, line in rows.items()}
    assert sorted(versions.values()) == [1, 2, 3, 4, 5]
    starred = [family for family, line in rows.items() if line.split()[1].endswith("*")]
    assert len(starred) == 1 and read_pointer(lake)["champion"]["family"] == starred[0]


def test_every_family_is_a_nested_run_with_params_metrics_and_artefacts(compared):
    lake, _ = compared
    client = _client(lake)
    experiment = client.get_experiment_by_name("msme-default-risk")
    runs = client.search_runs([experiment.experiment_id])
    parents = [r for r in runs if "mlflow.parentRunId" not in r.data.tags]
    children = [r for r in runs if "mlflow.parentRunId" in r.data.tags]
    assert len(parents) == 1 and len(children) == 5
    assert {r.data.tags["mlflow.parentRunId"] for r in children} == {parents[0].info.run_id}
    for run in children:
        version = load_version(lake, "risk_model", int(client.search_model_versions(
            f"run_id = '{run.info.run_id}'")[0].version))
        card = version["card"]
        assert run.data.params["family"] == run.data.tags["family"]
        assert run.data.params["data.sha256"] == card["training_data"]["fingerprint"]
        assert run.data.params["data.rows"] == "40"
        assert float(run.data.params["data.default_rate"]) == card["metrics"]["base_rate"]
        for metric in ("roc_auc", "ks", "gini", "brier"):
            assert run.data.metrics[metric] == pytest.approx(card["metrics"][metric]["mean"])
        assert 0 <= run.data.metrics["calibration_max_gap"] <= 1
        files = {a.path for a in client.list_artifacts(run.info.run_id)}
        files |= {a.path for folder in ("model", "reference") for a in client.list_artifacts(run.info.run_id, folder)}
        assert {"model_card.json", "calibration_by_decile.csv", "folds.json", "model/risk_model.joblib",
                "reference/training_reference.parquet"} <= files
        deciles = client.download_artifacts(run.info.run_id, "calibration_by_decile.csv")
        assert open(deciles).read().splitlines()[0].startswith("decile,rows,")


def test_the_lake_pointer_agrees_with_the_registry(compared):
    lake, _ = compared
    client = _client(lake)
    aliases = {alias: int(v) for alias, v in client.get_registered_model("msme-default-risk").aliases.items()}
    pointer = read_pointer(lake)
    assert aliases["champion"] == pointer["champion"]["version"]
    assert {c["alias"]: c["version"] for c in pointer["challengers"]} == \
        {a: v for a, v in aliases.items() if a.startswith("challenger-") and v != aliases["champion"]}
    champion = lake.read_json(lake.model_path("risk_model", "json"))
    assert champion["registry"]["version"] == aliases["champion"]
    assert lake.model_path("risk_model").read_bytes() == \
        lake.model_version_path("risk_model", aliases["champion"]).read_bytes()


def test_champion_reference_is_the_training_data_and_its_pds(compared):
    lake, _ = compared
    features, pds = champion_reference(lake)
    champion = load_version(lake, "risk_model", read_pointer(lake)["champion"]["version"])
    assert list(features.columns) == list(champion["model"].feature_names_in_)
    assert len(features) == len(pds) == 40 and pds.between(0, 1).all()
    assert pds.to_numpy() == pytest.approx(champion["model"].predict_proba(features)[:, 1])


def test_promotion_changes_what_scoring_loads(compared, config):
    lake, _ = compared
    before = _score(lake, config)
    pointer = read_pointer(lake)
    assert before["model"]["name"] == "msme-default-risk" and before["model"]["alias"] == "champion"
    assert before["model"]["registered_version"] == pointer["champion"]["version"]
    assert before["model"]["run_id"] == pointer["champion"]["run_id"]
    challengers = {c["version"]: c for c in before["challengers"]}
    assert sorted(challengers) == sorted(c["version"] for c in pointer["challengers"]) and len(challengers) == 4
    old_pd = before["metrics"]["probability_of_default"]["value"]
    new = next(c for c in before["challengers"] if abs(c["pd"] - old_pd) > 1e-6)

    status, out, err = _cli(["promote-model", "--version", str(new["version"]), "--actor", "risk-admin",
                             "--reason", "challenger won the review", "--lake", str(lake.root)])
    assert status == 0, err
    assert f"to version {new['version']}" in out

    after = _score(lake, config)
    assert after["model"]["registered_version"] == new["version"] and after["model"]["run_id"] == new["run_id"]
    expected = score_customer_risk(load_version(lake, "risk_model", new["version"]), after["features"])
    assert after["metrics"]["probability_of_default"]["value"] == pytest.approx(
        expected["metrics"]["probability_of_default"]["value"])
    assert after["metrics"]["probability_of_default"]["value"] == pytest.approx(new["pd"], abs=1e-4)   # the metric keeps 4 decimals
    assert new["version"] not in {c["version"] for c in after["challengers"]}   # the champion is no challenger
    (entry,) = [e for e in lake.read_audit() if e["action"] == "model_promoted"]
    assert (entry["from_version"], entry["to_version"], entry["actor"]) == \
        (before["model"]["registered_version"], new["version"], "risk-admin")
    assert entry["customer_id"] is None and entry["ts"]
    assert int(_client(lake).get_registered_model("msme-default-risk").aliases["champion"]) == new["version"]
    champion = load_version(lake, "risk_model", new["version"])   # drift is now measured against the new champion
    assert lake.read_json(lake.model_drift_profile_path("risk_model")) == champion["reference"]
    assert champion["reference"]["model_version"] == champion["card"]["version"]


def test_a_version_the_registry_does_not_know_is_one_line_and_exit_1(compared):
    lake, _ = compared
    before = lake.model_path("risk_model").read_bytes()
    status, out, err = _cli(["promote-model", "--version", "42", "--actor", "risk-admin", "--lake", str(lake.root)])
    assert status == 1 and out == ""
    assert err.strip() == "error: no version 42 of msme-default-risk in the registry (versions: 1, 2, 3, 4, 5)"
    assert lake.model_path("risk_model").read_bytes() == before
    status, _, err = _cli(["train-risk", "--portfolio", "40", "--families", "lr,xgb", "--lake", str(lake.root)])
    assert status == 1 and "unknown model family xgb; choose from lr, scorecard, hgb, rf, blend" in err


def test_promote_needs_an_actor(compared):
    lake, _ = compared
    done = subprocess.run([sys.executable, "-m", "pipeline", "promote-model", "--version", "1", "--lake",
                           str(lake.root)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "--actor" in done.stderr


def test_scoring_never_imports_mlflow(compared, tmp_path):
    lake, _ = compared
    code = ("import sys\nfrom pipeline.config import load_config\nfrom pipeline.lake import Lake\n"
            "from pipeline.runner import run_steps\n"
            f"out = run_steps(Lake({str(lake.root)!r}), {CUSTOMER!r}, ['score'], load_config(), lambda l, m: None)\n"
            "assert out['status'] == 'done', out\nprint('mlflow' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
    assert set(champion_reference(lake)[0].columns) <= set(FEATURE_NAMES)
