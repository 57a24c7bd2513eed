"""The customer's own data through the local AA cleans to the very records a normal run cleans to.

Lake A: ``generate`` then ``clean``. Lake B: ``generate``, then DEPOSIT and GSTR1_3B fetched from the local AA
over real HTTP (consent requested, approved on the AA's page, fetched, decrypted, imported), then ``clean``.
The clean accounts, transactions and GST returns of A and B must be the same records, and B's other sources,
``customer.json`` (but for its ``aa_fetch`` entry) and ``injected.json`` untouched by the fetch. (The raw
consent is the one thing the journey itself replaces: by the AA artefact the data came under.)
"""
import datetime as dt
import threading

import httpx
import orjson
import pytest
from werkzeug.serving import make_server

from generators.aa_fip import fi_version_for
from generators.aa_server import create_aa_app
from pipeline.aa import jws
from pipeline.aa.client import FIUClient
from pipeline.aa.journey import fetch_into_lake, handle_for, request_consent
from pipeline.lake import SOURCES, Lake
from pipeline.runner import run_steps

AS_OF = dt.date(2026, 11, 1)
CUSTOMERS = ("CUST_MSM_00001", "CUST_MSM_00006")   # FIP schema v2.0.0 and v1.1 (fi_version_for, "mixed")
FETCHED = ("accounts", "transactions", "gst_returns")
# what the delivery, not the customer, decides: the FI schema version and the FIP's name (the AA's FI[].fipID)
DELIVERY_FIELDS = ("version", "fipId")


def _quiet(level, message):
    return None


@pytest.fixture(scope="module")
def local_aa(config):
    private, public = jws.new_signing_key()
    server = make_server("127.0.0.1", 0, create_aa_app({"FIU-MSME-LAKE": public}, config, AS_OF), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    aa_key = httpx.get(f"{base}/keys").json()["keys"][0]["pem"]
    yield base, FIUClient(base, "FIU-MSME-LAKE", private, aa_key, timeout=30.0)
    server.shutdown()


def _generate(lake, customer_id, config, steps):
    outcome = run_steps(lake, customer_id, steps, config, _quiet, {"generate": {"as_of": AS_OF}})
    assert outcome["status"] == "done", outcome


def _canonical(records, drop=()):
    return sorted(orjson.dumps({k: v for k, v in r.items() if k not in drop}, option=orjson.OPT_SORT_KEYS)
                  for r in records)


def _untouched_files(lake, customer_id):
    paths = [lake.raw_path(customer_id, s) for s in SOURCES if s not in FETCHED]
    paths.append(lake.log_path(customer_id, "injected"))
    return {p.name: p.read_bytes() for p in paths if p.exists()}


@pytest.mark.parametrize("customer_id", CUSTOMERS)
def test_fetching_the_customers_own_data_changes_no_clean_record(tmp_path, config, local_aa, customer_id):
    base, client = local_aa
    a, b = Lake(tmp_path / "a"), Lake(tmp_path / "b")
    _generate(a, customer_id, config, ["generate", "clean"])
    _generate(b, customer_id, config, ["generate"])
    before, meta_before = _untouched_files(b, customer_id), b.read_json(b.customer_meta_path(customer_id))

    handle, url = request_consent(b, customer_id, client, handle_for(customer_id), "104", ["DEPOSIT", "GSTR1_3B"])
    assert httpx.post(url, data={"decision": "approve"}).json()["status"] == "ACTIVE"
    result = fetch_into_lake(b, customer_id, client)
    assert any("own data" in w and "kept" in w for w in result.warnings)
    _generate(b, customer_id, config, ["clean"])

    assert _untouched_files(b, customer_id) == before
    consent = b.read_json(b.consent_path(customer_id))
    assert consent["source"] == "aa" and consent["fiTypes"] == ["DEPOSIT", "GSTR1_3B"]
    meta = b.read_json(b.customer_meta_path(customer_id))
    assert {k: v for k, v in meta.items() if k != "aa_fetch"} == meta_before
    version = fi_version_for(customer_id, config)
    assert meta["aa_fetch"]["fi_versions"] == {"DEPOSIT": [version], "GSTR1_3B": ["1.0.0"]}
    assert meta["aa_fetch"]["counts"] == {"accounts": len(result.accounts), "transactions": len(result.transactions),
                                          "gst_returns": len(result.gst_returns)}
    for source in ("transactions", "gst_returns"):
        clean_a, clean_b = a.read_clean(customer_id, source), b.read_clean(customer_id, source)
        assert len(clean_a) == len(clean_b) > 0, source
        assert _canonical(clean_a) == _canonical(clean_b), source
    accounts_a, accounts_b = a.read_clean(customer_id, "accounts"), b.read_clean(customer_id, "accounts")
    assert _canonical(accounts_a, DELIVERY_FIELDS) == _canonical(accounts_b, DELIVERY_FIELDS)
    assert [x["version"] for x in accounts_b] == [version] and [x["fipId"] for x in accounts_b] == ["LOCAL-FIP"]
    report = b.read_json(b.log_path(customer_id, "clean_report"))
    assert report["sources"]["transactions"]["quarantined"]["total"] == 0   # the FIP sends nothing unimportable
