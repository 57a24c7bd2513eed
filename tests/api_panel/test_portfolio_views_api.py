"""GET /api/portfolio/views and /api/portfolio/views/<name> on the real app over a built warehouse."""
import shutil

import pytest

from api_panel import create_app
from api_panel.auth import TokenStore
from api_panel.insights import InsightSettings
from pipeline.lake import Lake


def _client(root):
    lake = Lake(root)
    store = TokenStore(lake)
    tokens = {role: store.create(role, f"test-{role}") for role in ("officer", "analyst")}
    app = create_app({"TESTING": True, "LAKE_ROOT": str(root), "INSIGHT_SETTINGS": InsightSettings()})
    return app.test_client(), {role: {"Authorization": f"Bearer {t}"} for role, t in tokens.items()}


@pytest.fixture()
def served(warehouse_lake, tmp_path):
    shutil.copytree(warehouse_lake.root, tmp_path / "lake")
    return _client(tmp_path / "lake")


def test_the_list_and_a_view_for_analysts(served):
    client, auth = served
    listing = client.get("/api/portfolio/views", headers=auth["analyst"])
    assert listing.status_code == 200
    body = listing.get_json()
    assert body["built_at"] and {v["name"] for v in body["views"]} >= {"approval_mix_by_month", "vintage_curves"}
    reply = client.get("/api/portfolio/views/approval_mix_by_month", headers=auth["analyst"])
    assert reply.status_code == 200
    view = reply.get_json()
    assert view["name"] == "approval_mix_by_month" and view["columns"][:2] == ["month", "decisions"]
    assert view["rows"][0][1] == 3 and "FROM decisions" in view["sql"] and view["built_at"] == body["built_at"]


def test_officers_are_refused_and_an_unknown_view_is_a_json_404(served):
    client, auth = served
    assert client.get("/api/portfolio/views/vintage_curves", headers=auth["officer"]).status_code == 403
    assert client.get("/api/portfolio/views").status_code == 401
    reply = client.get("/api/portfolio/views/no_such_view", headers=auth["analyst"])
    assert reply.status_code == 404
    assert reply.get_json()["error"] == "unknown_view" and "vintage_curves" in reply.get_json()["message"]


def test_a_lake_without_a_warehouse_is_a_409_naming_the_command(served, tmp_path):
    client, auth = served
    shutil.rmtree(tmp_path / "lake" / "warehouse")
    reply = client.get("/api/portfolio/views/roll_rates", headers=auth["analyst"])
    assert reply.status_code == 409
    body = reply.get_json()
    assert body["error"] == "warehouse_not_built" and "python -m pipeline warehouse build" in body["message"]
    assert client.get("/api/portfolio/views", headers=auth["analyst"]).get_json()["built_at"] is None


def test_a_scoped_analyst_sees_only_its_customers_rows(served, tmp_path):
    from api_panel.scopes import parse_scope

    client, auth = served
    lake = Lake(tmp_path / "lake")
    mine = sorted(lake.customers())[0]
    token = TokenStore(lake).create("analyst", "scoped-analyst", scope=parse_scope(f"customer:{mine}"))
    whole = client.get("/api/portfolio/views/pd_by_segment", headers=auth["analyst"]).get_json()
    scoped = client.get("/api/portfolio/views/pd_by_segment", headers={"Authorization": f"Bearer {token}"})
    assert scoped.status_code == 200
    columns = scoped.get_json()["columns"]
    kind, counted = columns.index("segment_type"), columns.index("customers")

    def customers(rows):  # each customer is counted once per kind of segment
        return sum(row[counted] for row in rows if row[kind] == "sector")

    assert (customers(scoped.get_json()["rows"]), customers(whole["rows"])) == (1, 3)
    mix = client.get("/api/portfolio/views/approval_mix_by_month", headers={"Authorization": f"Bearer {token}"})
    assert mix.get_json()["rows"][0][1] == 1
