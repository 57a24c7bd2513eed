"""A local Account Aggregator and FIP: a real HTTP server speaking the ReBIT AA API 2.0.0 to our FIU.

    python -m generators.aa_server [--port 7070] [--host 127.0.0.1]

It stands in for a production AA in the demo and the tests, and speaks the same API: ``POST /Consent``
(a consent request, signed), ``POST /Consent/handle`` (its status), an approval page the simulated customer
uses (``GET``/``POST /approve/<handle>``), ``POST /Consent/fetch`` (the signed artefact), ``POST /FI/request``
(with the FIU's ``KeyMaterial``) and ``POST /FI/fetch`` (FI data our generators produce for the customer, in the
ReBIT DEPOSIT schema, encrypted for the FIU's key with :mod:`pipeline.aa.crypto`). Every response carries a
detached JWS (``x-jws-signature``) by the AA's key, published at ``GET /keys``; every request's signature is
checked against the FIU's registered key.

It can be told to misbehave (``POST /admin/faults``, a list of names): ``bad_signature`` (responses signed with
another key), ``tampered_ciphertext`` (one byte of the FI data flipped), ``expired_key`` (the FIP's key
material already expired), ``timeout`` (answers after the client gave up), ``revoked`` (the customer revokes
the consent before the fetch), so the FIU's refusals can be tested over HTTP.

A customer's AA handle is ``<customer id in lower case>@local-aa``; the FIP serves that customer's generated
DEPOSIT account as of the consent's data range.
"""
from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any

import orjson
from flask import Flask, Response, abort, request

from generators.aa_fip import fi_documents
from pipeline.aa import jws
from pipeline.aa.consent_request import check_fetch
from pipeline.aa.crypto import AAError, check_key_material, encrypt, new_ephemeral_key
from pipeline.aa.journey import LOCAL_HANDLE_SUFFIX as HANDLE_SUFFIX
from pipeline.aa.timestamps import iso_z
from pipeline.config import load_config

FAULTS = ("bad_signature", "tampered_ciphertext", "expired_key", "timeout", "revoked")


def _customer_of(handle: str) -> str:
    return handle[: -len(HANDLE_SUFFIX)].upper() if handle.endswith(HANDLE_SUFFIX) else ""


def create_aa_app(fiu_keys: dict[str, str] | None = None, config: dict | None = None,
                  as_of: dt.date | None = None) -> Flask:
    """The local AA as a Flask app. ``fiu_keys`` maps a client id to its RSA public key (PEM); requests from a
    client not listed, or not signed by its key, are refused."""
    app = Flask("local_aa")
    private, public = jws.new_signing_key()
    state: dict[str, Any] = {"private": private, "public": public, "fiu_keys": dict(fiu_keys or {}),
                             "consents": {}, "sessions": {}, "faults": set(), "timeout_s": 3.0,
                             "config": config or load_config(), "as_of": as_of or dt.date.today().replace(day=1)}
    app.extensions["local_aa"] = state

    def reply(body: dict, status: int = 200) -> Response:
        data = orjson.dumps(body)
        key = jws.new_signing_key()[0] if "bad_signature" in state["faults"] else state["private"]
        resp = Response(data, status=status, mimetype="application/json")
        resp.headers["x-jws-signature"] = jws.sign(data, key, kid="local-aa")
        return resp

    def error(code: str, message: str, status: int) -> Response:
        return reply({"ver": "2.0.0", "timestamp": iso_z(), "txnid": str(uuid.uuid4()), "errorCode": code,
                      "errorMsg": message}, status)

    def signed_body() -> dict:
        client = request.headers.get("client_id") or request.headers.get("client-id") or ""
        key = state["fiu_keys"].get(client)
        if key is None:
            abort(error("Unauthorized", f"unknown client_id {client!r}", 401))
        try:
            jws.verify(request.get_data(), request.headers.get("x-jws-signature"), key)
        except AAError as exc:
            abort(error("SignatureDoesNotMatch", str(exc), 401))
        try:
            return orjson.loads(request.get_data())
        except orjson.JSONDecodeError:
            abort(error("InvalidRequest", "the body is not JSON", 400))

    def slow() -> None:
        if "timeout" in state["faults"]:
            time.sleep(state["timeout_s"])

    @app.get("/keys")
    def keys():
        return {"keys": [{"kid": "local-aa", "alg": "RS256", "pem": state["public"]}]}

    @app.post("/admin/faults")
    def faults():
        wanted = (request.get_json(silent=True) or {}).get("faults") or []
        unknown = [f for f in wanted if f not in FAULTS]
        if unknown:
            return {"error": "invalid_argument", "message": f"unknown faults {unknown}; known: {list(FAULTS)}"}, 400
        state["faults"] = set(wanted)
        return {"faults": sorted(state["faults"])}

    @app.post("/Consent")
    def consent():
        body = signed_body()
        slow()
        detail = body.get("ConsentDetail") or {}
        handle_of_customer = ((detail.get("Customer") or {}).get("id") or "")
        if not _customer_of(handle_of_customer):
            return error("InvalidRequest", "Customer.id is not a handle of this AA", 400)
        handle = str(uuid.uuid4())
        state["consents"][handle] = {"detail": detail, "status": "PENDING", "consent_id": None,
                                     "customer": _customer_of(handle_of_customer)}
        return reply({"ver": "2.0.0", "timestamp": iso_z(), "txnid": body.get("txnid"),
                      "Customer": {"id": handle_of_customer}, "ConsentHandle": handle})

    @app.post("/Consent/handle")
    def consent_status():
        body = signed_body()
        slow()
        c = state["consents"].get(str(body.get("ConsentHandle")))
        if c is None:
            return error("InvalidConsentHandle", "no such consent handle", 404)
        return reply({"ver": "2.0.0", "timestamp": iso_z(), "txnid": body.get("txnid"),
                      "ConsentHandle": body.get("ConsentHandle"),
                      "ConsentStatus": {"id": c["consent_id"], "status": c["status"]}})

    @app.route("/approve/<handle>", methods=["GET", "POST"])
    def approve(handle: str):
        c = state["consents"].get(handle)
        if c is None:
            return Response("No such consent request.", status=404, mimetype="text/plain")
        if request.method == "POST":
            decision = (request.form.get("decision") or (request.get_json(silent=True) or {}).get("decision") or "")
            if c["status"] == "PENDING" and decision in ("approve", "reject"):
                c["status"] = "ACTIVE" if decision == "approve" else "REJECTED"
                c["consent_id"] = str(uuid.uuid4()) if decision == "approve" else None
            elif decision in ("pause", "revoke") and c["status"] in ("ACTIVE", "PAUSED"):
                c["status"] = "PAUSED" if decision == "pause" else "REVOKED"
            return {"ConsentHandle": handle, "status": c["status"], "consentId": c["consent_id"]}
        d = c["detail"]
        page = (f"<!doctype html><title>Local AA: approve consent</title><h1>Consent request</h1>"
                f"<p>{(d.get('DataConsumer') or {}).get('id')} asks for {', '.join(d.get('fiTypes') or [])} "
                f"for purpose {(d.get('Purpose') or {}).get('code')}: {(d.get('Purpose') or {}).get('text')}.</p>"
                f"<p>Status: {c['status']}</p><form method=post><button name=decision value=approve>Approve</button>"
                f"<button name=decision value=reject>Reject</button></form>")
        return Response(page, mimetype="text/html")

    @app.post("/Consent/fetch")
    def consent_fetch():
        body = signed_body()
        slow()
        found = [c for c in state["consents"].values() if c["consent_id"] and c["consent_id"] == body.get("consentId")]
        if not found:
            return error("InvalidConsentId", "no such consent id", 404)
        c = found[0]
        artefact = {"consentId": c["consent_id"], "status": c["status"], "ConsentDetail": c["detail"]}
        signed = jws.sign(orjson.dumps(artefact["ConsentDetail"]), state["private"], kid="local-aa")
        return reply({"ver": "2.0.0", "timestamp": iso_z(), "txnid": body.get("txnid"), **artefact,
                      "signedConsent": signed})

    @app.post("/FI/request")
    def fi_request():
        body = signed_body()
        slow()
        found = [c for c in state["consents"].values() if c["consent_id"] and c["consent_id"] ==
                 (body.get("Consent") or {}).get("id")]
        if not found:
            return error("InvalidConsentId", "no such consent id", 404)
        c = found[0]
        if "revoked" in state["faults"]:
            c["status"] = "REVOKED"
        if c["status"] != "ACTIVE":
            return error("ConsentNotActive", f"the consent is {c['status']}", 403)
        rng = body.get("FIDataRange") or {}
        try:
            check_fetch(c["detail"], c["detail"].get("fiTypes", []), rng.get("from", ""), rng.get("to", ""))
            check_key_material(body.get("KeyMaterial") or {})
        except AAError as exc:
            return error("InvalidRequest", str(exc), 400)
        session = str(uuid.uuid4())
        state["sessions"][session] = {"consent": c, "key_material": body["KeyMaterial"]}
        return reply({"ver": "2.0.0", "timestamp": iso_z(), "txnid": body.get("txnid"),
                      "consentId": c["consent_id"], "sessionId": session})

    @app.post("/FI/fetch")
    def fi_fetch():
        body = signed_body()
        slow()
        s = state["sessions"].get(str(body.get("sessionId")))
        if s is None:
            return error("InvalidSessionId", "no such session", 404)
        fiu = s["key_material"]
        fip = new_ephemeral_key(valid_for=dt.timedelta(seconds=-1) if "expired_key" in state["faults"]
                                else dt.timedelta(hours=1))
        data = []
        for index, (_, document) in enumerate(fi_documents(s["consent"]["customer"], s["consent"]["detail"].get(
                "fiTypes", []), state["as_of"], state["config"])):
            blob = encrypt(fip.private_pem, check_key_material(fiu), fip.nonce, fiu["Nonce"], document)
            if "tampered_ciphertext" in state["faults"]:
                blob = ("B" if blob[0] == "A" else "A") + blob[1:]
            data.append({"linkRefNumber": f"L{index + 1}", "maskedAccNumber": "XXXX", "encryptedFI": blob})
        return reply({"ver": "2.0.0", "timestamp": iso_z(), "txnid": body.get("txnid"),
                      "FI": [{"fipID": "LOCAL-FIP", "data": data, "KeyMaterial": fip.key_material}]})

    return app

