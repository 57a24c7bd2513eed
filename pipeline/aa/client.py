"""The FIU's HTTP client for an Account Aggregator (ReBIT AA API 2.0.0), and the fetch into the lake.

Every request body is signed (detached JWS, ``x-jws-signature``) with the FIU's key and carries its
``client_id``/``client_api_key``; every response is verified against the AA's published key before it is read.
A timeout, a refused signature, an error reply, a tampered ciphertext or an expired key is an
:class:`~pipeline.aa.crypto.AAError` naming the cause; :func:`fetch_into_lake` decrypts and parses *every* FI
payload before it writes anything, so a fault leaves the lake as it was. Keys never appear in an error.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
import orjson

from pipeline.aa import jws
from pipeline.aa.consent_request import check_fetch
from pipeline.aa.crypto import AAError, check_key_material, decrypt, new_ephemeral_key
from pipeline.aa.timestamps import iso_z
from pipeline.aa_import import AAImportError, ImportResult, parse_aa_document


@dataclass
class FIUClient:
    """One FIU's connection to one AA: where it is, who we are, our signing key and the AA's public key."""

    base_url: str
    client_id: str
    signing_key: str
    aa_public_key: str
    api_key: str = ""
    timeout: float = 10.0

    def post(self, path: str, body: dict) -> dict:
        """POST a signed body and return the verified JSON reply; :class:`AAError` on any fault."""
        data = orjson.dumps(body)
        # the spec's names have underscores, which many HTTP servers (nginx, werkzeug) drop: send both spellings
        headers = {"content-type": "application/json", "client_id": self.client_id, "client-id": self.client_id,
                   "client_api_key": self.api_key, "client-api-key": self.api_key,
                   "x-jws-signature": jws.sign(data, self.signing_key)}
        try:
            resp = httpx.post(self.base_url.rstrip("/") + path, content=data, headers=headers, timeout=self.timeout)
        except httpx.TimeoutException:
            raise AAError("aa_timeout", f"the AA did not answer {path} within {self.timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise AAError("aa_unreachable", f"the AA could not be reached for {path}: {type(exc).__name__}") from None
        jws.verify(resp.content, resp.headers.get("x-jws-signature"), self.aa_public_key)
        try:
            reply = orjson.loads(resp.content)
        except orjson.JSONDecodeError:
            raise AAError("aa_error", f"the AA's reply to {path} is not JSON") from None
        if resp.status_code >= 400:
            raise AAError("aa_error", f"the AA refused {path}: {reply.get('errorCode')}: {reply.get('errorMsg')}")
        return reply

    def request_consent(self, consent_body: dict) -> str:
        """``POST /Consent``: the consent handle."""
        return str(self.post("/Consent", consent_body)["ConsentHandle"])

    def consent_status(self, handle: str) -> dict:
        """``POST /Consent/handle``: ``{"id", "status"}`` of a consent request."""
        reply = self.post("/Consent/handle", {"ver": "2.0.0", "timestamp": iso_z(), "txnid": str(uuid.uuid4()),
                                              "ConsentHandle": handle})
        return reply["ConsentStatus"]

    def fetch_consent(self, consent_id: str) -> dict:
        """``POST /Consent/fetch``: the consent artefact, its own signature checked too."""
        reply = self.post("/Consent/fetch", {"ver": "2.0.0", "timestamp": iso_z(), "txnid": str(uuid.uuid4()),
                                             "consentId": consent_id})
        jws.verify(orjson.dumps(reply["ConsentDetail"]), reply.get("signedConsent"), self.aa_public_key)
        return reply


def fetch_fi(client: FIUClient, consent_id: str, fi_types: list[str], date_from: str, date_to: str) -> ImportResult:
    """Fetch, decrypt and parse the FI data of an ACTIVE consent; nothing is kept unless every payload reads."""
    artefact = client.fetch_consent(consent_id)
    if artefact.get("status") != "ACTIVE":
        raise AAError("consent_scope", f"the consent is {artefact.get('status')}, not ACTIVE")
    check_fetch(artefact["ConsentDetail"], fi_types, date_from, date_to)
    ours = new_ephemeral_key()
    session = client.post("/FI/request", {
        "ver": "2.0.0", "timestamp": iso_z(), "txnid": str(uuid.uuid4()),
        "FIDataRange": {"from": date_from, "to": date_to}, "Consent": {"id": consent_id},
        "KeyMaterial": ours.key_material})["sessionId"]
    reply = client.post("/FI/fetch", {"ver": "2.0.0", "timestamp": iso_z(), "txnid": str(uuid.uuid4()),
                                      "sessionId": session})
    documents = []
    for fip in reply.get("FI") or []:
        theirs = fip.get("KeyMaterial") or {}
        public = check_key_material(theirs)
        for item in fip.get("data") or []:
            documents.append((decrypt(ours.private_pem, public, ours.nonce, str(theirs.get("Nonce", "")),
                                      str(item.get("encryptedFI", ""))), fip.get("fipID")))
    if not documents:
        raise AAError("aa_error", "the AA returned no FI data for the session")
    try:
        results = [parse_aa_document(doc, f"encryptedFI[{i}]", fip_id)
                   for i, (doc, fip_id) in enumerate(documents)]
    except AAImportError as exc:
        raise AAError("bad_fi_data", f"the decrypted FI data does not read as ReBIT FI: {exc}") from None
    return merge_results(results)


def merge_results(results: list[ImportResult]) -> ImportResult:
    """One :class:`ImportResult` for a whole fetch session (each FI document parses to its own), in order."""
    merged = ImportResult(accounts=[], transactions=[], warnings=[], fi_versions=[])
    for result in results:
        merged.accounts.extend(result.accounts)
        merged.transactions.extend(result.transactions)
        merged.gst_returns.extend(result.gst_returns)
        merged.warnings.extend(result.warnings)
        merged.consent_ids = sorted({*merged.consent_ids, *result.consent_ids})
        for fi_type, versions in result.fi_types.items():
            merged.fi_types[fi_type] = sorted({*merged.fi_types.get(fi_type, []), *versions})
    merged.fi_versions = merged.fi_types.get("DEPOSIT", [])
    return merged
