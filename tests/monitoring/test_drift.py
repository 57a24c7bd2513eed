"""Model health on a real lake: a model trained on a synthetic portfolio, the same customers scored one month
(stable) and a riskier population the next (act), the drift alert e-mailed, and GET /api/model-health."""
import copy
import subprocess
import sys

import orjson
import pytest

from analytics.registry import with_envelope
from analytics.risk.model import save_risk_model, score_customer_risk
from analytics.risk.portfolio import TARGET, build_portfolio, training_columns
from analytics.risk.training import train_risk_model
from api_panel import create_app
from api_panel.auth import TokenStore
from api_panel.insights import InsightSettings
from monitoring.drift import check_drift, model_health
from pipeline.lake import Lake
from tests.alert_servers import alert_config, smtp_inbox
from tests.conftest import PROJECT_ROOT
from tests.monitoring.factory import auth

PORTFOLIO = 40
STABLE, SHIFTED = "2026-11", "2026-12"


def _settings(config: dict) -> dict:
    out = copy.deepcopy(config)
    out["risk_model"].update(cv_folds=3)
    return out


class _Data:
    def __init__(self, customer_id: str, as_of: str):
        from datetime import date

        self.customer_id, self.as_of = customer_id, date.fromisoformat(f"{as_of}-01")


def _score_into_lake(lake: Lake, bundle: dict, settings: dict, rows, prefix: str, month: str) -> None:
    """Write each row's risk_model.json as the score step would: its features, then the model's PD and drivers."""
    for i, (_, row) in enumerate(rows.iterrows(), start=1):
        features = {k: (None if v != v else float(v)) for k, v in row.items() if k != TARGET}
        body = {"features": features, **score_customer_risk(bundle, features, settings)}
        cid = f"CUST_{prefix}_{i:05d}"
        lake.write_json(lake.analytics_path(cid, "risk_model"),
                        with_envelope("risk_model", body, _Data(cid, month), "test", "2026-12-04T00:00:00+00:00"))


@pytest.fixture(scope="module")
def drift_template(tmp_path_factory, config):
    """A lake with a model trained on a 40-customer portfolio; the same customers scored as of 2026-11 and the
    riskier half of them (by their true PD), each twice, as of 2026-12."""
    settings = _settings(config)
    table = build_portfolio(PORTFOLIO, settings)
    bundle, _card = train_risk_model(training_columns(table), TARGET, 1, settings, source="portfolio",
                                     source_detail={"as_of": "2026-11"})
    lake = Lake(tmp_path_factory.mktemp("drift") / "lake")
    save_risk_model(lake, bundle, settings)
    columns = training_columns(table)
    _score_into_lake(lake, bundle, settings, columns, "TRN", STABLE)
    risky = table["true_pd"] >= table["true_pd"].median()
    _score_into_lake(lake, bundle, settings, columns[risky].pipe(lambda t: t.loc[list(t.index) * 2]), "SHF", SHIFTED)
    return lake, settings


@pytest.fixture()
def drift_lake(drift_template, tmp_path):
    import shutil

    source, settings = drift_template
    shutil.copytree(source.root, tmp_path / "lake")
    return Lake(tmp_path / "lake"), settings


def test_the_reference_profile_is_saved_beside_the_model(drift_lake):
    lake, _ = drift_lake
    reference = lake.read_json(lake.model_drift_profile_path("risk_model"))
    card = lake.read_json(lake.model_path("risk_model", "json"))
    assert reference["model_version"] == card["version"] and reference["rows"] == PORTFOLIO
    assert reference["reference_period"] == "2026-11" and reference["fingerprint"] == card["training_data"]["fingerprint"]
    assert set(reference["features"]) == {f["name"] for f in card["features"]}
    assert sum(reference["score"]["proportions"]) == pytest.approx(1.0, abs=1e-4)
    assert all(len(s["attribution"]) == len(s["labels"]) for s in reference["features"].values())
    assert b"CUST_TRN" not in lake.model_drift_profile_path("risk_model").read_bytes()   # no row, no id


def test_the_training_population_is_stable_and_a_riskier_one_is_act(drift_lake):
    lake, settings = drift_lake
    report = model_health(lake, settings)
    months = {m["month"]: m for m in report["months"]}
    assert list(months) == [STABLE, SHIFTED] and report["reference_period"] == "2026-11"
    stable, shifted = months[STABLE], months[SHIFTED]
    assert stable["n_scored"] == PORTFOLIO and stable["score_psi"] == pytest.approx(0.0, abs=1e-9)
    assert all(f["psi"] == pytest.approx(0.0, abs=1e-9) for f in stable["features"]) and stable["status"] == "stable"
    assert shifted["n_scored"] == PORTFOLIO and shifted["status"] == "act" and shifted["score_psi"] >= 0.25
    assert [f["psi"] for f in shifted["features"]] == sorted((f["psi"] for f in shifted["features"]), reverse=True)
    assert len(shifted["top_drivers"]) == settings["monitoring"]["drift"]["top_drivers"]
    assert any(d["csi"] > 0 for d in shifted["top_drivers"]) and report["status"] == "act"
    assert "ln(a / e)" in report["calculation"]


def test_a_drift_act_sends_one_alert(drift_lake):
    lake, settings = drift_lake
    with smtp_inbox() as (inbox, port):
        report = check_drift(lake, alert_config(settings, port))
        again = check_drift(lake, alert_config(settings, port))
    [alert] = report["alerts"]
    assert alert["rule"] == "drift" and alert["period"] == SHIFTED and alert["outcome"] == "sent"
    assert [a["outcome"] for a in again["alerts"]] == ["suppressed"]
    [message] = inbox.messages
    assert message["Subject"] == f"[MSME Lake] Model drift: risk_model ({SHIFTED})"
    assert f"population of {SHIFTED} ({PORTFOLIO} customers scored) is 'act'" in message.get_content()
    assert "CUST_" not in message.as_string()   # about the model, not a customer


def test_model_health_endpoint_for_analysts(drift_lake):
    lake, _ = drift_lake
    app = create_app({"TESTING": True, "LAKE_ROOT": str(lake.root), "INSIGHT_SETTINGS": InsightSettings()})
    store = TokenStore(lake)
    analyst, officer = store.create("analyst", "a"), store.create("officer", "o")
    client = app.test_client()
    response = client.get("/api/model-health?months=1", headers=auth(analyst))
    assert response.status_code == 200
    body = response.get_json()
    assert body["model"]["name"] == "risk_model" and [m["month"] for m in body["months"]] == [SHIFTED]
    assert body["thresholds"]["watch"] == 0.10 and body["thresholds"]["act"] == 0.25 and body["calculation"]
    assert client.get("/api/model-health", headers=auth(officer)).status_code == 403
    bad = client.get("/api/model-health?months=x", headers=auth(analyst))
    assert bad.status_code == 400 and bad.get_json()["field"] == "months"
    lake.model_drift_profile_path("risk_model").unlink()
    missing = client.get("/api/model-health", headers=auth(analyst))
    assert missing.status_code == 404 and missing.get_json()["error"] == "no_reference_profile"


def test_the_command_prints_the_report_raises_the_alert_and_exits_1_on_act(drift_lake):
    lake, _ = drift_lake
    done = subprocess.run([sys.executable, "-m", "pipeline", "model-health", "--alert", "--json", "--lake",
                           str(lake.root)], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    report = orjson.loads(done.stdout)
    assert report["status"] == "act" and [(a["rule"], a["period"], a["outcome"]) for a in report["alerts"]] == [
        ("drift", SHIFTED, "recorded")]   # the project config enables no transport: audited and in the ledger
    text = subprocess.run([sys.executable, "-m", "pipeline", "model-health", "--lake", str(lake.root)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, check=False).stdout
    assert f"  {SHIFTED}      40" in text and "act" in text and "CSI" in text
