"""Sockets respect consent and revocation: joining a customer's room is a consented, audited read, and a
revoked or replaced token loses its open sockets (the real app's Socket.IO test client, then the real server
with a python-socketio client)."""
import os
import subprocess
import sys
import threading

import orjson
import pytest
import socketio as sio

from api_panel.auth import TokenStore
from api_panel.extensions import socketio
from api_panel.socket_sessions import drop_revoked_sockets
from pipeline.lake import Lake
from tests.api_panel.conftest import auth, prepare
from tests.conftest import PROJECT_ROOT
from tests.served import start_server, stop_server

CID = "CUST_API_00001"


def _audit(lake):
    return [line for line in lake.audit_path.read_text().splitlines() if '"socket_join"' in line] \
        if lake.audit_path.exists() else []


def test_join_needs_an_active_lending_consent_once_the_customer_is_known(client, socket_client, tokens, lake):
    sock = socket_client("analyst")
    # nobody has a consent or data for a new id yet: its onboarding (generate, the AA request) is followed here
    newcomer = sock.emit("join", {"customer_id": "CUST_ZZZ_99999"}, callback=True)
    assert newcomer["ok"] is True
    joined = sock.emit("join", {"customer_id": CID}, callback=True)
    assert joined["ok"] is True
    audited = [orjson.loads(line) for line in _audit(lake)]
    assert [(a["customer_id"], a["who"], a["consent_id"] is not None) for a in audited] == \
        [("CUST_ZZZ_99999", "test-analyst", False), (CID, "test-analyst", True)]

    consents = client.get(f"/api/consents?customer_id={CID}", headers=auth(tokens["admin"])).get_json()["consents"]
    for consent in consents:
        client.post(f"/api/consents/{consent['consentId']}/revoke", headers=auth(tokens["admin"]))
    refused = socket_client("analyst").emit("join", {"customer_id": CID}, callback=True)
    assert refused["ok"] is False and refused["error"] == "consent_required" and "REVOKED" in refused["message"]
    assert len(_audit(lake)) == 2


def test_an_event_from_a_socket_whose_token_was_revoked_disconnects_it(app, socket_client):
    sock = socket_client("analyst")
    assert sock.emit("join", {"customer_id": CID}, callback=True)["ok"] is True
    assert app.extensions["token_store"].revoke("test-analyst") == 1
    sock.emit("join", {"customer_id": CID}, callback=True)
    assert not sock.is_connected()


def test_the_sweep_drops_the_sockets_of_a_replaced_token_and_keeps_the_others(app, socket_client):
    analyst, admin = socket_client("analyst"), socket_client("admin")
    assert drop_revoked_sockets(app) == []
    app.extensions["token_store"].create("analyst", "test-analyst", replace_label=True)  # as demo-tokens does
    dropped = drop_revoked_sockets(app)
    assert len(dropped) == 1
    assert not analyst.is_connected() and admin.is_connected()
    assert admin.emit("join", {"customer_id": CID}, callback=True)["ok"] is True


@pytest.fixture()
def served_with_stored_tokens(tmp_path):
    lake = Lake(tmp_path / "lake")
    prepare(lake, {"CUST_SCK_00001": "baseline"})
    token = TokenStore(lake).create("analyst", "demo-analyst")
    proc, base = start_server(lake.root, {})
    yield lake, base, token
    stop_server(proc)


def test_demo_tokens_drops_the_open_sockets_of_the_tokens_it_replaces(served_with_stored_tokens):
    lake, base, token = served_with_stored_tokens
    client, dropped = sio.Client(reconnection=False), threading.Event()
    client.on("disconnect", lambda *_: dropped.set())
    client.connect(base, auth={"token": token}, transports=["websocket"])
    assert client.call("join", {"customer_id": "CUST_SCK_00001"}, timeout=10)["ok"] is True
    replaced = subprocess.run([sys.executable, "-m", "api_panel", "demo-tokens"], cwd=PROJECT_ROOT,
                              env={**os.environ, "LAKE_DIR": str(lake.root)}, capture_output=True, text=True,
                              timeout=60, check=False)
    assert replaced.returncode == 0, replaced.stderr
    assert dropped.wait(30), "the socket of the replaced token is still open"
    again = sio.Client(reconnection=False)
    with pytest.raises(sio.exceptions.ConnectionError):
        again.connect(base, auth={"token": token}, transports=["websocket"])
