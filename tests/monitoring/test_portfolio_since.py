"""What moved since a moment (the Portfolio Monitor's "today"): ``GET /api/portfolio?since=...`` over the real app."""
from datetime import datetime, timedelta, timezone

from monitoring.portfolio import parse_since
from tests.monitoring.conftest import NOT_MONITORED
from tests.monitoring.factory import auth, on_time, repayment

EVENTS = "/api/events/repayments"


def portfolio(client, token, **params):
    response = client.get("/api/portfolio", query_string=params, headers=auth(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def row_of(body, loan_id):
    return next(r for r in body["loans"] if r["loan_id"] == loan_id)


def history(client, token, loan_id):
    return client.get(f"/api/loans/{loan_id}/risk-history", headers=auth(token)).get_json()["history"]


def test_without_since_the_response_keeps_its_shape_and_says_who_is_listed(client, tokens):
    body = portfolio(client, tokens["analyst"])
    assert "alerts" not in body and "since" not in body
    assert all("pd_change" not in r and "start_pd" not in r for r in body["loans"])
    assert body["purpose"] == "104" and "purpose 104" in body["note"]
    assert [b["band"] for b in body["bands"]] == ["LOW", "MODERATE", "ELEVATED", "HIGH"]


def test_since_gives_each_loan_its_pd_then_and_the_alerts_raised_since(client, tokens, low_risk_loan, active_loan):
    token = tokens["analyst"]
    before = (datetime.now(timezone.utc) - timedelta(minutes=5)).isoformat()
    booked = row_of(portfolio(client, token), low_risk_loan["loan_id"])
    assert booked["pd_source"] == "booking"
    batch = on_time(low_risk_loan, range(2)) + [repayment(low_risk_loan, k, "BOUNCED", delay=2) for k in range(2, 6)]
    assert client.post(EVENTS, json=batch, headers=auth(token)).get_json()["alerts"] == 1

    body = portfolio(client, token, since=before)
    assert parse_since(body["since"]) == parse_since(before)
    moved = row_of(body, low_risk_loan["loan_id"])
    assert moved["start_pd"] == booked["pd"] and moved["start_band"] == booked["band"] == "LOW"
    assert moved["pd"] > moved["start_pd"] and moved["pd_change"] == moved["pd"] - moved["start_pd"]
    untouched = row_of(body, active_loan["loan_id"])
    assert (untouched["start_pd"], untouched["pd_change"]) == (untouched["pd"], 0)
    [alert] = body["alerts"]
    assert alert["loan_id"] == low_risk_loan["loan_id"] and alert["customer_id"] == low_risk_loan["customer_id"]
    assert (alert["from_band"], alert["to_band"], alert["direction"]) == ("LOW", moved["band"], "worsened")
    assert alert["event_id"] == batch[-1]["event_id"] and alert["pd"] == moved["pd"]
    assert alert["reasons"] and all(r["text"] for r in alert["reasons"])
    assert NOT_MONITORED not in {r["customer_id"] for r in body["loans"]}

    later = (datetime.now(timezone.utc) + timedelta(minutes=5)).isoformat()
    after = portfolio(client, token, since=later)
    assert after["alerts"] == []
    assert row_of(after, low_risk_loan["loan_id"])["start_pd"] == moved["pd"]
    assert row_of(after, low_risk_loan["loan_id"])["pd_change"] == 0


def test_the_start_is_the_last_score_before_since_and_new_alerts_are_picked_up(client, tokens, low_risk_loan):
    token, loan_id = tokens["analyst"], low_risk_loan["loan_id"]
    client.post(EVENTS, json=on_time(low_risk_loan, range(2)), headers=auth(token))
    first = history(client, token, loan_id)[-1]
    # a short delay moves the PD without crossing a band (the booking PD is about 2%, the LOW band ends at 5%)
    client.post(EVENTS, json=[repayment(low_risk_loan, 2, "LATE", delay=3)], headers=auth(token))
    second = history(client, token, loan_id)[-1]
    assert second["ts"] > first["ts"] and second["pd"] > first["pd"] and second["band"] == first["band"]

    body = portfolio(client, token, since=second["ts"])  # an entry exactly at `since` counts as after it
    row = row_of(body, loan_id)
    assert (row["start_pd"], row["start_band"]) == (first["pd"], first["band"])
    assert row["pd"] == second["pd"] and row["pd_change"] == second["pd"] - first["pd"]
    assert body["alerts"] == []

    # read again after more was appended: the new crossing shows up, the start stays
    batch = [repayment(low_risk_loan, k, "BOUNCED", delay=2) for k in range(3, 7)]
    assert client.post(EVENTS, json=batch, headers=auth(token)).get_json()["alerts"] == 1
    again = portfolio(client, token, since=second["ts"])
    assert row_of(again, loan_id)["start_pd"] == first["pd"]
    assert [a["event_id"] for a in again["alerts"]] == [batch[-1]["event_id"]]


def test_since_accepts_a_date_or_an_unencoded_offset_and_refuses_anything_else(client, tokens):
    token = tokens["analyst"]
    today = datetime.now(timezone(timedelta(hours=5, minutes=30))).date().isoformat()
    assert portfolio(client, token, since=today)["since"] == f"{today}T00:00:00+05:30"
    raw = client.get(f"/api/portfolio?since={today}T00:00:00+05:30", headers=auth(token))  # '+' read as a space
    assert raw.status_code == 200 and raw.get_json()["since"] == f"{today}T00:00:00+05:30"
    bad = client.get("/api/portfolio", query_string={"since": "yesterday"}, headers=auth(token))
    assert bad.status_code == 400 and bad.get_json()["field"] == "since"
    assert "ISO 8601" in bad.get_json()["message"]


def test_parse_since_reads_a_moment_without_an_offset_as_india_standard_time():
    assert parse_since("2026-11-21T00:00:00") == datetime(2026, 11, 20, 18, 30, tzinfo=timezone.utc)
    assert parse_since("2026-11-21T00:00:00Z") == datetime(2026, 11, 21, tzinfo=timezone.utc)
