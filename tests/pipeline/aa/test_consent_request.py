"""The consent request body (ReBIT AA 2.0.0) and the check that an FI request stays inside the approved consent."""
from datetime import datetime, timezone

import pytest

from pipeline.aa.consent_request import check_fetch, consent_request
from pipeline.aa.crypto import AAError

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=timezone.utc)


def test_the_request_asks_for_what_underwriting_needs():
    body = consent_request("FIU-MSME-LAKE", "9812345678@onemoney", ["DEPOSIT", "GSTR1_3B"], purpose="104",
                           months_of_data=24, now=NOW, txnid="t-1")
    d = body["ConsentDetail"]
    assert body["ver"] == "2.0.0" and body["txnid"] == "t-1" and body["timestamp"] == "2026-12-04T10:00:00.000Z"
    assert d["fiTypes"] == ["DEPOSIT", "GSTR1_3B"] and d["fetchType"] == "PERIODIC"
    assert d["Purpose"]["code"] == "104" and d["Purpose"]["refUri"].endswith("/104.xml")
    # PERIODIC: the range reaches to the consent's expiry, so each monthly re-fetch may bring the newest data
    assert d["FIDataRange"] == {"from": "2024-12-14T10:00:00.000Z", "to": d["consentExpiry"]}
    once = consent_request("FIU-MSME-LAKE", "9812345678@onemoney", ["DEPOSIT"], purpose="105", fetch_type="ONETIME",
                           now=NOW)["ConsentDetail"]
    assert once["FIDataRange"]["to"] == "2026-12-04T10:00:00.000Z"
    assert d["Frequency"] == {"unit": "MONTH", "value": 3} and d["DataLife"] == {"unit": "MONTH", "value": 6}
    assert d["Customer"]["Identifiers"] == [{"type": "MOBILE", "value": "9812345678"}]
    assert d["DataConsumer"] == {"id": "FIU-MSME-LAKE", "type": "FIU"}


@pytest.mark.parametrize("kwargs, field", [
    ({"fi_types": ["SAVINGS"]}, "fiTypes"), ({"purpose": "999"}, "purpose"), ({"fetch_type": "DAILY"}, "fetchType"),
    ({"frequency": ("WEEK", 1)}, "Frequency"), ({"months_of_data": 0}, "FIDataRange"),
    ({"customer_handle": "9812345678"}, "Customer.id"),
])
def test_a_request_that_could_never_be_approved_is_refused_naming_the_field(kwargs, field):
    args = {"fiu_id": "FIU", "customer_handle": "9812345678@onemoney", "fi_types": ["DEPOSIT"], **kwargs}
    with pytest.raises(AAError) as err:
        consent_request(**args, now=NOW)
    assert err.value.code == "bad_request" and field in str(err.value)


def test_fetches_outside_the_consent_are_refused_before_the_aa_is_asked():
    detail = consent_request("FIU", "9812345678@onemoney", ["DEPOSIT"], months_of_data=12, now=NOW)["ConsentDetail"]
    check_fetch(detail, ["DEPOSIT"], "2026-01-01T00:00:00Z", "2026-11-30T00:00:00Z", now=NOW)   # inside: no error
    for args, words in (((["GSTR1_3B"], "2026-01-01T00:00:00Z", "2026-11-30T00:00:00Z"), "GSTR1_3B"),
                        ((["DEPOSIT"], "2024-01-01T00:00:00Z", "2026-11-30T00:00:00Z"), "outside")):
        with pytest.raises(AAError) as err:
            check_fetch(detail, *args, now=NOW)
        assert err.value.code == "consent_scope" and words in str(err.value)
    with pytest.raises(AAError) as err:
        check_fetch(detail, ["DEPOSIT"], "2026-01-01T00:00:00Z", "2026-11-30T00:00:00Z",
                    now=datetime(2028, 1, 1, tzinfo=timezone.utc))
    assert err.value.code == "consent_scope" and "expired" in str(err.value)
