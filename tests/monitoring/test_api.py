"""The monitoring API over the real app and the real Socket.IO test client: roles, consent, limits, live updates."""
import pytest

from tests.monitoring.conftest import NOT_MONITORED
from tests.monitoring.factory import auth, on_time, repayment

EVENTS = "/api/events/repayments"


def received(sock, name):
    return [e["args"][0] for e in sock.get_received() if e["name"] == name]


def test_posting_a_batch_returns_the_counts_and_a_replay_is_all_duplicates(client, tokens, active_loan,
                                                                           monitoring_lake):
    batch = on_time(active_loan, range(3)) + [{**repayment(active_loan, 3), "status": "LOST"}]
    response = client.post(EVENTS, json=batch, headers=auth(tokens["analyst"]))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert {k: body[k] for k in ("received", "accepted", "duplicates", "quarantined", "updated_loans")} == \
        {"received": 4, "accepted": 3, "duplicates": 0, "quarantined": 1, "updated_loans": 1}
    assert body["rejected"] == [{"event_id": batch[3]["event_id"], "reasons": [
        {"code": "status:enum", "field": "status", "message": body["rejected"][0]["reasons"][0]["message"]}]}]
    history = monitoring_lake.risk_history_path(active_loan["loan_id"]).read_bytes()
    again = client.post(EVENTS, json={"events": batch}, headers=auth(tokens["analyst"])).get_json()
    assert (again["accepted"], again["duplicates"], again["quarantined"], again["updated_loans"]) == (0, 4, 0, 0)
    assert monitoring_lake.risk_history_path(active_loan["loan_id"]).read_bytes() == history
    audit = monitoring_lake.read_audit()
    assert [a["accepted"] for a in audit if a["action"] == "repayment_events"] == [3, 0]


def test_risk_updates_reach_a_joined_analyst_and_never_an_officer(client, tokens, socket_client, low_risk_loan):
    analyst, officer, bystander = socket_client("analyst"), socket_client("officer"), socket_client("analyst")
    assert analyst.emit("join_portfolio", {}, callback=True) == {"ok": True, "room": "portfolio"}
    refused = officer.emit("join_portfolio", {}, callback=True)
    assert refused["ok"] is False and refused["error"] == "forbidden" and "analyst" in refused["message"]
    for sock in (analyst, officer, bystander):
        sock.get_received()
    batch = on_time(low_risk_loan, range(2)) + [repayment(low_risk_loan, k, "BOUNCED", delay=2) for k in range(2, 6)]
    body = client.post(EVENTS, json=batch, headers=auth(tokens["analyst"])).get_json()
    assert body["accepted"] == 6 and body["alerts"] == 1
    updates = received(analyst, "risk_update")
    assert len(updates) == 1
    update = updates[0]
    assert set(update) >= {"loan_id", "customer_id", "event_id", "pd", "band", "previous_pd", "previous_band", "alert",
                           "ts"}
    assert update["loan_id"] == low_risk_loan["loan_id"] and update["event_id"] == batch[-1]["event_id"]
    assert update["events"] == 6 and update["alert"]["to_band"] == update["band"] != update["previous_band"]
    assert update["alert"]["reasons"]
    assert received(officer, "risk_update") == [] and received(bystander, "risk_update") == []
    assert analyst.emit("leave_portfolio", {}, callback=True) == {"ok": True}
    client.post(EVENTS, json=[repayment(low_risk_loan, 6)], headers=auth(tokens["analyst"]))
    assert received(analyst, "risk_update") == []


def test_the_portfolio_lists_only_borrowers_consenting_to_monitoring(client, tokens, loans, active_loan):
    body = client.get("/api/portfolio", headers=auth(tokens["analyst"])).get_json()
    listed = {row["customer_id"] for row in body["loans"]}
    assert NOT_MONITORED not in listed
    assert listed == {loan["customer_id"] for loan in loans.values()} - {NOT_MONITORED}
    assert body["count"] == len(body["loans"]) == sum(1 for x in loans.values() if x["customer_id"] != NOT_MONITORED)
    assert all(r["pd_source"] == "booking" and r["last_event"] is None and 0 < r["pd"] < 1 for r in body["loans"])
    assert [r["pd"] for r in body["loans"]] == sorted((r["pd"] for r in body["loans"]), reverse=True)
    client.post(EVENTS, json=on_time(active_loan, range(2)), headers=auth(tokens["analyst"]))
    rows = client.get("/api/portfolio", query_string={"sort": "loan_id", "order": "asc"},
                      headers=auth(tokens["analyst"])).get_json()["loans"]
    assert [r["loan_id"] for r in rows] == sorted(r["loan_id"] for r in rows)
    mine = next(r for r in rows if r["loan_id"] == active_loan["loan_id"])
    assert mine["pd_source"] == "monitoring"
    assert mine["last_event"]["event_id"] == f"T-{active_loan['loan_id']}-1-PAID-0"
    assert mine["updated_at"] and mine["dpd_now"] == 0
    bad = client.get("/api/portfolio", query_string={"sort": "shoe_size"}, headers=auth(tokens["analyst"]))
    assert bad.status_code == 400 and bad.get_json()["field"] == "sort"


def test_a_loans_risk_history_and_a_customers_loans(client, tokens, active_loan):
    loan_id, cid = active_loan["loan_id"], active_loan["customer_id"]
    client.post(EVENTS, json=on_time(active_loan, range(2)), headers=auth(tokens["analyst"]))
    client.post(EVENTS, json=[repayment(active_loan, 2, "LATE", delay=12)], headers=auth(tokens["analyst"]))
    history = client.get(f"/api/loans/{loan_id}/risk-history", headers=auth(tokens["analyst"])).get_json()
    assert history["customer_id"] == cid and history["count"] == 3
    assert [h["kind"] for h in history["history"]] == ["baseline", "event", "event"]
    assert history["history"][-1]["event_id"] == f"T-{loan_id}-2-LATE-0"
    assert history["history"][-1]["features"]["worst_delay_short"] == 12
    last = client.get(f"/api/loans/{loan_id}/risk-history", query_string={"limit": 1},
                      headers=auth(tokens["analyst"])).get_json()
    assert last["history"] == history["history"][-1:]
    body = client.get("/api/loans", query_string={"customer_id": cid}, headers=auth(tokens["officer"])).get_json()
    assert body["customer_id"] == cid and body["count"] == len(body["loans"]) >= 1
    loan = next(x for x in body["loans"] if x["loan_id"] == loan_id)
    assert loan["schedule"][0]["due_date"] > loan["disbursed_at"][:10] and loan["emi"] == active_loan["emi"]
    assert loan["pd"] == history["history"][-1]["pd"] and loan["last_event"]["status"] == "LATE"
    assert "OCEN" in body["note"]


@pytest.mark.parametrize("method,path", [("post", EVENTS), ("get", "/api/portfolio"),
                                         ("get", "/api/loans/OC468143342677/risk-history")])
def test_analyst_routes_refuse_officers_and_anonymous_callers(client, tokens, method, path):
    officer = getattr(client, method)(path, json=[] if method == "post" else None, headers=auth(tokens["officer"]))
    assert officer.status_code == 403 and "analyst" in officer.get_json()["message"]
    anonymous = getattr(client, method)(path, json=[] if method == "post" else None)
    assert anonymous.status_code == 401 and anonymous.get_json()["error"] == "unauthorized"


def test_loan_reads_are_consent_checked(client, tokens, monitoring_lake, active_loan):
    missing = client.get("/api/loans", headers=auth(tokens["officer"]))
    assert missing.status_code == 400 and missing.get_json()["field"] == "customer_id"
    bad = client.get("/api/loans", query_string={"customer_id": "../etc"}, headers=auth(tokens["officer"]))
    assert bad.status_code == 400
    unknown = client.get("/api/loans", query_string={"customer_id": "CUST_ZZZ_99999"}, headers=auth(tokens["officer"]))
    assert unknown.status_code == 404
    assert client.get("/api/loans/NO-SUCH/risk-history", headers=auth(tokens["analyst"])).status_code == 404
    odd = client.get("/api/loans/..%2Fx/risk-history", headers=auth(tokens["analyst"]))
    assert odd.status_code in (400, 404) and set(odd.get_json()) >= {"error", "message"}
    cid = active_loan["customer_id"]
    client.post(EVENTS, json=on_time(active_loan, range(2)), headers=auth(tokens["analyst"]))
    assert monitoring_lake.risk_history_path(active_loan["loan_id"]).exists()
    consent = client.get("/api/consents", query_string={"customer_id": cid}, headers=auth(tokens["admin"])).get_json()
    revoked = client.post(f"/api/consents/{consent['consents'][-1]['consentId']}/revoke", json={},
                          headers=auth(tokens["admin"])).get_json()
    assert "monitoring" in revoked["erased_layers"]
    assert not monitoring_lake.loan_book_path(cid).exists()
    assert not monitoring_lake.risk_history_path(active_loan["loan_id"]).exists()
    gone = client.get("/api/loans", query_string={"customer_id": cid}, headers=auth(tokens["officer"]))
    assert gone.status_code == 403
    late = client.post(EVENTS, json=[repayment(active_loan, 5)], headers=auth(tokens["analyst"])).get_json()
    assert late["accepted"] == 0 and late["rejected"][0]["reasons"][0]["code"] == "loan_id:unknown_loan"
    assert not monitoring_lake.customer_dir("clean", cid).exists()  # an erased customer's data is not recreated


def test_batch_limits_and_bad_bodies_are_4xx_json(client, tokens, active_loan):
    headers = auth(tokens["analyst"])
    too_many = client.post(EVENTS, json=[{"event_id": f"E{i}"} for i in range(1001)], headers=headers)
    assert too_many.status_code == 413
    assert too_many.get_json()["error"] == "too_many_events" and "1,000" in too_many.get_json()["message"]
    exactly = client.post(EVENTS, json=[repayment(active_loan, 0, event_id=f"N{i}") for i in range(1000)],
                          headers=headers)
    assert exactly.status_code == 200 and exactly.get_json()["accepted"] == 1000
    huge = client.post(EVENTS, data=b"[" + b" " * (1 << 21) + b"]", content_type="application/json", headers=headers)
    assert huge.status_code == 413 and huge.get_json()["error"] == "payload_too_large"
    assert "1,000 events" in huge.get_json()["message"]
    assert client.post(EVENTS, data="[1,", content_type="application/json", headers=headers).status_code == 400
    assert client.post(EVENTS, data="x", content_type="text/plain", headers=headers).status_code == 415
    shape = client.post(EVENTS, json={"event": []}, headers=headers)
    assert shape.status_code == 400 and shape.get_json()["field"] == "events"
    empty = client.post(EVENTS, json=[], headers=headers).get_json()
    assert (empty["received"], empty["accepted"]) == (0, 0)
