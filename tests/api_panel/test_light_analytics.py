"""The light analytics API: the bundle is a digest, long lists are paged endpoints, responses are gzip-compressed
(identical after decompression), and every page is a consent-checked, audited read."""
import gzip
import shutil

import pytest

from api_panel import create_app
from api_panel.analytics_views import MAX_PAGE, PAGED_LISTS
from api_panel.auth import TokenStore
from api_panel.compression import accepts_gzip
from api_panel.routes.analytics import BUNDLE
from pipeline.config import load_config
from pipeline.consents import ConsentRegistry
from pipeline.lake import Lake
from pipeline.runner import run_steps
from tests.api_panel.conftest import auth

CID = "CUST_API_00001"
EOD = f"/api/analytics/transaction_summary/eod_balance?customer_id={CID}"


@pytest.fixture(scope="module")
def modelled_lake(prepared_lake, tmp_path_factory):
    """The prepared lake with the score and models steps run for one customer (its reconciliation exists)."""
    root = tmp_path_factory.mktemp("light") / "lake"
    shutil.copytree(prepared_lake.root, root)
    lake = Lake(root)
    outcome = run_steps(lake, CID, ["score", "models"], load_config(), lambda *_: None, {})
    assert outcome["status"] == "done", outcome
    return lake


@pytest.fixture()
def served(modelled_lake, tmp_path):
    shutil.copytree(modelled_lake.root, tmp_path / "lake")
    lake = Lake(tmp_path / "lake")
    token = TokenStore(lake).create("officer", "test-officer")
    client = create_app({"TESTING": True, "LAKE_ROOT": str(lake.root)}).test_client()
    return lake, client, auth(token)


def test_the_bundle_is_a_digest_with_every_metric_and_links_to_the_rest(served):
    lake, client, headers = served
    response = client.get(f"/api/analytics?customer_id={CID}", headers=headers)
    assert response.status_code == 200 and len(response.data) < 150_000
    bundle = response.get_json()
    assert bundle["missing"] == []
    for name in BUNDLE:
        stored = lake.read_json(lake.analytics_path(CID, name))
        assert bundle[name].get("metrics") == stored.get("metrics"), name  # every number, with its calculation
        for key, value in stored.items():
            if isinstance(value, list):
                assert bundle[name][key]["total"] == len(value), (name, key)
            elif not isinstance(value, dict):
                assert bundle[name][key] == value, (name, key)
    recon = bundle["reconciliation"]
    assert recon["matches"]["href"] == f"/api/analytics/reconciliation/matches?customer_id={CID}"
    assert recon["monthly"]["href"] == f"/api/analytics/reconciliation?customer_id={CID}"
    # a section's link serves it whole
    linked = client.get(recon["monthly"]["href"], headers=headers).get_json()
    assert linked["monthly"] == lake.read_json(lake.analytics_path(CID, "reconciliation"))["monthly"]


def test_named_documents_come_whole_with_their_long_lists_linked(served):
    lake, client, headers = served
    body = client.get(f"/api/analytics?customer_id={CID}&names=reconciliation,credit_score", headers=headers).get_json()
    stored = lake.read_json(lake.analytics_path(CID, "reconciliation"))
    assert body["credit_score"] == lake.read_json(lake.analytics_path(CID, "credit_score"))
    for key in PAGED_LISTS["reconciliation"]:
        assert body["reconciliation"][key] == {"total": len(stored[key]),
                                               "href": f"/api/analytics/reconciliation/{key}?customer_id={CID}"}
    assert body["reconciliation"]["monthly"] == stored["monthly"]
    single = client.get(f"/api/reconciliation?customer_id={CID}", headers=headers).get_json()
    assert single == body["reconciliation"]
    assert client.get(f"/api/analytics/reconciliation?customer_id={CID}", headers=headers).get_json() == single


@pytest.mark.parametrize("document, list_name", [(d, k) for d, keys in PAGED_LISTS.items() for k in keys])
def test_walking_the_pages_gives_back_the_stored_list_in_order(served, document, list_name):
    lake, client, headers = served
    stored = lake.read_json(lake.analytics_path(CID, document))[list_name]
    limit = max(1, len(stored) // 3)
    got, offset = [], 0
    while True:
        page = client.get(f"/api/analytics/{document}/{list_name}?customer_id={CID}&limit={limit}&offset={offset}",
                          headers=headers).get_json()
        assert page["total"] == len(stored) and page["limit"] == limit and page["offset"] == offset
        if not page["items"]:
            break
        got += page["items"]
        offset += limit
    assert got == stored


def test_the_page_size_is_bounded_and_bad_paging_names_the_field(served):
    _, client, headers = served
    first = client.get(EOD, headers=headers).get_json()
    assert first["limit"] == 100 and first["offset"] == 0 and len(first["items"]) == min(100, first["total"])
    assert client.get(EOD + "&limit=100000", headers=headers).get_json()["limit"] == MAX_PAGE
    beyond = client.get(EOD + f"&offset={first['total']}", headers=headers).get_json()
    assert beyond["items"] == [] and beyond["total"] == first["total"]
    for query, field in (("&limit=abc", "limit"), ("&limit=0", "limit"), ("&offset=-1", "offset"),
                         ("&offset=1.5", "offset")):
        response = client.get(EOD + query, headers=headers)
        assert response.status_code == 400 and response.get_json()["field"] == field, query
    for path, field in ((f"/api/analytics/transaction_summary/monthly?customer_id={CID}", "list"),
                        (f"/api/analytics/reconciliation/metrics?customer_id={CID}", "list"),
                        (f"/api/analytics/nonsense/matches?customer_id={CID}", "name"),
                        (f"/api/analytics/nonsense?customer_id={CID}", "name"),
                        ("/api/analytics/transaction_summary/eod_balance?customer_id=../../etc", "customer_id")):
        response = client.get(path, headers=headers)
        assert response.status_code == 400 and response.get_json()["field"] == field, path


def test_a_page_is_an_audited_consent_checked_read(served):
    lake, client, headers = served
    client.get(EOD + "&limit=5", headers=headers)
    entry = [e for e in lake.read_audit(CID) if e["action"] == "read"][-1]
    assert entry["endpoint"] == "/api/analytics/transaction_summary/eod_balance"
    assert entry["what"] == "transaction_summary/eod_balance" and entry["who"] == "test-officer"
    assert client.get(EOD).status_code == 401
    registry = ConsentRegistry(lake)
    for consent in registry.active(CID):
        registry.set_status(CID, consent["consentId"], "PAUSED")
    refused = client.get(EOD, headers=headers)
    assert refused.status_code == 403 and "PAUSED" in refused.get_json()["message"]


def test_a_list_not_computed_yet_is_a_404_naming_the_step(served):
    _, client, headers = served
    response = client.get("/api/analytics/reconciliation/matches?customer_id=CUST_API_00003", headers=headers)
    assert response.status_code == 404 and "models step" in response.get_json()["message"]


def test_a_gzip_client_gets_the_same_body_compressed(served):
    _, client, headers = served
    for url in (f"/api/analytics?customer_id={CID}", f"/api/reconciliation?customer_id={CID}", EOD):
        plain = client.get(url, headers=headers)
        packed = client.get(url, headers={**headers, "Accept-Encoding": "gzip, deflate, br"})
        assert plain.headers.get("Content-Encoding") is None and "Accept-Encoding" in plain.headers["Vary"]
        assert packed.headers["Content-Encoding"] == "gzip" and len(packed.data) < len(plain.data) / 3
        assert gzip.decompress(packed.data) == plain.data
        refused = client.get(url, headers={**headers, "Accept-Encoding": "gzip;q=0"})
        assert refused.headers.get("Content-Encoding") is None


@pytest.mark.parametrize("header, takes", [("gzip", True), ("gzip, deflate, br", True), ("br;q=1.0, gzip;q=0.8", True),
                                           ("*", True), ("identity", False), ("", False), ("gzip;q=0", False),
                                           ("GZIP;q=0.0", False), ("gzip;q=oops", False), ("deflate, br", False)])
def test_what_counts_as_accepting_gzip(header, takes):
    assert accepts_gzip(header) is takes
