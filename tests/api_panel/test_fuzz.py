"""A schema-driven fuzz run (schemathesis) over every operation of the served document and every role.

The real server (``python -m api_panel serve``) on a lake with one analysed customer holding an active consent
(so reads reach their happy paths) and one whose consent was revoked. Cases come from the document itself,
schema-valid and schema-violating, with a fixed seed (``derandomize``) and a bounded number per operation and
role. Every response must be below 500, every error JSON ``{error, message}``, status codes, content types and
response bodies those the document declares, and a request that violates the document must be refused (4xx).

Reads reach data: a valid customer id in a query or body names the customer with data when its last digit is even (the
others stay as generated: unknown customers, 404). Jobs stay light: a valid customer id sent to an operation that starts a job is replaced with the revoked
customer, so pipeline steps and batches are refused (403) before any work starts, an AA fetch finds no journey
(404), and an AA consent request starts at most one short job at a time (409 while it runs) that fails fast
against an AA nobody serves; a batch is never sent ``all: true``.
"""
import re

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api_panel.auth import ROLES, TokenStore
from pipeline.consents import ConsentRegistry
from pipeline.lake import Lake
from tests.api_panel.conftest import auth, prepare
from tests.served import free_port, start_server, stop_server

EXAMPLES = 8  # per operation, role and generation mode
WITH_DATA, REVOKED = "CUST_FZZ_00001", "CUST_FZZ_00002"
JOBS = re.compile(r"^/api/(pipeline|aa)/")
ID = re.compile(r"^CUST_[A-Z]{3}_[0-9]{5}$")


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    """The served app, its tokens, and the document loaded by schemathesis."""
    lake = Lake(tmp_path_factory.mktemp("fuzz") / "lake")
    prepare(lake, {WITH_DATA: "baseline", REVOKED: "stable_income"})
    registry = ConsentRegistry(lake)
    for consent in registry.list(REVOKED):
        registry.set_status(REVOKED, consent["consentId"], "REVOKED")
    tokens = {role: TokenStore(lake).create(role, f"fuzz-{role}") for role in ROLES}
    proc, base = start_server(lake.root, {"AA_BASE_URL": f"http://127.0.0.1:{free_port()}"})
    yield base, tokens, schemathesis.openapi.from_url(base + "/api/openapi.json")
    stop_server(proc)


def json_errors(ctx, response, case) -> None:
    """Every error is JSON ``{error, message}`` (never an HTML page or a traceback)."""
    if response.status_code >= 400:
        assert response.headers.get("content-type", [""])[0].startswith("application/json"), response.text[:200]
        body = response.json()
        assert isinstance(body, dict) and {"error", "message"} <= set(body), body
        assert "Traceback" not in body["message"]


def aim_reads_at_data(case) -> None:
    """Half of the valid customer ids in queries and bodies become the customer with data (by their last digit)."""
    for holder in (case.query, case.body):
        value = holder.get("customer_id") if isinstance(holder, dict) else None
        if isinstance(value, str) and ID.match(value) and int(value[-1]) % 2 == 0:
            holder["customer_id"] = WITH_DATA


def keep_jobs_light(case) -> None:
    """A job-starting operation gets the revoked customer instead of a real one, and never ``all: true``."""
    if case.method != "POST" or not JOBS.match(case.path) or not isinstance(case.body, dict):
        return
    if isinstance(case.body.get("customer_id"), str) and ID.match(case.body["customer_id"]):
        case.body["customer_id"] = REVOKED
    if isinstance(case.body.get("customer_ids"), list):
        case.body["customer_ids"] = [REVOKED if isinstance(c, str) and ID.match(c) else c
                                     for c in case.body["customer_ids"]]
    if case.body.get("all") is True:
        case.body["all"] = False


def _strategy(operation):
    modes = [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)]
    try:
        modes.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    except Exception:  # noqa: BLE001 - nothing to negate (no parameters, no body)
        pass
    return st.one_of(modes)


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_every_role_within_its_contract(fuzzed, role):
    base, tokens, schema = fuzzed
    headers = auth(tokens[role])
    operations = [result.ok() for result in schema.get_all_operations()]
    document = requests.get(base + "/api/openapi.json", timeout=30).json()
    labels = {f"{m.upper()} {p}" for p, ms in document["paths"].items() for m in ms}
    # schemathesis leaves out the document it was loaded from (test_openapi.py validates that one)
    assert {o.label for o in operations} == labels - {"GET /api/openapi.json"} and len(labels) > 30
    statuses: dict[str, set[int]] = {}

    for operation in operations:
        @given(case=_strategy(operation))
        @settings(max_examples=EXAMPLES * 2, derandomize=True, deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def fuzz(case):
            aim_reads_at_data(case)
            keep_jobs_light(case)
            response = case.call_and_validate(
                base_url=base, headers=headers, timeout=60,
                checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                        response_schema_conformance, negative_data_rejection, json_errors])
            statuses.setdefault(operation.label, set()).add(response.status_code)

        fuzz()
    assert len(statuses) == len(operations)
    reached = {label for label, codes in statuses.items() if any(code < 300 for code in codes)}
    assert "GET /api/analytics" in reached
    if role == "admin":  # the happy paths were reached, not only refusals
        assert {"GET /api/analytics", "GET /api/customer-profile", "GET /api/transactions",
                "GET /api/audit", "GET /api/consents"} <= reached

