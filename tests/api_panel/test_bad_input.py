"""Odd inputs to every endpoint: always a 4xx JSON error naming the problem, never a 500, never the disk."""
import json

import pytest

from api_panel.openapi import build_openapi
from tests.api_panel.conftest import auth

BAD_IDS = ["../etc/passwd", "..%2F..%2Fetc", "CUST_MSM_1", "cust_api_00001", "CUST_API_00001/../../x", "%00",
           "' OR 1=1 --", "A" * 5000, "CUST_API_0000１"]
GET_WITH_CUSTOMER = ["/api/analytics", "/api/customer-profile", "/api/credit-score", "/api/risk-model",
                     "/api/forecast", "/api/reconciliation", "/api/anomalies", "/api/recommendations",
                     "/api/smart-collect", "/api/consents", "/api/audit", "/api/transactions",
                     "/api/datasets/raw/transactions", "/api/datasets/quarantine/gst_returns",
                     "/api/decision", "/api/case-history", "/api/credit-memo", "/api/customer-identity",
                     "/api/analytics/reconciliation", "/api/analytics/reconciliation/matches"]
POSTS = ["/api/pipeline/generate", "/api/pipeline/run_all", "/api/ai-insights", "/api/consents",
         "/api/officer-decisions"]


def assert_json_error(response, status=None):
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    assert response.status_code >= 400
    body = response.get_json()
    assert set(body) >= {"error", "message"} and "Traceback" not in body["message"]
    if status:
        assert response.status_code == status, body


def test_every_registered_route_is_in_the_openapi_document(app, client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        path = "/".join(p.split(":")[-1] if p.startswith("{") else p for p in path.split("/"))
        path = path.replace("{", "{").replace("}", "}")
        assert path in spec["paths"], path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = spec["paths"][path][method.lower()]
            assert operation["summary"] and operation["responses"]
    assert build_openapi(app) == spec


@pytest.mark.parametrize("path", GET_WITH_CUSTOMER)
@pytest.mark.parametrize("bad", BAD_IDS)
def test_malformed_ids_are_400_and_never_touch_the_disk(client, tokens, lake, path, bad):
    before = sorted(p.relative_to(lake.root) for p in lake.root.rglob("*") if "audit" not in p.parts)
    response = client.get(path, query_string={"customer_id": bad}, headers=auth(tokens["admin"]))
    assert_json_error(response, 400)
    assert response.get_json()["field"] == "customer_id"
    after = sorted(p.relative_to(lake.root) for p in lake.root.rglob("*") if "audit" not in p.parts)
    assert before == after


@pytest.mark.parametrize("path", GET_WITH_CUSTOMER)
def test_missing_and_unknown_customers(client, tokens, path):
    assert_json_error(client.get(path, headers=auth(tokens["admin"])), 400)
    assert_json_error(client.get(path, query_string={"customer_id": "CUST_ZZZ_99999"}, headers=auth(tokens["admin"])), 404)


@pytest.mark.parametrize("path", POSTS)
def test_post_bodies(client, tokens, path):
    headers = auth(tokens["admin"])
    assert_json_error(client.post(path, data="customer_id=CUST_API_00001", headers=headers), 415)
    assert_json_error(client.post(path, data="{not json", headers=headers, content_type="application/json"), 400)
    for body in ([], "text", 12, None, {"customer_id": 123}, {"customer_id": ["CUST_API_00001"]}, {}):
        response = client.post(path, data=json.dumps(body), headers=headers, content_type="application/json")
        assert_json_error(response, 400)
    huge = {"customer_id": "CUST_API_00001", "padding": "x" * 200_000}
    assert_json_error(client.post(path, json=huge, headers=headers), 413)


def test_unknown_steps_layers_and_sources(client, tokens):
    headers = auth(tokens["admin"])
    assert_json_error(client.post("/api/pipeline/fly", json={"customer_id": "CUST_API_00001"}, headers=headers), 404)
    assert_json_error(client.get("/api/datasets/secret/transactions?customer_id=CUST_API_00001", headers=headers), 404)
    assert_json_error(client.get("/api/datasets/raw/passwd?customer_id=CUST_API_00001", headers=headers), 404)
    assert_json_error(client.get("/api/datasets/raw/..%2F..%2Fetc?customer_id=CUST_API_00001", headers=headers), 404)
    assert_json_error(client.get("/api/jobs/../../etc", headers=headers), 404)
    assert_json_error(client.get("/api/nothing-here", headers=headers), 404)


def test_limits_are_capped_and_checked(client, tokens):
    headers = auth(tokens["admin"])
    page = client.get("/api/datasets/clean/transactions?customer_id=CUST_API_00001&limit=99999999", headers=headers)
    assert page.status_code == 200 and page.get_json()["limit"] == 500 and len(page.get_json()["items"]) <= 500
    for bad in ("-1", "abc", "1e9", "0"):
        response = client.get(f"/api/datasets/clean/transactions?customer_id=CUST_API_00001&limit={bad}", headers=headers)
        assert_json_error(response, 400)
        assert response.get_json()["field"] == "limit"
    assert_json_error(client.get("/api/transactions?customer_id=CUST_API_00001&sort=__class__", headers=headers), 400)


def test_quarantine_pages_carry_their_reasons(client, tokens):
    response = client.get("/api/datasets/quarantine/transactions?customer_id=CUST_API_00003&limit=5",
                          headers=auth(tokens["analyst"]))
    body = response.get_json()
    assert response.status_code == 200 and body["total"] > 0
    assert all(item["reasons"] and item["raw"] for item in body["items"])


def test_consent_requests_name_the_bad_field(client, tokens):
    headers = auth(tokens["admin"])
    for body, field in (({"customer_id": "CUST_API_00001", "purpose": "999"}, "purpose"),
                        ({"customer_id": "CUST_API_00001", "fiTypes": "DEPOSIT"}, "fiTypes"),
                        ({"customer_id": "CUST_API_00001", "dataRangeMonths": "many"}, "dataRangeMonths")):
        response = client.post("/api/consents", json=body, headers=headers)
        assert_json_error(response, 400)
        assert response.get_json()["field"] == field


def test_the_bundle_can_be_narrowed_to_named_documents(client, tokens):
    headers = auth(tokens["officer"])
    body = client.get("/api/analytics?customer_id=CUST_API_00001&names=overall_summary,credit_score",
                      headers=headers).get_json()
    assert set(body) == {"customer_id", "missing", "overall_summary", "credit_score"}
    bad = client.get("/api/analytics?customer_id=CUST_API_00001&names=../../etc", headers=headers)
    assert_json_error(bad, 400)
    assert bad.get_json()["field"] == "names"


def test_transaction_pages_carry_the_taxonomy_group_and_leaf(client, tokens):
    from analytics.bank.categorise.taxonomy import GROUPS, leaves
    response = client.get("/api/transactions?customer_id=CUST_API_00001&limit=50", headers=auth(tokens["officer"]))
    items = response.get_json()["items"]
    assert response.status_code == 200 and len(items) == 50
    assert all(item["group"] in GROUPS and leaves()[item["category_leaf"]]["group"] == item["group"]
               for item in items)
