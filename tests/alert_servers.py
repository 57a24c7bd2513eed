"""Local stand-ins for the services alerts go to, speaking their real protocols over real sockets.

* :func:`smtp_inbox` — an ``aiosmtpd`` SMTP server on a free port that keeps every message it accepts;
* :func:`webhook_receiver` — an HTTP server that verifies ``X-MSME-Signature`` the way a receiver should
  (:func:`monitoring.alert_transports.verify_signature`) and answers with the statuses it is told to.

:func:`alert_config` turns both on in a copy of the project config.
"""
from __future__ import annotations

import copy
import threading
from contextlib import contextmanager
from email import message_from_bytes
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
from aiosmtpd.controller import Controller

from monitoring.alert_transports import SIGNATURE_HEADER, verify_signature
from tests.served import free_port

WEBHOOK_SECRET = "test-webhook-secret"
RECIPIENTS = ["risk-desk@lender.example"]


class Inbox:
    """An aiosmtpd handler keeping each accepted message (parsed) and its envelope recipients."""

    def __init__(self):
        self.messages = []
        self.recipients = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_inbox():
    """A running local SMTP server: yields ``(inbox, port)``."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@contextmanager
def webhook_receiver(statuses: list[int] | None = None):
    """A running HTTP receiver: yields ``(received, url)``; ``received`` lists ``{body, verified, status}``.

    ``statuses`` are answered in turn (then 200): ``[503, 503]`` fails the first two deliveries.
    """
    received: list[dict] = []
    queue = list(statuses or [])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's hook name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            verified = verify_signature(WEBHOOK_SECRET, body, self.headers.get(SIGNATURE_HEADER, ""))
            status = queue.pop(0) if queue else (200 if verified else 401)
            received.append({"body": orjson.loads(body), "raw": body, "verified": verified, "status": status})
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received, f"http://127.0.0.1:{server.server_port}/hooks/msme"
    finally:
        server.shutdown()
        server.server_close()


def alert_config(config: dict, smtp_port: int | None = None, webhook_url: str | None = None, **webhook) -> dict:
    """The config with e-mail to the local SMTP server and/or the webhook to the local receiver switched on."""
    out = copy.deepcopy(config)
    alerts = out.setdefault("alerts", {})
    alerts["email"] = {"enabled": smtp_port is not None, "host": "127.0.0.1", "port": smtp_port or 25,
                       "security": "none", "from": "alerts@msme-lake.test", "to": RECIPIENTS, "timeout_seconds": 5}
    alerts["webhook"] = {"enabled": webhook_url is not None, "url": webhook_url, "timeout_seconds": 5,
                         "attempts": 3, "backoff_seconds": 0.01, **webhook}
    return out
