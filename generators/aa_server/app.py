"""The local AA's Flask app and its ReBIT AA API 2.0.0 routes, as the FIU calls them.

``POST /Consent`` (a consent request, signed), ``POST /Consent/handle`` (its status), ``POST /Consent/fetch`` (the
signed artefact), ``POST /FI/request`` (with the FIU's ``KeyMaterial``) and ``POST /FI/fetch`` (the FIP's FI
documents from :mod:`generators.aa_fip`, encrypted for the FIU's key with :mod:`pipeline.aa.crypto`). Every
request's signature is checked against the calling FIU's registered key; every response carries a detached JWS
(``x-jws-signature``) by the AA's key, published at ``GET /keys``. ``GET /health`` answers ``{"status": "ok"}``.

An FI request is refused when the consent is not ACTIVE (403 ``ConsentNotActive``), asks for more than the
consent covers (400) or more often than its ``fetchType``/``Frequency`` allow (429 ``FetchLimitExceeded``). The
customer's pages are in :mod:`.customer`, the switches for tests in :mod:`.admin`, notifications in :mod:`.notify`.
"""
from __future__ import annotations

import datetime as dt
import time
import uuid
from pathlib import Path

import orjson
from flask import Flask, Response, abort, request

from generators.aa_fip import fi_documents
from generators.aa_server.admin import bp as admin_pages
from generators.aa_server.consents import can_move, move
from generators.aa_server.customer import bp as customer_pages
from generators.aa_server.fetch_limits import check_fetch_limit
from generators.aa_server.notify import notify_fi_ready
from generators.aa_server.persist import load_into, save
from generators.aa_server.state import FAULTS, KID, consent_by_id, new_state, signing_key
from pipeline.aa import jws
from pipeline.aa.consent_request import check_fetch
from pipeline.aa.crypto import AAError, check_key_material, encrypt, new_ephemeral_key
from pipeline.aa.journey import LOCAL_HANDLE_SUFFIX as HANDLE_SUFFIX
from pipeline.aa.timestamps import iso_z
from pipeline.config import load_config

__all__ = ["FAULTS", "create_aa_app"]
FAULT_MOVES = (("paused", "PAUSED"), ("revoked", "REVOKED"))   # the customer acts just before the FI request


def _customer_of(handle: str) -> str:
    return handle[: -len(HANDLE_SUFFIX)].upper() if handle.endswith(HANDLE_SUFFIX) else ""


def _client_id() -> str:
    return request.headers.get("client_id") or request.headers.get("client-id") or ""


def create_aa_app(fiu_keys: dict[str, str] | None = None, config: dict | None = None,
                  as_of: dt.date | None = None, fiu_urls: dict[str, str] | None = None,
                  state_dir: Path | str | None = None) -> Flask:
    """The local AA as a Flask app. ``fiu_keys`` maps a client id to its RSA public key (PEM); requests from a
    client not listed, or not signed by its key, are refused. ``fiu_urls`` maps a client id to the base URL of its
    notification endpoints; a client without one is not notified. With ``state_dir`` the AA keeps its key and
    consents there across restarts (:mod:`.persist`)."""
    app = Flask("local_aa")
    state = new_state(fiu_keys or {}, config or load_config(), as_of or dt.date.today().replace(day=1),
                      fiu_urls or {})
    if state_dir is not None:
        load_into(state, Path(state_dir))

        @app.after_request
        def _remember(response: Response) -> Response:
            if request.method == "POST":
                save(state)
            return response
    app.extensions["local_aa"] = state
    app.register_blueprint(customer_pages)
    app.register_blueprint(admin_pages)

    def reply(body: dict, status: int = 200) -> Response:
        """A JSON response signed by the AA (or by an impostor under ``bad_signature``)."""
        data = orjson.dumps(body)
        resp = Response(data, status=status, mimetype="application/json")
        resp.headers["x-jws-signature"] = jws.sign(data, signing_key(state), kid=KID)
        return resp

    def error(code: str, message: str, status: int) -> Response:
        """A signed ReBIT error body (``errorCode``, ``errorMsg``)."""
        return reply({"ver": "2.0.0", "timestamp": iso_z(state["now"]()), "txnid": str(uuid.uuid4()),
                      "errorCode": code, "errorMsg": message}, status)

    def answer(body: dict, **fields) -> Response:
        """A signed reply echoing the request's ``txnid``."""
        return reply({"ver": "2.0.0", "timestamp": iso_z(state["now"]()), "txnid": body.get("txnid"), **fields})

    def signed_body() -> dict:
        """The request body, once its client and signature check out (or the refusal, aborted)."""
        key = state["fiu_keys"].get(_client_id())
        if key is None:
            abort(error("Unauthorized", f"unknown client_id {_client_id()!r}", 401))
        try:
            jws.verify(request.get_data(), request.headers.get("x-jws-signature"), key)
        except AAError as exc:
            abort(error("SignatureDoesNotMatch", str(exc), 401))
        try:
            body = orjson.loads(request.get_data())
        except orjson.JSONDecodeError:
            abort(error("InvalidRequest", "the body is not JSON", 400))
        if "timeout" in state["faults"]:
            time.sleep(state["timeout_s"])
        return body

    @app.get("/keys")
    def keys():
        """The AA's public signing key, as the Central Registry would publish it."""
        return {"keys": [{"kid": KID, "alg": "RS256", "pem": state["public"]}]}

    @app.get("/health")
    def health():
        """Liveness, for ``make run`` to wait on."""
        return {"status": "ok"}

    @app.post("/Consent")
    def consent():
        """ReBIT ``POST /Consent``: record the request (and who asked) as PENDING; answer its handle."""
        body = signed_body()
        detail = body.get("ConsentDetail") or {}
        handle_of_customer = ((detail.get("Customer") or {}).get("id") or "")
        if not _customer_of(handle_of_customer):
            return error("InvalidRequest", "Customer.id is not a handle of this AA", 400)
        handle = str(uuid.uuid4())
        state["consents"][handle] = {"handle": handle, "detail": detail, "status": "PENDING", "consent_id": None,
                                     "customer": _customer_of(handle_of_customer), "client_id": _client_id(),
                                     "fetched_at": []}
        return answer(body, Customer={"id": handle_of_customer}, ConsentHandle=handle)

    @app.post("/Consent/handle")
    def consent_status():
        """ReBIT ``POST /Consent/handle``: the request's status and, once approved, its ``consentId``."""
        body = signed_body()
        c = state["consents"].get(str(body.get("ConsentHandle")))
        if c is None:
            return error("InvalidConsentHandle", "no such consent handle", 404)
        return answer(body, ConsentHandle=body.get("ConsentHandle"),
                      ConsentStatus={"id": c["consent_id"], "status": c["status"]})

    @app.post("/Consent/fetch")
    def consent_fetch():
        """ReBIT ``POST /Consent/fetch``: the artefact, its ``ConsentDetail`` signed by the AA."""
        body = signed_body()
        c = consent_by_id(state, body.get("consentId"))
        if c is None:
            return error("InvalidConsentId", "no such consent id", 404)
        signed = jws.sign(orjson.dumps(c["detail"]), state["private"], kid=KID)
        return answer(body, consentId=c["consent_id"], status=c["status"], ConsentDetail=c["detail"],
                      signedConsent=signed)

    @app.post("/FI/request")
    def fi_request():
        """ReBIT ``POST /FI/request``: open a session if the consent is ACTIVE, covers the request and allows
        another fetch; tell the FIU the data is ready."""
        body = signed_body()
        c = consent_by_id(state, (body.get("Consent") or {}).get("id"))
        if c is None:
            return error("InvalidConsentId", "no such consent id", 404)
        for fault, status in FAULT_MOVES:
            if fault in state["faults"] and can_move(c, status):
                move(state, c, status)
        if c["status"] != "ACTIVE":
            return error("ConsentNotActive", f"the consent is {c['status']}", 403)
        rng = body.get("FIDataRange") or {}
        now = state["now"]()
        try:
            check_fetch(c["detail"], c["detail"].get("fiTypes", []), rng.get("from", ""), rng.get("to", ""), now)
            check_key_material(body.get("KeyMaterial") or {})
        except AAError as exc:
            return error("InvalidRequest", str(exc), 400)
        with state["lock"]:
            try:
                check_fetch_limit(c["detail"], c["fetched_at"], now)
            except AAError as exc:
                return error(exc.code, str(exc), 429)
            c["fetched_at"].append(now)
        session = str(uuid.uuid4())
        state["sessions"][session] = {"consent": c, "key_material": body["KeyMaterial"]}
        notify_fi_ready(state, c, session)
        return answer(body, consentId=c["consent_id"], sessionId=session)

    @app.post("/FI/fetch")
    def fi_fetch():
        """ReBIT ``POST /FI/fetch``: the FIP's documents for the session, encrypted for the FIU's key."""
        body = signed_body()
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
        return answer(body, FI=[{"fipID": "LOCAL-FIP", "data": data, "KeyMaterial": fip.key_material}])

    return app
