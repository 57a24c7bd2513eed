"""Scoped tokens, endpoint by endpoint: every route that touches one customer refuses a customer outside the
token's scope (403 ``out_of_scope`` naming the field) and serves one inside it; lists show only the scope.

The walk is over the app's url_map, so a new endpoint fails ``test_every_endpoint_is_classified`` until it is
listed here as taking a customer (with a request that names one), listing customers, or touching none.
"""
import pytest

from api_panel.auth import TokenStore
from api_panel.scopes import ScopeError, parse_scope
from monitoring.loans import load_loans
from pipeline.config import load_config
from tests.api_panel.conftest import auth

IN, OUT, NO_BRANCH = "CUST_API_00001", "CUST_API_00003", "CUST_API_00002"
BRANCHES = {IN: "BLR01", OUT: "MUM01"}  # NO_BRANCH has none on record
SCOPE = "branch:BLR01"


@pytest.fixture()
def scoped_lake(lake):
    """The test lake with IN in branch BLR01, OUT in MUM01 and NO_BRANCH without a branch on record (as the
    generator writes customer.json), a job and a loan for IN and OUT."""
    for customer_id in (IN, OUT, NO_BRANCH):
        path = lake.customer_meta_path(customer_id)
        meta = {k: v for k, v in lake.read_json(path).items() if k != "branch"}
        if customer_id in BRANCHES:
            meta["branch"] = BRANCHES[customer_id]
        lake.write_json(path, meta)
    for customer_id in (IN, OUT):  # what a finished job leaves in the lake (a restarted server reads it)
        lake.write_json(lake.job_path(customer_id, f"job_{customer_id[-5:]}00000000000"),
                        {"job_id": f"job_{customer_id[-5:]}00000000000", "customer_id": customer_id,
                         "step": "analyze", "steps": ["analyze"], "status": "done", "requested_by": "test-analyst",
                         "log": []})
    return lake


@pytest.fixture()
def scoped(scoped_lake):
    """Tokens of every role scoped to branch BLR01 (IN only), and an unscoped admin."""
    store = TokenStore(scoped_lake)
    tokens = {role: store.create(role, f"scoped-{role}", scope=parse_scope(SCOPE))
              for role in ("officer", "analyst", "admin")}
    tokens["unscoped"] = store.create("admin", "unscoped-admin")
    return tokens


def _job(customer_id):
    return f"job_{customer_id[-5:]}00000000000"


def _loan(lake, customer_id):
    loans = [loan for loan in load_loans(lake, config=load_config()) if loan["customer_id"] == customer_id]
    assert loans, f"the generated {customer_id} has no booked loan"
    return loans[0]


def _consent(client, tokens, customer_id):
    body = client.get(f"/api/consents?customer_id={customer_id}", headers=auth(tokens["unscoped"])).get_json()
    return body["consents"][-1]["consentId"]


def _event(lake, customer_id):
    loan = _loan(lake, customer_id)
    row = loan["schedule"][0]
    return {"events": [{"event_id": f"T-{loan['loan_id']}-0", "loan_id": loan["loan_id"], "customer_id": customer_id,
                        "due_date": row["due_date"], "amount_due": row["amount"], "channel": "ENACH",
                        "status": "PAID", "ts": f"{row['due_date']}T11:00:00+05:30",
                        "paid_at": f"{row['due_date']}T11:00:00+05:30", "amount_paid": row["amount"]}]}


def _query(path):
    """A GET naming the customer in the query string."""
    return lambda c, **_: ("GET", f"{path}?customer_id={c}", None, "customer_id")


QUERY_GETS = {
    "analytics.analytics_bundle": "/api/analytics", "analytics.credit_score": "/api/credit-score",
    "analytics.signals": "/api/signals", "analytics.risk_model": "/api/risk-model",
    "analytics.cashflow_forecast": "/api/forecast", "analytics.reconciliation": "/api/reconciliation",
    "analytics.recommendations": "/api/recommendations", "analytics.smart_collect": "/api/smart-collect",
    "analytics.decision": "/api/decision", "analytics.anomalies": "/api/anomalies",
    "profile.identity": "/api/customer-identity", "profile.customer_profile": "/api/customer-profile",
    "profile.transactions": "/api/transactions", "datasets.dataset": "/api/datasets/clean/transactions",
    "consents.list_consents": "/api/consents", "audit.audit": "/api/audit", "aa.journey": "/api/aa/consents",
    "monitoring.customer_loans": "/api/loans", "decisions.history": "/api/case-history",
    "memo.credit_memo": "/api/credit-memo",
    "analytics.analytics_document_view": "/api/analytics/credit_score",
    "analytics.analytics_list_page": "/api/analytics/reconciliation/matches",
}
# endpoint -> (method, url, json body, field named in the refusal) for a customer; the lake and client let a
# request name an object (job, loan, consent) of that customer instead of the customer itself
PER_CUSTOMER = {
    **{endpoint: _query(path) for endpoint, path in QUERY_GETS.items()},
    # a valid step for the customer; inside the scope the job starts (202) and is waited for
    "pipeline.run_step": lambda c, **_: ("POST", "/api/pipeline/analyze", {"customer_id": c}, "customer_id"),
    # inputs are checked first (their declaration), then the scope; inside it a one-step batch starts and is waited for
    "pipeline.run_batch": lambda c, **_: ("POST", "/api/pipeline/batch",
                                          {"customer_ids": [c], "steps": ["score"], "workers": 1}, "customer_ids[0]"),
    "pipeline.job_state": lambda c, **_: ("GET", f"/api/jobs/{_job(c)}", None, "job_id"),
    "consents.create_consent": lambda c, **_: ("POST", "/api/consents", {"customer_id": c}, "customer_id"),
    "consents.revoke_consent": lambda c, client, tokens, **_: (
        "POST", f"/api/consents/{_consent(client, tokens, c)}/revoke", None, "consent_id"),
    "insights.ai_insights": lambda c, **_: ("POST", "/api/ai-insights", {"customer_id": c}, "customer_id"),
    # inside the scope the AA consent job starts (no AA listens in tests: it fails fast) and is waited for
    "aa.request_consent": lambda c, **_: ("POST", "/api/aa/consents", {"customer_id": c, "purpose": "104"},
                                          "customer_id"),
    "aa.fetch": lambda c, **_: ("POST", "/api/aa/fetch", {"customer_id": c}, "customer_id"),
    "monitoring.post_repayment_events": lambda c, lake, **_: ("POST", "/api/events/repayments", _event(lake, c),
                                                              "events[0].loan_id"),
    "monitoring.loan_risk_history": lambda c, lake, **_: (
        "GET", f"/api/loans/{_loan(lake, c)['loan_id']}/risk-history", None, "loan_id"),
    "acceptances.accept_product": lambda c, **_: ("POST", "/api/loans", {"customer_id": c, "product_id": "P1"},
                                                  "customer_id"),
    "decisions.record_decision": lambda c, **_: ("POST", "/api/officer-decisions",
                                                 {"customer_id": c, "decision": "APPROVE"}, "customer_id"),
}
LISTS = {"customers.list_customers", "cases.list_cases", "monitoring.portfolio",  # tested below
         "warehouse.list_views", "warehouse.get_view"}  # tests/api_panel/test_portfolio_views_api.py
NO_CUSTOMER = {
    "health.health", "health.whoami", "health.openapi", "analytics.methodology", "dashboard",
    "aa_callbacks.consent_notification", "aa_callbacks.fi_notification",  # the AA signs these; no token, no scope
    "model_health.model_health",  # population figures (PSI by month) of the whole book, no customer's data
}


def test_every_endpoint_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    unclassified = endpoints - set(PER_CUSTOMER) - LISTS - NO_CUSTOMER
    assert not unclassified, f"say how these endpoints respect token scopes: {sorted(unclassified)}"
    assert not (set(PER_CUSTOMER) | LISTS | NO_CUSTOMER) - endpoints, "a listed endpoint no longer exists"


def _call(client, token, request):
    method, url, body, _field = request
    return client.open(url, method=method, json=body, headers=auth(token))


@pytest.mark.parametrize("endpoint", sorted(PER_CUSTOMER))
def test_a_scoped_token_is_refused_outside_its_scope_and_served_inside(endpoint, app, client, scoped, scoped_lake):
    build = PER_CUSTOMER[endpoint]
    business = scoped_lake.read_json(scoped_lake.customer_meta_path(OUT))["business_name"]
    outside = build(OUT, lake=scoped_lake, client=client, tokens=scoped)
    refused = _call(client, scoped["admin"], outside)
    assert refused.status_code == 403, refused.get_data(as_text=True)[:300]
    body = refused.get_json()
    assert set(body) == {"error", "message", "field"}
    assert body["error"] == "out_of_scope" and body["field"] == outside[3]
    assert business not in refused.get_data(as_text=True)  # nothing of the customer's data leaks
    inside = build(IN, lake=scoped_lake, client=client, tokens=scoped)
    served = _call(client, scoped["admin"], inside)
    assert served.status_code < 500
    assert (served.get_json(silent=True) or {}).get("error") != "out_of_scope", served.get_json(silent=True)
    if served.status_code == 202:  # a job was started inside the scope: let it end before the lake goes away
        assert app.extensions["jobs"].wait(served.get_json()["job_id"], 300)
    if endpoint == "consents.revoke_consent":
        assert served.status_code == 200  # revoked and erased: nothing was refused


def test_refusals_come_before_existence(client, scoped):
    """An id the lake does not know is out of scope for a scoped token, unless the scope names it: whether a
    customer exists is itself not the token's business."""
    unknown = "CUST_ZZZ_00042"
    body = client.get(f"/api/analytics?customer_id={unknown}", headers=auth(scoped["officer"])).get_json()
    assert body["error"] == "out_of_scope"
    body = client.get(f"/api/analytics?customer_id={unknown}", headers=auth(scoped["unscoped"])).get_json()
    assert body["error"] == "customer_not_found"


def test_lists_show_only_the_scope(client, scoped, scoped_lake):
    customers = client.get("/api/customers", headers=auth(scoped["officer"])).get_json()
    assert [c["customer_id"] for c in customers["customers"]] == [IN] and customers["count"] == 1
    everyone = client.get("/api/customers", headers=auth(scoped["unscoped"])).get_json()
    assert {c["customer_id"] for c in everyone["customers"]} == {IN, OUT, NO_BRANCH}
    cases = client.get("/api/cases", headers=auth(scoped["officer"])).get_json()
    assert [c["customer_id"] for c in cases["cases"]] == [IN]
    portfolio = client.get("/api/portfolio", headers=auth(scoped["analyst"])).get_json()
    whole = client.get("/api/portfolio", headers=auth(scoped["unscoped"])).get_json()
    assert {row["customer_id"] for row in whole["loans"]} >= {IN, OUT}  # both consent to monitoring
    assert {row["customer_id"] for row in portfolio["loans"]} == {IN}
    assert portfolio["customers"] == 1


def test_a_customer_scope_and_no_branch_on_record(app, client, scoped_lake):
    store = app.extensions["token_store"]  # the app's store: its cache knows the new tokens at once
    token = store.create("officer", "named", scope=parse_scope(f"customer:{NO_BRANCH}"))
    rows = client.get("/api/customers", headers=auth(token)).get_json()["customers"]
    assert [r["customer_id"] for r in rows] == [NO_BRANCH]
    assert client.get(f"/api/analytics?customer_id={NO_BRANCH}", headers=auth(token)).status_code == 200
    # a branch scope never sees a customer without a branch on record
    branch = store.create("officer", "branch", scope=parse_scope("branch:BLR01,branch:MUM01"))
    rows = client.get("/api/customers", headers=auth(branch)).get_json()["customers"]
    assert [r["customer_id"] for r in rows] == [IN, OUT]


def test_batch_all_runs_only_the_scope(app, client, scoped):
    response = client.post("/api/pipeline/batch", json={"all": True, "steps": ["analyze"], "workers": 1},
                           headers=auth(scoped["analyst"]))
    assert response.status_code == 202, response.get_json()
    job = response.get_json()
    assert job["customers"] == 1
    assert app.extensions["jobs"].wait(job["job_id"], 300)
    state = client.get(f"/api/jobs/{job['job_id']}", headers=auth(scoped["analyst"])).get_json()
    assert state["progress"]["total"] == 1 and state["status"] == "done", state
    # another scoped token may not read this batch; the unscoped admin may
    other = app.extensions["token_store"].create("analyst", "other", scope=parse_scope(SCOPE))
    refused = client.get(f"/api/jobs/{job['job_id']}", headers=auth(other)).get_json()
    assert refused["error"] == "out_of_scope" and refused["field"] == "job_id"
    assert client.get(f"/api/jobs/{job['job_id']}", headers=auth(scoped["unscoped"])).status_code == 200


def test_a_batch_naming_one_customer_outside_is_refused_whole(client, scoped):
    body = client.post("/api/pipeline/batch", json={"customer_ids": [IN, OUT]},
                       headers=auth(scoped["analyst"])).get_json()
    assert body["error"] == "out_of_scope" and body["field"] == "customer_ids[1]"


def test_whoami_shows_the_scope(client, scoped):
    assert client.get("/api/whoami", headers=auth(scoped["officer"])).get_json() == \
        {"role": "officer", "label": "scoped-officer", "scope": ["branch:BLR01"]}
    assert client.get("/api/whoami", headers=auth(scoped["unscoped"])).get_json()["scope"] is None


def test_config_scopes_by_label_win_and_bad_ones_stop_the_app(scoped_lake):
    from api_panel import create_app

    store = TokenStore(scoped_lake)
    token = store.create("officer", "branch-blr")  # unscoped as stored
    app = create_app({"TESTING": True, "LAKE_ROOT": str(scoped_lake.root),
                      "TOKEN_SCOPES": {"branch-blr": f"customer:{OUT}"}})
    client = app.test_client()
    assert client.get("/api/whoami", headers=auth(token)).get_json()["scope"] == [f"customer:{OUT}"]
    assert client.get(f"/api/analytics?customer_id={IN}", headers=auth(token)).get_json()["error"] == "out_of_scope"
    with pytest.raises(ScopeError, match=r"token_scopes\['branch-blr'\].*branch code"):
        create_app({"TESTING": True, "LAKE_ROOT": str(scoped_lake.root),
                    "TOKEN_SCOPES": {"branch-blr": "branch:blr-01"}})


@pytest.mark.parametrize("text, message", [
    ("", "empty"), ("branch:", "branch code"), ("branch:blr01", "branch code"), ("region:south", "branch:<code>"),
    ("customer:CUST_1", "CUST_XXX_NNNNN"), ("BLR01", "branch:<code>"), ("customer:../../etc", "CUST_XXX_NNNNN"),
])
def test_bad_scope_syntax_is_rejected(text, message):
    with pytest.raises(ScopeError, match=message):
        parse_scope(text)


def test_scope_syntax_merges_repeated_items():
    scope = parse_scope(["branch:BLR01, customer:CUST_MSM_00003", "branch:MUM01,branch:BLR01"])
    assert scope.items() == ["branch:BLR01", "branch:MUM01", "customer:CUST_MSM_00003"]


def test_a_stored_scope_that_cannot_be_read_closes_the_token(scoped_lake, client):
    """A hand-edited tokens.json with a broken scope must not widen the token into the whole book."""
    store = TokenStore(scoped_lake)
    token = store.create("officer", "edited", scope=parse_scope(SCOPE))
    rows = scoped_lake.read_json(scoped_lake.token_store_path)
    for row in rows:
        if row["label"] == "edited":
            row["scope"] = ["branch:../../x"]
    scoped_lake.write_json(scoped_lake.token_store_path, rows)
    assert client.get("/api/whoami", headers=auth(token)).status_code == 401


def test_socket_join_respects_the_scope_and_out_of_scope_events_never_arrive(app, client, scoped, scoped_lake):
    from api_panel.extensions import socketio

    scoped_sock = socketio.test_client(app, flask_test_client=client, auth={"token": scoped["analyst"]})
    watcher = socketio.test_client(app, flask_test_client=client, auth={"token": scoped["unscoped"]})
    refused = scoped_sock.emit("join", {"customer_id": OUT}, callback=True)
    assert refused["ok"] is False and refused["error"] == "out_of_scope" and refused["field"] == "customer_id"
    assert scoped_sock.emit("join", {"customer_id": IN}, callback=True)["ok"] is True
    for room in ("join_batch", "join_portfolio"):  # whole-book rooms
        assert scoped_sock.emit(room, {}, callback=True)["error"] == "out_of_scope"
    assert watcher.emit("join", {"customer_id": OUT}, callback=True)["ok"] is True
    audit = [e for e in scoped_lake.read_audit(OUT) if e["action"].startswith("socket_join")]
    assert [(e["action"], e["who"]) for e in audit] == [("socket_join_refused", "scoped-analyst"),
                                                        ("socket_join", "unscoped-admin")]
    scoped_sock.get_received(), watcher.get_received()
    job = client.post("/api/pipeline/analyze", json={"customer_id": OUT}, headers=auth(scoped["unscoped"])).get_json()
    assert app.extensions["jobs"].wait(job["job_id"], 300)
    seen = {e["args"][0].get("customer_id") for e in watcher.get_received() if e["name"].startswith("pipeline_")}
    assert seen == {OUT}  # the unscoped watcher got the job's events...
    leaked = [e for e in scoped_sock.get_received() if OUT in str(e["args"])]
    assert leaked == []  # ...the scoped socket none of them


def test_a_socket_whose_scope_changed_is_dropped(app, client, scoped, scoped_lake):
    from api_panel.extensions import socketio
    from api_panel.socket_sessions import drop_revoked_sockets

    sock = socketio.test_client(app, flask_test_client=client, auth={"token": scoped["analyst"]})
    steady = socketio.test_client(app, flask_test_client=client, auth={"token": scoped["officer"]})
    assert drop_revoked_sockets(app) == []
    rows = scoped_lake.read_json(scoped_lake.token_store_path)
    for row in rows:
        if row["label"] == "scoped-analyst":
            row["scope"] = [f"customer:{OUT}"]  # moved to another customer: its joined rooms are stale
    scoped_lake.write_json(scoped_lake.token_store_path, rows)
    app.extensions["token_store"].reload()  # else re-read within a second, as the sweep would
    assert len(drop_revoked_sockets(app)) == 1
    assert not sock.is_connected() and steady.is_connected()
