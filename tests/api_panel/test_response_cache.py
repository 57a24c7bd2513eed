"""Assembled responses (the profile, the bundle) are cached per process and rebuilt the moment an input changes:
several server processes share one lake, so a stale answer would be a wrong answer."""
from tests.api_panel.conftest import auth

CID = "CUST_API_00001"


def test_the_bundle_follows_a_rewritten_and_a_removed_document(client, lake, tokens):
    url = f"/api/analytics?customer_id={CID}&names=credit_score,smart_collect"
    first = client.get(url, headers=auth(tokens["officer"])).get_json()
    assert first["missing"] == [] and "credit_score" in first
    path = lake.analytics_path(CID, "credit_score")
    document = lake.read_json(path)
    document["score"] = 123
    lake.write_json(path, document)
    assert client.get(url, headers=auth(tokens["officer"])).get_json()["credit_score"]["score"] == 123
    lake.analytics_path(CID, "smart_collect").unlink()
    again = client.get(url, headers=auth(tokens["officer"])).get_json()
    assert again["missing"] == ["smart_collect"] and "smart_collect" not in again


def test_the_profile_follows_a_changed_customer_record_and_document(client, lake, tokens):
    url = f"/api/customer-profile?customer_id={CID}"
    before = client.get(url, headers=auth(tokens["officer"])).get_json()
    meta_path = lake.customer_meta_path(CID)
    meta = lake.read_json(meta_path)
    meta["business_name"] = "Renamed Traders"
    lake.write_json(meta_path, meta)
    gst_path = lake.analytics_path(CID, "gst_summary")
    gst = lake.read_json(gst_path)
    gst["monthly"] = gst["monthly"][:1]
    lake.write_json(gst_path, gst)
    after = client.get(url, headers=auth(tokens["officer"])).get_json()
    assert before["overview"]["customer"]["business_name"] != "Renamed Traders"
    assert after["overview"]["customer"]["business_name"] == "Renamed Traders"
    assert len(after["gst"]["monthly"]) == 1 < len(before["gst"]["monthly"])
