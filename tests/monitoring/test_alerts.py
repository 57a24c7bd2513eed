"""Alerts: a band worsening e-mailed to a real SMTP server and posted to a signed webhook, once, audited, and
carrying the customer id and the reason only; retries bounded; disabled transports skipped."""
import pytest

from monitoring.alert_transports import SIGNATURE_HEADER, TransportError, WebhookTransport, sign, verify_signature
from monitoring.alerts import Alert, band_alerts, raise_alerts
from monitoring.ingest import ingest_events
from tests.alert_servers import WEBHOOK_SECRET, alert_config, smtp_inbox, webhook_receiver
from tests.monitoring.factory import on_time, repayment
from tests.pipeline.lake_grep import identifiers


@pytest.fixture()
def signed(monkeypatch):
    monkeypatch.setenv("ALERT_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.delenv("ALERT_WEBHOOK_URL", raising=False)


def _worsen(lake, loan, config) -> dict:
    start = ingest_events(lake, on_time(loan, range(2)), config)
    assert start["updates"][0]["band"] == "LOW" and "alerts_raised" not in start
    return ingest_events(lake, [repayment(loan, k, "BOUNCED", delay=2) for k in range(2, 6)], config)


def test_a_worse_band_is_emailed_and_posted_signed_with_the_customer_id_and_reason_only(
        monitoring_lake, low_risk_loan, config, signed):
    cid = low_risk_loan["customer_id"]
    with smtp_inbox() as (inbox, port), webhook_receiver() as (received, url):
        settings = alert_config(config, port, url)
        result = _worsen(monitoring_lake, low_risk_loan, settings)
    update = result["updates"][0]
    assert update["band"] == "HIGH"
    [raised] = result["alerts_raised"]
    assert raised["rule"] == "band_worsened" and raised["outcome"] == "sent"
    assert raised["channels"]["email"] == "sent to 1 of 1 recipients" and raised["channels"]["webhook"].startswith("HTTP 200")

    [message] = inbox.messages
    assert inbox.recipients == [["risk-desk@lender.example"]]
    assert message["Subject"].startswith(f"[MSME Lake] Loan band worsened: {cid} (")
    body = message.get_content()
    assert "moved from the LOW band to HIGH" in body and f"Customer: {cid}" in body
    [post] = received
    assert post["verified"] and post["body"]["rule"] == "band_worsened" and post["body"]["customer_id"] == cid
    assert post["body"]["details"]["to_band"] == "HIGH" and post["body"]["details"]["reasons"]

    personal = identifiers(monitoring_lake, cid)
    sent_text = (message.as_string() + post["raw"].decode()).lower()
    for kind in ("pan", "gstin", "udyam", "name", "mobile", "email", "account", "loan_id"):
        leaked = [v for v in personal[kind] if v and v.lower() in sent_text]
        assert leaked == [], f"the alert carries the customer's {kind}"
    assert str(low_risk_loan["principal"]) not in sent_text

    [entry] = [e for e in monitoring_lake.read_audit(cid) if e["action"] == "alert"]
    assert entry["rule"] == "band_worsened" and entry["outcome"] == "sent" and set(entry["channels"]) == \
        {"email", "webhook"}
    ledger = monitoring_lake.alert_ledger_path.read_bytes()
    assert cid.encode() not in ledger and low_risk_loan["loan_id"].encode() not in ledger   # erasure-safe


def test_the_same_alert_twice_is_sent_once_and_the_second_audited_as_suppressed(
        monitoring_lake, low_risk_loan, config, signed):
    with smtp_inbox() as (inbox, port), webhook_receiver() as (received, url):
        settings = alert_config(config, port, url)
        result = _worsen(monitoring_lake, low_risk_loan, settings)
        again = raise_alerts(monitoring_lake, settings, band_alerts(result["updates"]))
        assert len(inbox.messages) == 1 and len(received) == 1
    assert [a["outcome"] for a in again] == ["suppressed"] and again[0]["channels"] == {}
    outcomes = [e["outcome"] for e in monitoring_lake.read_audit(low_risk_loan["customer_id"])
                if e["action"] == "alert"]
    assert outcomes == ["sent", "suppressed"]
    assert len(monitoring_lake.read_ndjson(monitoring_lake.alert_ledger_path)) == 1


def test_without_transports_an_alert_is_recorded_and_audited_and_nothing_is_sent(monitoring_lake, low_risk_loan,
                                                                                  config):
    result = _worsen(monitoring_lake, low_risk_loan, alert_config(config))
    assert [(a["outcome"], a["channels"]) for a in result["alerts_raised"]] == [("recorded", {})]
    off = {**config, "alerts": {**config.get("alerts", {}), "rules": {"band_worsened": {"enabled": False}}}}
    assert raise_alerts(monitoring_lake, off, band_alerts(result["updates"])) == []


def test_a_webhook_is_retried_with_backoff_then_given_up_and_tried_again_on_the_next_trigger(monitoring_lake,
                                                                                            config, signed):
    alert = Alert("drift", "risk_model", "2026-12", "The population moved.", dedupe="1.0+test")
    with webhook_receiver([503, 503, 503, 503]) as (received, url):
        settings = alert_config(config, webhook_url=url)
        [failed] = raise_alerts(monitoring_lake, settings, [alert])
        assert failed["outcome"] == "failed" and "HTTP 503 after 3 attempt(s)" in failed["channels"]["webhook"]
        assert [r["status"] for r in received] == [503, 503, 503] and all(r["verified"] for r in received)
        [retried] = raise_alerts(monitoring_lake, settings, [alert])   # not in the ledger: tried again
        assert retried["outcome"] == "sent" and [r["status"] for r in received][-2:] == [503, 200]
    delays = []
    transport = WebhookTransport({"url": url, "attempts": 4, "backoff_seconds": 0.5}, env={
        "ALERT_WEBHOOK_SECRET": WEBHOOK_SECRET}, sleep=delays.append)
    with pytest.raises(TransportError, match="after 4 attempt"):
        transport.send("s", "t", {"rule": "drift"})   # the receiver is gone: connection refused each time
    assert delays == [0.5, 1.0, 2.0]


def test_a_webhook_without_a_secret_is_never_sent_unsigned(monitoring_lake, config, monkeypatch):
    monkeypatch.delenv("ALERT_WEBHOOK_SECRET", raising=False)
    with webhook_receiver() as (received, url):
        [out] = raise_alerts(monitoring_lake, alert_config(config, webhook_url=url),
                             [Alert("drift", "risk_model", "2026-12", "moved")])
    assert received == [] and out["outcome"] == "failed" and "ALERT_WEBHOOK_SECRET" in out["channels"]["webhook"]


def test_the_signature_covers_timestamp_and_body_and_expires():
    header = sign("k", b'{"a":1}', 1_700_000_000)
    assert header.startswith("t=1700000000,v1=") and len(header.split("v1=")[1]) == 64
    assert verify_signature("k", b'{"a":1}', header, now=1_700_000_100)
    assert not verify_signature("k", b'{"a":2}', header, now=1_700_000_100)       # another body
    assert not verify_signature("other", b'{"a":1}', header, now=1_700_000_100)   # another secret
    assert not verify_signature("k", b'{"a":1}', header, now=1_700_001_000)       # too old: a replay
    assert not verify_signature("k", b'{"a":1}', "garbage")
    assert SIGNATURE_HEADER == "X-MSME-Signature"
