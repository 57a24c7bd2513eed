"""Consent lifecycle from AA notifications: moves allowed, replays and out-of-order notices refused."""
import pytest

from pipeline.aa.crypto import AAError
from pipeline.aa.lifecycle import ConsentState, apply_notification


def note(txnid, when, status, consent_id="c-1"):
    return {"ver": "2.0.0", "txnid": txnid, "timestamp": when,
            "ConsentStatusNotification": {"consentId": consent_id, "consentStatus": status}}


def test_the_customer_approves_pauses_resumes_then_revokes():
    s = ConsentState("h-1")
    for i, (when, status) in enumerate((("2026-12-04T10:00:00Z", "ACTIVE"), ("2026-12-05T10:00:00Z", "PAUSED"),
                                        ("2026-12-06T10:00:00Z", "ACTIVE"), ("2026-12-07T10:00:00Z", "REVOKED"))):
        s = apply_notification(s, note(f"t{i}", when, status))
        assert s.status == status
    assert s.consent_id == "c-1" and s.applied_txnids == ("t0", "t1", "t2", "t3")


@pytest.mark.parametrize("second, code", [
    (note("t0", "2026-12-05T10:00:00Z", "PAUSED"), "replayed_notification"),
    (note("t1", "2026-12-03T10:00:00Z", "PAUSED"), "out_of_order_notification"),
    (note("t1", "2026-12-05T10:00:00Z", "PENDING"), "invalid_transition"),
    (note("t1", "2026-12-05T10:00:00Z", "SUSPENDED"), "bad_notification"),
    ({"txnid": "t1"}, "bad_notification"),
])
def test_refused_notifications_change_nothing(second, code):
    s = apply_notification(ConsentState("h-1"), note("t0", "2026-12-04T10:00:00Z", "ACTIVE"))
    with pytest.raises(AAError) as err:
        apply_notification(s, second)
    assert err.value.code == code
    assert s.status == "ACTIVE" and s.applied_txnids == ("t0",)


def test_final_states_are_final():
    s = apply_notification(ConsentState("h-1"), note("t0", "2026-12-04T10:00:00Z", "REJECTED"))
    with pytest.raises(AAError) as err:
        apply_notification(s, note("t1", "2026-12-05T10:00:00Z", "ACTIVE"))
    assert err.value.code == "invalid_transition"
