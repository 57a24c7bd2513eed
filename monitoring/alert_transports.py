"""How an alert leaves the lake: an e-mail over SMTP and a signed webhook (HTTP POST of JSON).

Settings come from ``config.json`` ``alerts.email`` / ``alerts.webhook``; secrets only from the environment:

* ``ALERT_SMTP_USERNAME`` / ``ALERT_SMTP_PASSWORD``: SMTP login (none when unset);
* ``ALERT_WEBHOOK_SECRET``: the key that signs every webhook; a webhook without it is not sent;
* ``ALERT_WEBHOOK_URL``: overrides ``alerts.webhook.url`` (a URL may embed a token).

The webhook carries ``X-MSME-Signature: t=<unix seconds>,v1=<hex>`` where ``hex`` is
HMAC-SHA256(secret, ``f"{t}.".encode() + body``) over the exact bytes of the body; a receiver recomputes it
(:func:`verify_signature`) and refuses a timestamp older than a few minutes (replays). A delivery that
meets a connection error, a timeout, a 429 or a 5xx is tried again after ``backoff_seconds``, doubled each
time, at most ``attempts`` times in all; any other 4xx is final.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

SIGNATURE_HEADER = "X-MSME-Signature"
SIGNATURE_TOLERANCE_S = 300


class TransportError(Exception):
    """An alert could not be delivered over one channel; the message says why (never a secret)."""


# ---- the webhook signature ------------------------------------------------------------------------------
def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The ``X-MSME-Signature`` value for a body sent at ``timestamp`` (unix seconds)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(secret: str, body: bytes, header: str, now: float | None = None,
                     tolerance_s: int = SIGNATURE_TOLERANCE_S) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` and is at most ``tolerance_s`` old (what a receiver does)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance_s:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


# ---- e-mail ----------------------------------------------------------------------------------------------
class EmailTransport:
    """Sends an alert as a plain-text e-mail to ``alerts.email.to`` over SMTP (``security``: none/starttls/ssl)."""

    name = "email"

    def __init__(self, settings: dict[str, Any], env: dict[str, str] | None = None):
        env = os.environ if env is None else env
        self.host = str(settings.get("host") or "localhost")
        self.port = int(settings.get("port") or 25)
        self.security = str(settings.get("security") or "none")
        if self.security not in ("none", "starttls", "ssl"):
            raise ValueError(f"alerts.email.security must be none, starttls or ssl, not {self.security!r}")
        self.sender = str(settings.get("from") or "alerts@localhost")
        self.to = [str(t) for t in settings.get("to") or []]
        self.timeout = float(settings.get("timeout_seconds", 10))
        self.username = env.get("ALERT_SMTP_USERNAME") or None
        self.password = env.get("ALERT_SMTP_PASSWORD") or None

    def send(self, subject: str, text: str, payload: dict[str, Any]) -> str:
        """Deliver one message to every recipient; returns a short outcome line."""
        message = EmailMessage()
        message["Subject"], message["From"], message["To"] = subject, self.sender, ", ".join(self.to)
        message.set_content(text)
        try:
            if self.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                        context=ssl.create_default_context())
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                if self.security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if self.username:
                    client.login(self.username, self.password or "")
                refused = client.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise TransportError(f"SMTP {self.host}:{self.port}: {type(exc).__name__}: {exc}") from None
        return f"sent to {len(self.to) - len(refused)} of {len(self.to)} recipients"


# ---- webhook ---------------------------------------------------------------------------------------------
Sleep = Callable[[float], None]


class WebhookTransport:
    """POSTs the alert as JSON with an HMAC-SHA256 signature; retries transient failures with a bounded backoff."""

    name = "webhook"

    def __init__(self, settings: dict[str, Any], env: dict[str, str] | None = None, sleep: Sleep = time.sleep):
        env = os.environ if env is None else env
        self.url = env.get("ALERT_WEBHOOK_URL") or settings.get("url")
        self.secret = env.get("ALERT_WEBHOOK_SECRET") or None
        self.timeout = float(settings.get("timeout_seconds", 5))
        self.attempts = max(1, min(int(settings.get("attempts", 3)), 10))
        self.backoff = float(settings.get("backoff_seconds", 0.5))
        self.sleep = sleep

    def send(self, subject: str, text: str, payload: dict[str, Any]) -> str:
        """Deliver the payload; returns ``"HTTP <status> after <n> attempt(s)"`` or raises TransportError."""
        import orjson

        if not self.url:
            raise TransportError("alerts.webhook.url (or ALERT_WEBHOOK_URL) is not set")
        if not self.secret:
            raise TransportError("ALERT_WEBHOOK_SECRET is not set: an unsigned webhook is never sent")
        body = orjson.dumps(payload)
        last = ""
        for attempt in range(1, self.attempts + 1):
            request = urllib.request.Request(self.url, data=body, method="POST", headers={
                "Content-Type": "application/json", "User-Agent": "msme-lake-alerts/1",
                SIGNATURE_HEADER: sign(self.secret, body, int(time.time()))})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - URL from config
                    return f"HTTP {response.status} after {attempt} attempt(s)"
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code}"
                if exc.code != 429 and exc.code < 500:
                    break
            except (OSError, urllib.error.URLError) as exc:
                last = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
            if attempt < self.attempts:
                self.sleep(self.backoff * 2 ** (attempt - 1))
        raise TransportError(f"webhook: {last} after {attempt} attempt(s)")


def enabled_transports(settings: dict[str, Any], env: dict[str, str] | None = None) -> list:
    """The transports ``alerts.email.enabled`` / ``alerts.webhook.enabled`` switch on (none by default)."""
    out: list = []
    email, webhook = settings.get("email") or {}, settings.get("webhook") or {}
    if email.get("enabled") and email.get("to"):
        out.append(EmailTransport(email, env))
    if webhook.get("enabled"):
        out.append(WebhookTransport(webhook, env))
    return out
