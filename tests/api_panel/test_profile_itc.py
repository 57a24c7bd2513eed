"""The Customer Profile carries the GSTR-2B ITC check the GST section shows."""
from tests.api_panel.conftest import auth


def test_profile_gst_section_carries_the_itc_check(client, tokens, lake):
    for customer_id, flagged in (("CUST_API_00002", True), ("CUST_API_00001", False)):
        response = client.get(f"/api/customer-profile?customer_id={customer_id}", headers=auth(tokens["officer"]))
        assert response.status_code == 200
        check = response.get_json()["gst"]["itc_check"]
        assert check == lake.read_json(lake.analytics_path(customer_id, "gst_summary"))["itc_check"]
        assert (check["value"] > 0) is flagged and check["inputs"]["months_assessed"] > 0
        assert len(check["inputs"]["record_ids"]) == 2 * check["value"]
