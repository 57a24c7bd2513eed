"""A scoped token end to end: made with ``python -m api_panel create-token --scope`` (a subprocess), used against the
real server (``python -m api_panel serve``) over HTTP and a python-socketio client.

The demo's branches come from config.json (``branches.assignments``): CUST_MSM_00001 is in BLR01, CUST_MSM_00003
in MUM01.
"""
import os
import subprocess
import sys

import pytest
import requests
import socketio

from pipeline.lake import Lake
from tests.api_panel.conftest import prepare
from tests.conftest import PROJECT_ROOT
from tests.served import start_server, stop_server

IN, OUT = "CUST_MSM_00001", "CUST_MSM_00003"


def create_token(lake_root, *args) -> subprocess.CompletedProcess:
    """``python -m api_panel create-token`` on the test lake, as an operator types it."""
    return subprocess.run([sys.executable, "-m", "api_panel", "create-token", *args], cwd=PROJECT_ROOT,
                          env={**os.environ, "LAKE_DIR": str(lake_root)}, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    lake = Lake(tmp_path_factory.mktemp("scoped") / "lake")
    prepare(lake, {IN: "baseline", OUT: "high_debt"})
    made = create_token(lake.root, "--role", "analyst", "--label", "blr-analyst", "--scope", "branch:BLR01")
    assert made.returncode == 0, made.stderr
    assert "scope branch:BLR01" in made.stderr
    proc, base = start_server(lake.root, {})
    yield lake, base, made.stdout.strip()
    stop_server(proc)


def get(base, path, token):
    return requests.get(base + path, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def test_create_token_scope_round_trip(served):
    lake, base, token = served
    assert [r.get("scope") for r in lake.read_json(lake.token_store_path) if r["label"] == "blr-analyst"] == \
        [["branch:BLR01"]]
    assert token not in lake.token_store_path.read_text()  # stored hashed
    assert get(base, "/api/whoami", token).json() == {"role": "analyst", "label": "blr-analyst",
                                                      "scope": ["branch:BLR01"]}
    assert [c["customer_id"] for c in get(base, "/api/customers", token).json()["customers"]] == [IN]
    refused = get(base, f"/api/analytics?customer_id={OUT}", token)
    assert refused.status_code == 403 and refused.json()["error"] == "out_of_scope"
    assert refused.json()["field"] == "customer_id"
    assert get(base, f"/api/analytics?customer_id={IN}", token).status_code == 200


@pytest.mark.parametrize("scope, message", [("branch:blr", "branch code"), ("town:BLR01", "branch:<code>"),
                                            ("customer:CUST_X", "CUST_XXX_NNNNN"), (",", "empty")])
def test_create_token_rejects_a_bad_scope_and_stores_nothing(served, scope, message):
    lake, _base, _token = served
    before = lake.token_store_path.read_bytes()
    made = create_token(lake.root, "--role", "officer", "--scope", scope)
    assert made.returncode == 1 and made.stdout == ""
    assert made.stderr.startswith("error: ") and message in made.stderr
    assert lake.token_store_path.read_bytes() == before


def test_a_scoped_socket_joins_only_its_customers(served):
    lake, base, token = served
    client = socketio.Client()
    client.connect(base, auth={"token": token}, transports=["websocket"])
    try:
        refused = client.call("join", {"customer_id": OUT}, timeout=10)
        assert refused["ok"] is False and refused["error"] == "out_of_scope"
        assert client.call("join", {"customer_id": IN}, timeout=10)["ok"] is True
        assert client.call("join_portfolio", {}, timeout=10)["error"] == "out_of_scope"
    finally:
        client.disconnect()
    actions = [(e["action"], e["who"]) for e in lake.read_audit(OUT) if e["action"].startswith("socket_join")]
    assert actions == [("socket_join_refused", "blr-analyst")]
