"""After erasure nothing in the lake names the customer or holds an identifier of theirs (issue 15, point 2).

A lake of the ten demo customers, scored, with the demo loan book booked, the behavioural model trained on it
(tracked in the lake's MLflow store: sqlite database, run artefacts), repayment events ingested, a batch job on
record and the Parquet warehouse built, is erased of one customer through each path: ``python -m pipeline erase``, the API's revocation, a DataLife that ran out (``enforce_data_life``), an AA notification
(REVOKED, EXPIRED) and ``refresh``. Then every file of the lake is read as bytes: the customer's id, PAN, GSTIN,
Udyam number, mobile numbers, e-mail, names, account numbers and loan ids appear only in the audit log (which
holds ids and labels, never the PAN, mobile, e-mail or a name), the consent records are minimised (the AA
handle only as ``sha256:``), DuckDB finds none of the customer's rows in any warehouse table while the other
customers' rows are all still there, and the models still score the other customers' loans.
"""
import copy
import shutil
import subprocess
import sys
import uuid
from datetime import datetime, timedelta, timezone

import orjson
import pytest

from api_panel import create_app
from api_panel.auth import TokenStore
from api_panel.insights import InsightSettings
from monitoring.booking import accept_demo_recommendations
from monitoring.ingest import monitor_for
from monitoring.loans import load_loans
from monitoring.model import ensure_behaviour_model
from pipeline.aa import jws
from pipeline.aa.notifications import receive_consent_notification
from pipeline.aa.records import read_record, remember_handle, update_record
from pipeline.aa.timestamps import iso_z
from pipeline.consents import ConsentRegistry, enforce_data_life
from pipeline.erasure import HASH_PREFIX, handle_hash
from pipeline.lake import Lake
from pipeline.refresh import run_refresh
from pipeline.warehouse.build import build_warehouse
from pipeline.warehouse.engine import run_query
from pipeline.warehouse.schema import TABLES
from tests.conftest import PROJECT_ROOT
from tests.monitoring.factory import repayment
from tests.pipeline.lake_grep import audit_entries, identifiers, other_customers_files, where

TARGET = "CUST_MSM_00002"   # high_seasonality: a disbursed OCEN loan and an accepted recommendation
OTHER = "CUST_MSM_00006"
PERSONAL = ("pan", "gstin", "udyam", "name", "mobile", "email", "account")   # never in the audit log


@pytest.fixture(scope="module")
def booked_lake(tmp_path_factory, demo_models_lake, config):
    """The scored demo lake with its loan book, the behavioural model, ingested events and a batch record."""
    lake = Lake(tmp_path_factory.mktemp("erasure") / "lake")
    shutil.copytree(demo_models_lake.root, lake.root)
    settings = copy.deepcopy(config)
    model = settings["monitoring"]["model"]
    settings["monitoring"]["model"] = {**model, "training_rows": 1500,
                                       "trainer": {**model.get("trainer", {}), "cv_folds": 3}}
    accept_demo_recommendations(lake, settings)
    loans = load_loans(lake, config=settings)
    ensure_behaviour_model(lake, settings)
    _assert_tracked_in_the_lake(lake)
    target_loans = [loan for loan in loans if loan["customer_id"] == TARGET]
    assert any(loan["loan_id"].startswith("REC-") for loan in target_loans) and len(target_loans) >= 2
    other = next(loan for loan in loans if loan["customer_id"] != TARGET)
    unrouted = {**repayment(target_loans[0], 0), "loan_id": f"REC-{TARGET}-9", "customer_id": "CUST_ZZZ_00001",
                "event_id": f"U-{TARGET}-9"}   # names no loan or customer of the lake, but the target's id
    result = monitor_for(lake, settings).ingest([repayment(target_loans[0], 0), repayment(target_loans[1], 0),
                                                 repayment(other, 0), unrouted])
    assert result["accepted"] == 3 and len(result["quarantined"]) == 1
    job_id = "job_" + uuid.uuid4().hex[:16]   # what the API's job manager writes for a batch of customers
    lake.write_bytes(lake.batch_customers_path(job_id), f"{TARGET}\n{OTHER}\n".encode())
    lake.write_json(lake.batch_job_path(job_id), {"job_id": job_id, "step": "batch", "status": "done",
                                                  "failed": [{"customer_id": TARGET, "error": "boom"}],
                                                  "log": [f"{TARGET}: failed", f"{OTHER}: done"]})
    build_warehouse(lake)
    return lake, settings


def _assert_tracked_in_the_lake(lake: Lake) -> None:
    """The behavioural model's training is an MLflow run and a registered version in the lake's own store."""
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=lake.mlflow_tracking_uri, registry_uri=lake.mlflow_tracking_uri)
    (run,) = client.search_runs([client.get_experiment_by_name("msme-behaviour").experiment_id])
    assert len(run.data.params["data.template_loans_sha256"]) == 64   # the loans by hash only
    assert int(client.get_registered_model("msme-behaviour").aliases["champion"]) == 1
    assert {a.path for a in client.list_artifacts(run.info.run_id)} >= {"model_card.json", "model", "reference"}


@pytest.fixture()
def lake(booked_lake, tmp_path):
    source, settings = booked_lake
    shutil.copytree(source.root, tmp_path / "lake")
    return Lake(tmp_path / "lake"), settings


def warehouse_rows(lake: Lake) -> dict[str, dict[str, int]]:
    """Table -> customer id -> rows, as DuckDB reads the warehouse's Parquet files."""
    counts: dict[str, dict[str, int]] = {}
    for table in TABLES:
        result = run_query(lake, f"SELECT customer_id, count(*) FROM {table} GROUP BY customer_id")
        counts[table] = {cid: n for cid, n in result.rows}
    return counts


def _consent(lake: Lake) -> dict:
    (consent,) = ConsentRegistry(lake).list(TARGET)
    return consent


def _rewrite_consent(lake: Lake, **fields) -> None:
    """Change the target's consent artefact on disk (what time passing does to its dates)."""
    lake.write_json(lake.consent_registry_path(TARGET), [{**lake.read_json(lake.consent_registry_path(TARGET))[0],
                                                          **fields}])


def _erase_by_cli(lake, settings):
    done = subprocess.run([sys.executable, "-m", "pipeline", "erase", "--customer-id", TARGET, "--reason",
                           "customer asked", "--lake", str(lake.root)], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return "ERASED"


def _erase_by_api_revocation(lake, settings):
    token = TokenStore(lake).create("admin", "test-admin")
    app = create_app({"TESTING": True, "LAKE_ROOT": str(lake.root), "INSIGHT_SETTINGS": InsightSettings()})
    reply = app.test_client().post(f"/api/consents/{_consent(lake)['consentId']}/revoke",
                                   headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 200, reply.get_json()
    body = reply.get_json()
    assert body["consent"]["status"] == "REVOKED" and body["consent"]["Customer"]["id"].startswith(HASH_PREFIX)
    return "REVOKED"


def _erase_by_data_life(lake, settings):
    started = (datetime.now(timezone.utc) - timedelta(days=800)).isoformat()
    _rewrite_consent(lake, consentStart=started)   # DataLife one year: the data must go
    assert enforce_data_life(lake, ConsentRegistry(lake), TARGET, actor="test")
    return "EXPIRED"


def _erase_by_refresh(lake, settings):
    _rewrite_consent(lake, consentExpiry=(datetime.now(timezone.utc) - timedelta(days=1)).isoformat())
    report = run_refresh(lake, settings)
    assert [row["outcome"] for row in report["customers"] if row["customer_id"] == TARGET] == ["erased"]
    return "EXPIRED"


def _aa_notification(status):
    def erase(lake, settings):
        """The target's consent came through the AA; the AA notifies ``status``, signed with its key."""
        private, public = jws.new_signing_key()
        consent, handle = _consent(lake), str(uuid.uuid4())
        mobile_handle = lake.read_json(lake.consent_path(TARGET))["Customer"]["id"]
        remember_handle(lake, handle, TARGET)
        now = datetime.now(timezone.utc)
        update_record(lake, TARGET, lambda _old: {
            "customer_id": TARGET, "consent_handle": handle, "approval_url": f"http://aa.test/approve/{handle}",
            "purpose": "104", "fi_types": consent["fiTypes"], "aa": "http://aa.test",
            "customer_handle_sha256": handle_hash(mobile_handle), "requested_at": iso_z(now - timedelta(hours=2)),
            "status": "ACTIVE", "consent_id": consent["consentId"], "updated_at": iso_z(now - timedelta(hours=1)),
            "fetched_at": iso_z(now), "detail": {"fetchType": "PERIODIC"}, "applied_txnids": ["t-0"],
            "history": [{"status": "ACTIVE", "at": iso_z(now - timedelta(hours=1)), "source": "notification"}]})
        body = orjson.dumps({"ver": "2.0.0", "timestamp": iso_z(now), "txnid": str(uuid.uuid4()),
                             "Notifier": {"type": "AA", "id": "AA-TEST"},
                             "ConsentStatusNotification": {"consentId": consent["consentId"], "consentHandle": handle,
                                                           "consentStatus": status}})
        said = receive_consent_notification(lake, ConsentRegistry(lake), body, jws.sign(body, private, kid="aa"),
                                            public)
        assert said["erased_layers"]
        journey = read_record(lake, TARGET)
        assert journey["status"] == status and "customer_id" not in journey and "detail" not in journey
        assert journey["consent_handle"] == handle and journey["customer_handle_sha256"] == handle_hash(mobile_handle)
        assert not lake.aa_handles_dir.joinpath(handle).exists()   # a later notification finds no one
        return status
    return erase


PATHS = {"cli": _erase_by_cli, "api_revocation": _erase_by_api_revocation, "data_life": _erase_by_data_life,
         "refresh": _erase_by_refresh, "aa_revoked": _aa_notification("REVOKED"),
         "aa_expired": _aa_notification("EXPIRED")}


@pytest.mark.parametrize("path", PATHS)
def test_erasure_leaves_only_the_audit_log_and_a_minimised_consent(lake, path):
    lake, settings = lake
    found = identifiers(lake, TARGET)
    needles = set().union(*found.values())
    others = other_customers_files(lake, TARGET)
    shared_by_chance = {n: files & others for n, files in where(lake.root, needles).items()}
    handle = lake.read_json(lake.consent_path(TARGET))["Customer"]["id"]
    before = warehouse_rows(lake)
    assert all(before[t].get(TARGET) for t in ("transactions", "gst_returns", "bureau", "scores", "decisions",
                                               "loans", "repayment_events", "risk_history"))

    status = PATHS[path](lake, settings)

    after = warehouse_rows(lake)   # no row of the customer; every other customer's rows untouched
    assert after == {t: {cid: n for cid, n in rows.items() if cid != TARGET} for t, rows in before.items()}

    hits = where(lake.root, needles)   # every file: the MLflow store (sqlite, artefacts) included
    assert lake.mlflow_dir.joinpath("mlflow.db").is_file() and any(lake.mlflow_dir.rglob("*.joblib"))
    leaks = {n: sorted(files - shared_by_chance.get(n, set()) - {"audit/audit.ndjson"})
             for n, files in hits.items()}
    assert {n: files for n, files in leaks.items() if files} == {}
    personal = set().union(*(found[kind] for kind in PERSONAL))
    assert not {n for n in personal if "audit/audit.ndjson" in hits[n]}, "the audit log holds ids and labels only"
    assert [e for e in audit_entries(lake) if e["customer_id"] == TARGET and e["action"] == "erase"]
    # file names: only the consent records are kept under the customer's id (as the audit log names it)
    named = sorted(p.relative_to(lake.root).as_posix() for p in lake.root.rglob(f"*{TARGET}*"))
    assert set(named) <= {f"consents/{TARGET}.json", f"consents/aa/{TARGET}.json", f"consents/aa/{TARGET}.json.lock"}

    (consent,) = lake.read_json(lake.consent_registry_path(TARGET))
    assert consent["status"] == status and consent["Customer"]["id"] == HASH_PREFIX + handle_hash(handle)
    assert set(consent) <= {"consentId", "status", "createdAt", "consentStart", "consentExpiry", "statusChangedAt",
                            "erasedAt", "Purpose", "fiTypes", "fetchType", "Customer", "source"}
    assert consent["Purpose"] == {"code": "104"} and consent["fiTypes"] and consent["erasedAt"]

    # the models trained before erasure still score the other customers' loans
    card = lake.read_json(lake.model_path("behaviour_model", "json"))
    assert isinstance(card["training_data"]["template_loans"], int)
    other = next(loan for loan in load_loans(lake, config=settings) if loan["customer_id"] != TARGET)
    assert monitor_for(lake, settings).ingest([repayment(other, 1)])["accepted"] == 1
