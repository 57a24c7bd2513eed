"""The local AA remembers its key and consents in --state-dir, so the demo's AA and make run's AA agree."""
import datetime as dt

import httpx

from generators.aa_server import create_aa_app
from pipeline.aa import jws
from pipeline.aa.client import FIUClient
from pipeline.aa.consent_request import consent_request
from pipeline.aa.journey import handle_for
from tests.served import free_port


def _serve(app):
    import threading

    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def test_a_restarted_aa_knows_its_consents_and_key(tmp_path, config):
    private, public = jws.new_signing_key()
    state_dir = tmp_path / "aa_state"
    first = create_aa_app({"FIU-MSME-LAKE": public}, config, dt.date(2026, 11, 1), state_dir=state_dir)
    server, base = _serve(first)
    client = FIUClient(base, "FIU-MSME-LAKE", private, first.extensions["local_aa"]["public"])
    handle = client.request_consent(consent_request("FIU-MSME-LAKE", handle_for("CUST_AAS_00001"), ["DEPOSIT"]))
    assert httpx.post(f"{base}/approve/{handle}", data={"decision": "approve"}).json()["status"] == "ACTIVE"
    server.shutdown()
    assert (state_dir / "aa_signing_key.pem").stat().st_mode & 0o077 == 0   # the AA's private key is its own

    second = create_aa_app({"FIU-MSME-LAKE": public}, config, dt.date(2026, 11, 1), state_dir=state_dir)
    assert second.extensions["local_aa"]["public"] == first.extensions["local_aa"]["public"]
    server, base = _serve(second)
    again = FIUClient(base, "FIU-MSME-LAKE", private, second.extensions["local_aa"]["public"])
    status = again.consent_status(handle)
    assert status["status"] == "ACTIVE" and status["id"]
    server.shutdown()
