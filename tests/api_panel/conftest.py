"""API fixtures: the real app factory on a temporary lake, real tokens, the real Socket.IO test client."""
import shutil
from datetime import date

import pytest

from api_panel import create_app
from api_panel.auth import TokenStore
from api_panel.insights import InsightSettings
from api_panel.extensions import socketio
from pipeline.config import load_config
from pipeline.lake import Lake
from pipeline.runner import run_steps

AS_OF = date.today().replace(day=1)
CUSTOMERS = {"CUST_API_00001": "stable_income", "CUST_API_00002": "fraud", "CUST_API_00003": "high_debt"}


def prepare(lake: Lake, customers=CUSTOMERS) -> None:
    """Generate, clean and analyse customers into ``lake`` (as the CLI would)."""
    config = load_config()
    for customer_id, profile in customers.items():
        outcome = run_steps(lake, customer_id, ["generate", "clean", "analyze"], config, lambda *_: None,
                            {"generate": {"profile": profile, "as_of": AS_OF}})
        assert outcome["status"] == "done", outcome


@pytest.fixture(scope="session")
def prepared_lake(tmp_path_factory):
    """Three analysed customers, built once; tests get their own copy."""
    lake = Lake(tmp_path_factory.mktemp("api_lake") / "lake")
    prepare(lake)
    return lake


@pytest.fixture()
def lake(prepared_lake, tmp_path):
    shutil.copytree(prepared_lake.root, tmp_path / "lake")
    return Lake(tmp_path / "lake")


@pytest.fixture()
def tokens(lake):
    store = TokenStore(lake)
    return {role: store.create(role, f"test-{role}") for role in ("officer", "analyst", "admin")}


@pytest.fixture()
def app(lake):
    # no AI provider is configured in tests (none is reachable): the offline narrative answers
    return create_app({"TESTING": True, "LAKE_ROOT": str(lake.root), "INSIGHT_SETTINGS": InsightSettings()})


@pytest.fixture()
def client(app):
    return app.test_client()


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture()
def socket_client(app, client, tokens):
    def connect(role="analyst"):
        return socketio.test_client(app, flask_test_client=client, auth={"token": tokens[role]})
    return connect
