"""Ingestion: idempotent replay, quarantine with every reason, PD that follows behaviour, band alerts, crashes."""
import orjson

from monitoring.ingest import Monitor, forget_monitors, ingest_events
from tests.monitoring.factory import on_time, repayment


def files(lake) -> dict:
    """Every monitoring-related file of the lake and its bytes."""
    roots = [lake.monitoring_dir, lake.root / "clean", lake.root / "quarantine"]
    return {p.relative_to(lake.root): p.read_bytes() for root in roots for p in root.rglob("*")
            if p.is_file() and ("repayment_events" in p.name or "monitoring" in p.parts)}


def test_a_replayed_batch_is_all_duplicates_and_changes_nothing(monitoring_lake, active_loan, config):
    batch = on_time(active_loan, range(3)) + [repayment(active_loan, 3, "LATE", delay=9)]
    first = ingest_events(monitoring_lake, batch, config)
    assert (first["accepted"], first["duplicates"], first["quarantined"]) == (4, 0, [])
    assert len(first["updates"]) == 1 and first["updates"][0]["events"] == 4
    before = files(monitoring_lake)
    second = ingest_events(monitoring_lake, batch, config)
    assert (second["accepted"], second["duplicates"], second["quarantined"], second["updates"]) == (0, 4, [], [])
    assert files(monitoring_lake) == before
    forget_monitors()  # a restarted process reads the durable index: still duplicates
    third = ingest_events(monitoring_lake, batch[:2], config)
    assert (third["accepted"], third["duplicates"]) == (0, 2)
    assert files(monitoring_lake) == before


def test_duplicates_inside_one_batch_count_once(monitoring_lake, active_loan, config):
    event = repayment(active_loan, 0)
    result = ingest_events(monitoring_lake, [event, dict(event), event], config)
    assert (result["accepted"], result["duplicates"]) == (1, 2)
    log = monitoring_lake.read_ndjson(monitoring_lake.clean_path(active_loan["customer_id"], "repayment_events"))
    assert [e["event_id"] for e in log] == [event["event_id"]]


def test_invalid_events_are_quarantined_with_every_reason_and_the_rest_is_accepted(monitoring_lake, loans,
                                                                                    active_loan, config):
    good = repayment(active_loan, 0)
    other = next(loan for loan in loans.values() if loan["customer_id"] != active_loan["customer_id"])
    bad = {
        "many": {**repayment(active_loan, 1), "event_id": "bad-many", "status": "LOST", "amount_due": -5,
                 "customer_id": "nobody"},
        "missing": {"event_id": "bad-missing", "loan_id": active_loan["loan_id"]},
        "calendar": {**repayment(active_loan, 2), "event_id": "bad-calendar", "due_date": "2026-02-30"},
        "not_late": {**repayment(active_loan, 2, "LATE", delay=0), "event_id": "bad-not-late"},
        "not_partial": {**repayment(active_loan, 2, "PARTIAL", share=1.0), "event_id": "bad-not-partial"},
        "bounce_paid": {**repayment(active_loan, 2, "BOUNCED"), "event_id": "bad-bounce", "amount_paid": 10.0},
        "unknown_loan": {**repayment(active_loan, 2), "event_id": "bad-loan", "loan_id": "NO-SUCH-LOAN"},
        "stranger": {**repayment(active_loan, 2), "event_id": "bad-stranger", "loan_id": "NO-SUCH-LOAN",
                     "customer_id": "CUST_ZZZ_99999"},
        "mismatch": {**repayment(active_loan, 2), "event_id": "bad-mismatch", "customer_id": other["customer_id"]},
        "early": {**repayment(active_loan, 2), "event_id": "bad-early", "due_date": "2020-01-05"},
    }
    result = ingest_events(monitoring_lake, [good, *bad.values(), 42, {"_malformed": "payload is not JSON"}], config)
    assert result["accepted"] == 1 and result["duplicates"] == 0
    codes = {(q["event"].get("event_id") if isinstance(q["event"], dict) else q["event"]):
             [r["code"] for r in q["reasons"]] for q in result["quarantined"]}
    assert codes["bad-many"] == ["amount_due:exclusiveMinimum", "customer_id:pattern", "status:enum"]
    assert set(codes["bad-missing"]) == {f"{f}:required" for f in ("customer_id", "due_date", "amount_due", "paid_at",
                                                                    "amount_paid", "status", "channel", "ts")}
    assert codes["bad-calendar"] == ["due_date:format"]
    assert codes["bad-not-late"] == ["paid_at:not_late"]
    assert codes["bad-not-partial"] == ["amount_paid:not_partial"]
    assert codes["bad-bounce"] == ["amount_paid:maximum"]
    assert codes["bad-loan"] == ["loan_id:unknown_loan"]
    assert codes["bad-stranger"] == ["loan_id:unknown_loan", "customer_id:unknown_customer"]
    assert codes["bad-mismatch"] == ["customer_id:loan_mismatch"]
    assert codes["bad-early"] == ["due_date:before_disbursal"]
    assert codes[42] == ["not_an_object"]
    assert [r["code"] for r in result["quarantined"][-1]["reasons"]] == ["malformed_json"]
    assert all(r["message"] for q in result["quarantined"] for r in q["reasons"])
    cid = active_loan["customer_id"]
    own = monitoring_lake.read_ndjson(monitoring_lake.quarantine_path(cid, "repayment_events"))
    assert {q["event"]["event_id"] for q in own} == {"bad-calendar", "bad-not-late", "bad-not-partial", "bad-bounce",
                                                     "bad-loan", "bad-early"}
    assert all(q["reasons"] and q["received_at"] for q in own)
    named = monitoring_lake.read_ndjson(monitoring_lake.quarantine_path(other["customer_id"], "repayment_events"))
    assert [q["event"]["event_id"] for q in named] == ["bad-mismatch"]  # under the customer the event names
    unrouted = monitoring_lake.read_ndjson(monitoring_lake.unrouted_quarantine_path("repayment_events"))
    assert {"bad-many", "bad-missing", "bad-stranger"} <= {q["event"].get("event_id") for q in unrouted
                                                           if isinstance(q["event"], dict)}
    assert not monitoring_lake.has_customer("CUST_ZZZ_99999")  # a stranger's event creates no customer
    again = ingest_events(monitoring_lake, [bad["not_late"], bad["unknown_loan"]], config)
    assert (again["duplicates"], again["quarantined"]) == (2, [])


def test_pd_rises_with_a_run_of_late_payments_and_falls_after_recovery(monitoring_lake, active_loan, config):
    def pd_after(events):
        result = ingest_events(monitoring_lake, events, config)
        assert result["quarantined"] == [] and result["accepted"] == len(events)
        return result["updates"][-1]

    healthy = pd_after(on_time(active_loan, range(3)))
    trouble = []
    for k in range(3, 7):
        trouble.append(pd_after([repayment(active_loan, k, "BOUNCED", delay=1)]))
    assert trouble[-1]["dpd_now"] >= 90
    pds = [healthy["pd"]] + [u["pd"] for u in trouble]
    assert pds == sorted(pds) and pds[-1] > healthy["pd"] + 0.2
    cure = [repayment(active_loan, k, "LATE", delay=(7 - k) * 30 + 2, attempt=1) for k in range(3, 7)]
    cured = pd_after(cure)
    assert cured["dpd_now"] == 0 and cured["pd"] < trouble[-1]["pd"]
    recovered = pd_after(on_time(active_loan, range(7, 14)))
    assert recovered["dpd_now"] == 0 and recovered["pd"] < cured["pd"]
    assert recovered["pd"] < healthy["pd"] + 0.05
    history = monitoring_lake.read_ndjson(monitoring_lake.risk_history_path(active_loan["loan_id"]))
    assert history[0]["kind"] == "baseline" and history[0]["event_id"] is None
    assert [h["pd"] for h in history[1:]] == [healthy["pd"], *[u["pd"] for u in trouble], cured["pd"],
                                              recovered["pd"]]
    assert all(h["event_id"] == h["event_ids"][-1] for h in history[1:])


def test_crossing_a_band_raises_an_alert_with_the_inputs_that_moved_it(monitoring_lake, low_risk_loan, config):
    start = ingest_events(monitoring_lake, on_time(low_risk_loan, range(2)), config)["updates"][0]
    assert start["band"] == "LOW"
    bounces = [repayment(low_risk_loan, k, "BOUNCED", delay=2) for k in range(2, 6)]
    update = ingest_events(monitoring_lake, bounces, config)["updates"][0]
    assert update["band"] == "HIGH" and update["previous_band"] == start["band"]
    alert = update["alert"]
    assert (alert["from_band"], alert["to_band"], alert["direction"]) == (start["band"], "HIGH", "worsened")
    assert 1 <= len(alert["reasons"]) <= config["monitoring"]["alert_reasons"]
    first = alert["reasons"][0]
    assert first["feature"] in ("dpd_now", "worst_delay_short", "worst_delay_long", "bounced_count_long")
    assert first["effect"] > 0 and first["to"] > first["from"] and "raised" in first["text"]
    last = monitoring_lake.read_ndjson(monitoring_lake.risk_history_path(low_risk_loan["loan_id"]))[-1]
    assert last["alert"] == alert
    assert set(update) >= {"loan_id", "customer_id", "event_id", "pd", "band", "previous_pd", "previous_band",
                           "alert", "ts"}
    quiet = ingest_events(monitoring_lake, [repayment(low_risk_loan, 6, "BOUNCED", delay=2)], config)["updates"][0]
    assert quiet["band"] == "HIGH" and quiet["alert"] is None


def test_a_crash_after_the_event_log_but_before_the_index_loses_and_doubles_nothing(monitoring_lake, active_loan,
                                                                                    config):
    batch = on_time(active_loan, range(4))
    ingest_events(monitoring_lake, batch, config)
    index = monitoring_lake.processed_events_path
    lines = index.read_bytes().splitlines(keepends=True)
    index.write_bytes(b"".join(lines[:1]))  # the index lost the last three ids, the event log kept them
    forget_monitors()
    log = monitoring_lake.clean_path(active_loan["customer_id"], "repayment_events")
    before = log.read_bytes()
    replay = ingest_events(monitoring_lake, batch, config)
    assert (replay["accepted"], replay["duplicates"]) == (0, 4)
    assert log.read_bytes() == before
    assert {orjson.loads(x)["event_id"] for x in index.read_bytes().splitlines()} == {e["event_id"] for e in batch}


def test_two_processes_share_the_index_and_the_loan_state(monitoring_lake, active_loan, config):
    first, second = Monitor(monitoring_lake, config), Monitor(monitoring_lake, config)
    assert first.ingest(on_time(active_loan, range(2)))["accepted"] == 2
    replay = second.ingest(on_time(active_loan, range(3)))
    assert (replay["accepted"], replay["duplicates"]) == (1, 2)
    late = first.ingest([repayment(active_loan, 3, "BOUNCED")])["updates"][0]
    assert late["previous_pd"] == replay["updates"][0]["pd"]  # the other process's score is the previous one
    assert late["dpd_now"] >= 1
