"""Monitoring fixtures: a lake with booked loans, scored customers and a small behavioural model, built once.

``monitoring_template`` generates, cleans, analyses and scores four demo customers (with the session's small
risk model, so each has an underwriting PD), books their OCEN loans, moves one customer to a purpose-103
consent (not monitoring) and trains a small behavioural model through the real trainer. Tests get their own
copy (``monitoring_lake``), the real app on it, real tokens and the real Socket.IO test client.
"""
import shutil
from datetime import date

import pytest

from api_panel import create_app
from api_panel.auth import TokenStore
from api_panel.extensions import socketio
from api_panel.insights import InsightSettings
from monitoring.loans import load_loans
from monitoring.model import save_behaviour_model, train_behaviour_model
from pipeline.consents import ConsentRegistry, build_consent
from pipeline.lake import Lake
from pipeline.runner import run_steps

AS_OF = date(2026, 11, 1)
CUSTOMERS = {"CUST_MSM_00002": "high_seasonality", "CUST_MSM_00003": "high_debt", "CUST_MSM_00007": "declining",
             "CUST_MSM_00009": "high_growth"}
NOT_MONITORED = "CUST_MSM_00009"  # its monitoring consent is paused; a purpose-103 consent is active


def small_training(config: dict) -> dict:
    """The project config with a smaller synthetic history and 3-fold validation (same code path)."""
    model = {**config["monitoring"]["model"], "training_rows": 1500,
             "trainer": {**config["monitoring"]["model"].get("trainer", {}), "cv_folds": 3}}
    return {**config, "monitoring": {**config["monitoring"], "model": model}}


@pytest.fixture(scope="session")
def monitoring_template(tmp_path_factory, config, small_risk_model):
    lake = small_risk_model(Lake(tmp_path_factory.mktemp("monitoring") / "lake"))
    for customer_id, profile in CUSTOMERS.items():
        outcome = run_steps(lake, customer_id, ["generate", "clean", "analyze", "score"], config,
                            lambda level, message: None, {"generate": {"profile": profile, "as_of": AS_OF}})
        assert outcome["status"] == "done", outcome
    registry = ConsentRegistry(lake)
    for consent in registry.list(NOT_MONITORED):
        registry.set_status(NOT_MONITORED, consent["consentId"], "PAUSED")
    registry.add(NOT_MONITORED, build_consent(NOT_MONITORED, {"purpose": "103"}))
    assert load_loans(lake, config=config)
    bundle, _card = train_behaviour_model(lake, small_training(config))
    save_behaviour_model(lake, bundle, config)
    return lake


@pytest.fixture()
def monitoring_lake(monitoring_template, tmp_path):
    """A private copy of the template lake."""
    shutil.copytree(monitoring_template.root, tmp_path / "lake")
    return Lake(tmp_path / "lake")


@pytest.fixture()
def loans(monitoring_lake, config):
    """The copy's booked loans by id."""
    return {loan["loan_id"]: loan for loan in load_loans(monitoring_lake, config=config)}


@pytest.fixture()
def active_loan(loans):
    """A loan of the declining customer that is still being repaid."""
    return next(x for x in loans.values() if x["customer_id"] == "CUST_MSM_00007" and x["status"] == "ACTIVE")


@pytest.fixture()
def low_risk_loan(loans):
    """The high-seasonality customer's running loan: a LOW band at booking."""
    return next(x for x in loans.values() if x["customer_id"] == "CUST_MSM_00002" and x["status"] == "ACTIVE")


@pytest.fixture()
def app(monitoring_lake):
    return create_app({"TESTING": True, "LAKE_ROOT": str(monitoring_lake.root), "INSIGHT_SETTINGS": InsightSettings()})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def tokens(monitoring_lake):
    store = TokenStore(monitoring_lake)
    return {role: store.create(role, f"test-{role}") for role in ("officer", "analyst", "admin")}


@pytest.fixture()
def socket_client(app, client, tokens):
    def connect(role="analyst"):
        return socketio.test_client(app, flask_test_client=client, auth={"token": tokens[role]})
    return connect
