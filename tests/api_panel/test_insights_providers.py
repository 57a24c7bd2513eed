"""The provider chain against local servers that speak the OpenAI Chat Completions and Gemini APIs.

The two model APIs are the only things doubled: each is a real HTTP server on 127.0.0.1 (port 0) that
records every request, so the tests see exactly what left the process. Everything else is the real code
on a real generated lake.
"""
from __future__ import annotations

import json
import logging
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from api_panel.insights import InsightSettings, build_prompt, generate_insights

FRAUD, BASELINE = "CUST_MSM_00006", "CUST_MSM_00001"
OPENAI_KEY, GEMINI_KEY = "sk-test-openai-7f3a9c", "AIza-test-gemini-5d21e8"
GOOD = {"summary": "Score 549 in band E; declined on GST fraud indicators of HIGH severity.",
        "strengths": ["FOIR is low"], "risks": ["GST fraud indicators of HIGH severity"],
        "recommendation": "DECLINE: refer to fraud control.", "suggested_conditions": []}
GEMINI_PATH = re.compile(r"^/v1beta/models/([^/:]+):generateContent$")
SLOW_S = 5.0


class FakeModelServer:
    """A local server for one model API; ``mode`` decides the reply, ``requests`` records what arrived."""

    def __init__(self, kind: str):
        self.kind, self.mode, self.requests = kind, "ok", []
        self.reply: dict = GOOD
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                server.requests.append({"path": self.path, "headers": dict(self.headers), "raw": body.decode(),
                                        "body": json.loads(body)})
                server.respond(self)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads, self.httpd.block_on_close = True, False
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def _send(self, handler, status: int, payload) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to deliver

    def _wrap(self, text: str) -> dict:
        if self.kind == "openai":
            return {"id": "cmpl-1", "object": "chat.completion", "created": 0, "model": "test-model",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}}
        return {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP",
                                "index": 0}],
                "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 10, "totalTokenCount": 20},
                "modelVersion": "test-model"}

    def respond(self, handler) -> None:
        if self.kind == "gemini" and not GEMINI_PATH.match(handler.path.split("?")[0]):
            return self._send(handler, 404, {"error": {"code": 404, "message": "unknown path", "status": "NOT_FOUND"}})
        if self.mode == "sleep":
            self.release.wait(SLOW_S)
            return self._send(handler, 200, self._wrap(json.dumps(self.reply)))
        if self.mode == "500":
            return self._send(handler, 500, {"error": {"code": 500, "message": "internal error", "status": "INTERNAL"}})
        if self.mode == "401_echo":  # a careless gateway that quotes the key back
            key = handler.headers.get("Authorization", "")
            return self._send(handler, 401, {"error": {"message": f"invalid key {key}"}})
        if self.mode == "not_json":
            return self._send(handler, 200, self._wrap("Here is your credit note: the borrower looks fine."))
        if self.mode == "missing_keys":
            return self._send(handler, 200, self._wrap(json.dumps({"summary": "Looks fine overall to me."})))
        return self._send(handler, 200, self._wrap(json.dumps(self.reply)))

    def prompt_text(self, index: int = 0) -> str:
        """Everything a model would read in request ``index``: all message / content texts."""
        body = self.requests[index]["body"]
        if self.kind == "openai":
            return "\n".join(m["content"] for m in body["messages"])
        parts = [p["text"] for c in body["contents"] for p in c["parts"]]
        parts += [p["text"] for p in body.get("systemInstruction", {}).get("parts", [])]
        return "\n".join(parts)

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(autouse=True)
def _local_traffic_bypasses_proxies(monkeypatch):
    """A proxy set in the environment must not see (or swallow) requests to the local servers."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


@pytest.fixture()
def openai_server():
    server = FakeModelServer("openai")
    yield server
    server.close()


@pytest.fixture()
def gemini_server():
    server = FakeModelServer("gemini")
    yield server
    server.close()


def documents_of(lake, customer_id: str) -> dict:
    docs = {}
    for name in ("overall_summary", "credit_score", "transaction_summary", "gst_summary", "credit_summary",
                 "anomalies_report", "smart_collect"):
        docs[name] = lake.read_json(lake.analytics_path(customer_id, name))
    return docs


@pytest.fixture(scope="module")
def fraud_documents(demo_lake):
    return documents_of(demo_lake, FRAUD)


def settings_for(openai=None, gemini=None, **overrides) -> InsightSettings:
    values = {"openai_base_url": openai.url if openai else "http://127.0.0.1:9",
              "openai_api_key": OPENAI_KEY if openai else None, "openai_model": "test-chat",
              "gemini_api_key": GEMINI_KEY if gemini else None, "gemini_model": "test-gemini",
              "gemini_base_url": gemini.url if gemini else None, "timeout_s": 2.0, "total_budget_s": 4.0,
              "max_prompt_tokens": 3000, "max_response_tokens": 700}
    return InsightSettings(**{**values, **overrides})


def assert_no_key(result: dict, caplog) -> None:
    dumped = json.dumps(result, ensure_ascii=False)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for key in (OPENAI_KEY, GEMINI_KEY):
        assert key not in dumped
        assert key not in logged


def test_openai_compatible_reply_is_used(fraud_documents, openai_server, gemini_server, caplog):
    caplog.set_level(logging.DEBUG)
    settings = settings_for(openai_server, gemini_server)
    result = generate_insights(fraud_documents, settings)
    assert result["provider"] == "openai_compatible"
    assert result["model"] == "test-chat"
    assert result["narrative"] == GOOD
    assert [a["status"] for a in result["attempts"]] == ["ok"]
    assert len(openai_server.requests) == 1 and gemini_server.requests == []
    request = openai_server.requests[0]
    assert request["path"] == "/chat/completions"
    assert request["headers"]["Authorization"] == f"Bearer {OPENAI_KEY}"
    body = request["body"]
    assert body["model"] == "test-chat"
    assert body["response_format"] == {"type": "json_object"}
    assert body["max_tokens"] == 700
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert result["prompt_facts"]["credit_score"]["score"] == fraud_documents["credit_score"]["score"]["value"]
    assert_no_key(result, caplog)


def test_openai_500_falls_through_to_gemini(fraud_documents, openai_server, gemini_server, caplog):
    caplog.set_level(logging.DEBUG)
    openai_server.mode = "500"
    result = generate_insights(fraud_documents, settings_for(openai_server, gemini_server))
    assert result["provider"] == "gemini"
    assert result["model"] == "test-gemini"
    assert result["narrative"] == GOOD
    assert [(a["provider"], a["status"]) for a in result["attempts"]] == [("openai_compatible", "error"),
                                                                         ("gemini", "ok")]
    assert "500" in result["attempts"][0]["detail"]
    assert len(gemini_server.requests) == 1  # the SDK was not left to retry
    request = gemini_server.requests[0]
    assert GEMINI_PATH.match(request["path"]).group(1) == "test-gemini"
    assert request["headers"]["x-goog-api-key"] == GEMINI_KEY
    config = request["body"]["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert config["maxOutputTokens"] == 700
    assert set(config["responseJsonSchema"]["required"]) == set(GOOD)
    assert openai_server.requests[0]["body"]["messages"][1]["content"] in gemini_server.prompt_text()
    assert_no_key(result, caplog)


def test_timeout_and_malformed_fall_back_to_offline_within_budget(fraud_documents, openai_server, gemini_server):
    openai_server.mode = "sleep"
    gemini_server.mode = "missing_keys"
    settings = settings_for(openai_server, gemini_server, timeout_s=1.0, total_budget_s=2.5)
    started = time.monotonic()
    result = generate_insights(fraud_documents, settings)
    elapsed = time.monotonic() - started
    assert elapsed < settings.total_budget_s + 1.0
    assert result["provider"] == "offline"
    assert [(a["provider"], a["status"]) for a in result["attempts"]] == [
        ("openai_compatible", "timeout"), ("gemini", "malformed"), ("offline", "ok")]
    assert "missing keys" in result["attempts"][1]["detail"]
    assert len(openai_server.requests) == 1 and len(gemini_server.requests) == 1
    assert "Fraud alert" in result["narrative"]["summary"]


def test_malformed_then_timeout_falls_back_to_offline_within_budget(fraud_documents, openai_server, gemini_server):
    openai_server.mode = "not_json"
    gemini_server.mode = "sleep"
    settings = settings_for(openai_server, gemini_server, timeout_s=1.0, total_budget_s=2.0)
    started = time.monotonic()
    result = generate_insights(fraud_documents, settings)
    assert time.monotonic() - started < settings.total_budget_s + 1.0
    assert result["provider"] == "offline"
    assert [a["status"] for a in result["attempts"]] == ["malformed", "timeout", "ok"]


def test_spent_budget_skips_the_next_provider_without_a_request(fraud_documents, openai_server, gemini_server):
    openai_server.mode = "sleep"
    settings = settings_for(openai_server, gemini_server, timeout_s=1.0, total_budget_s=1.0)
    started = time.monotonic()
    result = generate_insights(fraud_documents, settings)
    assert time.monotonic() - started < settings.total_budget_s + 1.0
    assert [a["status"] for a in result["attempts"]] == ["timeout", "timeout", "ok"]
    assert "budget" in result["attempts"][1]["detail"]
    assert gemini_server.requests == []


def test_unconfigured_providers_go_straight_to_offline(fraud_documents, openai_server, gemini_server):
    settings = settings_for(openai_server, gemini_server, openai_api_key=None, gemini_api_key=None)
    result = generate_insights(fraud_documents, settings)
    assert result["provider"] == "offline"
    assert [(a["provider"], a["status"]) for a in result["attempts"]] == [
        ("openai_compatible", "not_configured"), ("gemini", "not_configured"), ("offline", "ok")]
    assert openai_server.requests == [] and gemini_server.requests == []
    assert set(result["narrative"]) == set(GOOD)


def test_key_echoed_in_an_error_is_scrubbed(fraud_documents, openai_server, caplog):
    caplog.set_level(logging.DEBUG)
    openai_server.mode = "401_echo"
    result = generate_insights(fraud_documents, settings_for(openai_server))
    assert result["attempts"][0]["status"] == "error"
    assert "401" in result["attempts"][0]["detail"] and "***" in result["attempts"][0]["detail"]
    assert_no_key(result, caplog)


def test_connection_refused_is_an_error(fraud_documents):
    settings = settings_for(None, None, openai_api_key=OPENAI_KEY, openai_base_url="http://127.0.0.1:9")
    result = generate_insights(fraud_documents, settings)
    assert [a["status"] for a in result["attempts"]] == ["error", "not_configured", "ok"]


def _identifiers(lake, customer_id: str) -> dict[str, set[str]]:
    """Every identifying string of the customer, taken from its raw data and analytics."""
    found: dict[str, set[str]] = {k: set() for k in ("customer", "account", "narration", "txn", "counterparty", "gst")}
    meta = lake.read_json(lake.customer_meta_path(customer_id))
    found["customer"] |= {meta["business_name"], meta["owner_name"], meta["pan"], meta["gstin"], meta["city"],
                          meta.get("udyam")}
    for account in lake.read_ndjson(lake.raw_path(customer_id, "accounts")):
        found["account"] |= {account["maskedAccNumber"], account["linkedAccRef"]}
        for holder in account["profile"]["holders"]["holder"]:
            found["customer"] |= {holder["name"], holder["mobile"], holder["email"], holder["pan"], holder["address"]}
    for txn in lake.read_clean(customer_id, "transactions"):
        found["narration"].add(txn["narration"])
        found["txn"].add(txn["txnId"])
    summary = lake.read_json(lake.analytics_path(customer_id, "transaction_summary"))
    spend = lake.read_json(lake.analytics_path(customer_id, "earnings_spendings"))
    found["counterparty"] |= {row["counterparty"] for row in summary["top_counterparties"]}
    found["counterparty"] |= {row["counterparty"] for row in spend["top_paid_to"] + spend["top_received_from"]}
    found["counterparty"] |= {flow["counterparty"] for flow in summary["circular_flows"]}
    for ret in lake.read_clean(customer_id, "gst_returns"):
        for buyer in ret.get("b2b") or []:
            found["gst"].add(buyer["ctin"])
            found["gst"] |= {inv["inum"] for inv in buyer["inv"]}
    return {k: {v for v in values if v} for k, values in found.items()}


def test_prompt_sent_to_both_providers_holds_no_identifier(demo_lake, fraud_documents, openai_server, gemini_server):
    openai_server.mode = "500"
    result = generate_insights(fraud_documents, settings_for(openai_server, gemini_server))
    assert result["provider"] == "gemini"
    identifiers = _identifiers(demo_lake, FRAUD)
    assert all(identifiers.values()) and len(identifiers["narration"]) > 100
    for received in (openai_server.requests[0]["raw"], gemini_server.requests[0]["raw"]):
        text = json.loads(json.dumps(json.loads(received), ensure_ascii=False))  # undo \u escapes
        text = json.dumps(text, ensure_ascii=False)
        for kind, values in identifiers.items():
            leaked = sorted(v for v in values if v in text)
            assert not leaked, f"{kind} leaked into the prompt: {leaked[:5]}"
    sent = openai_server.prompt_text()
    score = fraud_documents["credit_score"]["score"]["value"]
    foir = fraud_documents["transaction_summary"]["metrics"]["foir"]["value"]
    assert f'"score":{score}' in sent
    assert f'"foir_pct":{round(foir * 100, 1)}' in sent
    assert '"severity":"HIGH"' in sent


def test_build_prompt_of_every_demo_customer_is_identifier_free(demo_lake, config):
    for customer_id in config["demo_customers"]:
        prompt = build_prompt(documents_of(demo_lake, customer_id))
        text = prompt["system"] + prompt["user"]
        ids = _identifiers(demo_lake, customer_id)
        for kind in ("customer", "account", "txn", "counterparty", "gst"):
            assert not [v for v in ids[kind] if v in text], (customer_id, kind)
