"""The demo customers arrive through the local Account Aggregator over HTTP, as a lender's customers would.

``python -m pipeline prepare-demo`` (``make run``) does, for each demo customer: ask the AA for a monitoring
consent (purpose 104, PERIODIC, DEPOSIT and GSTR1_3B), approve it on the AA's page as the simulated customer
would, follow its status until the approved consent joins the registry, generate the sources an AA does not
deliver (bureau, mutual funds, insurance, OCEN, ONDC), fetch the bank account and GST returns under the
consent (signed requests, encrypted data, decrypted and imported), then clean, analyse and score. A customer
whose consent is still ACTIVE at the AA is fetched again under it; one the AA no longer honours (fetch limit,
the AA restarted without its state) gets a new consent.

The demo customers exist only at the local FIP, so the preparation serves a local AA itself for its length
(:func:`local_aa`), keeping the AA's state in ``.aa/local_aa`` so the AA ``make run`` starts afterwards knows
the same consents; the FIU's identity and key are the configured ones (``AA_CLIENT_ID``, ``.aa/``).
"""
from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from urllib.parse import urlparse

import httpx

from pipeline.aa.client import FIUClient
from pipeline.aa.errors import AAError
from pipeline.aa.journey import (LOCAL_AA, PROJECT_ROOT, AASettings, client_for, fetch_into_lake, follow_status,
                                 handle_for, public_key_path, request_consent, signing_key)
from pipeline.aa.records import read_record
from pipeline.consents import ConsentRegistry
from pipeline.lake import Lake

DEMO_PURPOSE = "104"
DEMO_FI_TYPES = ["DEPOSIT", "GSTR1_3B"]
AA_SOURCES = ("accounts", "transactions", "gst_returns")   # what DEPOSIT and GSTR1_3B deliver
LOCAL_AA_STATE = PROJECT_ROOT / ".aa" / "local_aa"


def _free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


@contextmanager
def local_aa(settings: AASettings, config: dict, as_of) -> Iterator[FIUClient]:
    """A local AA served from this process for the length of the preparation, and the FIU's client for it.

    It listens on the local AA's usual port (:data:`pipeline.aa.journey.LOCAL_AA`) when that is free, so the
    approval links it hands out stay valid for the AA ``make run`` starts next, else on any free port; its
    consents and key persist in ``.aa/local_aa``.
    """
    from werkzeug.serving import make_server   # noqa: PLC0415 - only when we serve the AA ourselves

    from generators.aa_server import create_aa_app   # noqa: PLC0415 - the local AA, only for the demo

    signing_key(settings)
    public = public_key_path(settings).read_text("utf-8")
    app = create_aa_app({settings.client_id: public}, config, as_of, state_dir=LOCAL_AA_STATE)
    usual = urlparse(LOCAL_AA)
    port = usual.port if _free(usual.hostname, usual.port) else 0
    logging.getLogger("werkzeug").setLevel(logging.WARNING)   # one line per customer, not one per request
    server = make_server(usual.hostname, port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield client_for(replace(settings, base_url=f"http://{usual.hostname}:{server.server_port}",
                                 aa_public_key_file=None))
    finally:
        server.shutdown()
        thread.join(timeout=10)


def consent_in_force(lake: Lake, customer_id: str, client: FIUClient, registry: ConsentRegistry) -> bool:
    """Whether the customer's AA consent is ACTIVE at the AA now (its state persists in ``.aa/local_aa``)."""
    record = read_record(lake, customer_id)
    if record is None or record.get("status") != "ACTIVE":
        return False
    try:
        status, _ = follow_status(lake, customer_id, client, registry)
    except AAError:
        return False
    return status.get("status") == "ACTIVE"


def consent_for_demo(lake: Lake, customer_id: str, client: FIUClient, registry: ConsentRegistry,
                     progress, fresh: bool = False) -> str:
    """An ACTIVE AA consent for a demo customer (the one in force, or a new one the customer approves);
    returns the consent id."""
    if fresh or not consent_in_force(lake, customer_id, client, registry):
        handle, url = request_consent(lake, customer_id, client, handle_for(customer_id), DEMO_PURPOSE,
                                      DEMO_FI_TYPES)
        progress("info", f"consent {handle} requested from the AA; the customer approves at {url}")
        decision = httpx.post(url, data={"decision": "approve"}, timeout=client.timeout)
        if decision.status_code != 200 or decision.json().get("status") != "ACTIVE":
            raise AAError("aa_error", f"the local AA did not approve consent {handle}: {decision.text[:200]}")
    status, record = follow_status(lake, customer_id, client, registry)
    if status.get("status") != "ACTIVE":
        raise AAError("consent_scope", f"the consent is {status.get('status')}, not ACTIVE")
    return record["consent_id"]


def fetch_demo_customer(lake: Lake, customer_id: str, client: FIUClient, progress) -> str:
    """Fetch a demo customer's bank account and GST returns under its consent; a consent the AA no longer
    honours is replaced by a new one, once. Returns the line saying what arrived."""
    registry = ConsentRegistry(lake)
    try:
        result = fetch_into_lake(lake, customer_id, client, registry)
    except AAError as exc:
        if exc.code not in ("aa_error", "consent_scope"):
            raise
        progress("warning", f"the AA refused a fetch under the consent in force ({exc}); asking for a new one")
        consent_for_demo(lake, customer_id, client, registry, progress, fresh=True)
        result = fetch_into_lake(lake, customer_id, client, registry)
    return (f"fetched {len(result.accounts)} account(s), {len(result.transactions)} transaction(s) and "
            f"{len(result.gst_returns)} GST return(s) through the AA")
