"""Detached JWS signatures on every AA API message (the ``x-jws-signature`` header).

ReBIT's AA APIs sign each request and response body with a JWS whose payload is detached and unencoded
(RFC 7515 Appendix F with RFC 7797 ``"b64": false``, ``"crit": ["b64"]``): the header carries
``<protected header>..<signature>`` and the body travels as is, so a verifier signs over
``base64url(protected header) + "." + <the exact body bytes>``. The AA ecosystem uses RS256 with each
participant's key from the Central Registry (``kid``); HS256 is here only because RFC 7797's own example uses
it, which is how the construction is tested against a published vector.

Every failure raises :class:`~pipeline.aa.crypto.AAError` with ``code="bad_signature"`` and the reason; a body
changed by one byte, a signature by another key, a missing header or an algorithm we did not agree to are all
refused the same way.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from pipeline.aa.crypto import AAError

ALGORITHMS = ("RS256", "HS256")


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        raise AAError("bad_signature", "the signature is not base64url") from None


def _header(alg: str, kid: str | None) -> str:
    header = {"alg": alg, "b64": False, "crit": ["b64"]}
    if kid:
        header["kid"] = kid
    return b64url(json.dumps(header, separators=(",", ":")).encode())


def _signing_input(protected: str, body: bytes) -> bytes:
    return protected.encode() + b"." + body


def sign(body: bytes, key, alg: str = "RS256", kid: str | None = None, protected: str | None = None) -> str:
    """The detached JWS of ``body``: ``<protected>..<signature>``. ``key`` is an RSA private key (PEM text or
    object) for RS256, the shared secret bytes for HS256; ``protected`` (optional) is a ready header."""
    protected = protected or _header(alg, kid)
    data = _signing_input(protected, body)
    if alg == "RS256":
        private = serialization.load_pem_private_key(key.encode(), password=None) if isinstance(key, str) else key
        signature = private.sign(data, padding.PKCS1v15(), hashes.SHA256())
    elif alg == "HS256":
        signature = hmac.new(key, data, hashlib.sha256).digest()
    else:
        raise AAError("bad_signature", f"unsupported JWS algorithm {alg!r}")
    return f"{protected}..{b64url(signature)}"


def verify(body: bytes, jws: str | None, key, allowed: tuple[str, ...] = ("RS256",)) -> dict:
    """The protected header of a valid detached JWS over ``body``; :class:`AAError` ``bad_signature`` otherwise.

    ``key`` is the signer's RSA public key (PEM text or object) or, for HS256, the shared secret bytes.
    """
    if not jws or jws.count(".") != 2:
        raise AAError("bad_signature", "x-jws-signature is missing or not <header>..<signature>")
    protected, payload, signature = jws.split(".")
    if payload:
        raise AAError("bad_signature", "x-jws-signature must be detached (empty payload part)")
    try:
        header = json.loads(_unb64url(protected))
    except ValueError:
        raise AAError("bad_signature", "the JWS protected header is not JSON") from None
    alg = header.get("alg") if isinstance(header, dict) else None
    if alg not in allowed:
        raise AAError("bad_signature", f"JWS algorithm {alg!r} is not accepted (allowed: {', '.join(allowed)})")
    if header.get("b64") is not False or "b64" not in (header.get("crit") or []):
        raise AAError("bad_signature", "the JWS must be unencoded and detached: b64 false, crit [\"b64\"]")
    data, sig = _signing_input(protected, body), _unb64url(signature)
    if alg == "HS256":
        if not hmac.compare_digest(hmac.new(key, data, hashlib.sha256).digest(), sig):
            raise AAError("bad_signature", "the body does not match its HS256 signature")
        return header
    public = serialization.load_pem_public_key(key.encode()) if isinstance(key, str) else key
    if not isinstance(public, rsa.RSAPublicKey):
        raise AAError("bad_signature", "the signer's key is not an RSA public key")
    try:
        public.verify(sig, data, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise AAError("bad_signature", "the body does not match its RS256 signature: changed in transit, or signed "
                      "by another key") from None
    return header


def new_signing_key() -> tuple[str, str]:
    """A 2048-bit RSA key pair as (private PEM, public PEM), for the local AA and for tests."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return (private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()).decode(),
            private.public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo).decode())


def public_pem(private_pem: str) -> str:
    """The public key (PEM) of a private signing key (PEM): what a party publishes for others to verify."""
    private = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return private.public_key().public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo).decode()
