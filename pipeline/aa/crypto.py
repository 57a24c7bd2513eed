"""Forward-secret encryption of FI data between FIP and FIU, exactly as the AA ecosystem does it.

The scheme is Sahamati's reference implementation (Rahasya), which AAs, FIPs and FIUs interoperate with:

1. each side makes an ephemeral X25519 key pair and a 32-byte random nonce per FI request; the FIU sends its
   public key and nonce in the request's ``KeyMaterial``, the FIP answers with its own in the FI data;
2. the shared secret is X25519(own private key, the other side's public key) (RFC 7748);
3. the two nonces are XOR-ed byte by byte; the first 20 bytes of the result are the HKDF salt, the last 12
   the AES-GCM IV;
4. the session key is HKDF-SHA256(shared secret, salt, no info, 32 bytes) (RFC 5869);
5. the data is AES-256-GCM encrypted with that key and IV, the 16-byte tag appended, then base64-encoded.

Public keys travel as PEM ``SubjectPublicKeyInfo`` in ``KeyMaterial.DHPublicKey.KeyValue`` (or 64 hex
characters of the raw key, which Rahasya also accepts), with an ``expiry`` the receiver must check. Every
failure raises :class:`AAError` naming its cause (``bad_key``, ``expired_key``, ``tampered_ciphertext``,
``bad_nonce``), never a library traceback; private keys never leave this module except as PEM for the caller
to keep in memory.
"""
from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from pipeline.aa.errors import AAError
from pipeline.aa.timestamps import iso_z, parse_iso

__all__ = ["AAError", "EphemeralKey", "new_ephemeral_key", "public_key", "check_key_material", "xor_nonces",
           "session_key", "shared_secret", "encrypt", "decrypt"]

NONCE_BYTES = 32
SALT_BYTES = 20
IV_BYTES = 12
KEY_BYTES = 32
CURVE = "Curve25519"
CRYPTO_ALG = "ECDH"
PARAMS = "cipher=AES/GCM/NoPadding;KeyPairGenerator=ECDH"


@dataclass(frozen=True)
class EphemeralKey:
    """One side's key pair and nonce for one FI request. ``private_pem`` stays in memory, never in the lake."""

    private_pem: str
    key_material: dict
    nonce: str


def new_ephemeral_key(valid_for: timedelta = timedelta(hours=24), now: datetime | None = None) -> EphemeralKey:
    """A fresh X25519 key pair and 32-byte nonce, with the ReBIT ``KeyMaterial`` that publishes them."""
    private = X25519PrivateKey.generate()
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    private_pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode()
    nonce = base64.b64encode(os.urandom(NONCE_BYTES)).decode()
    expiry = iso_z((now or datetime.now(timezone.utc)) + valid_for)
    material = {"cryptoAlg": CRYPTO_ALG, "curve": CURVE, "params": PARAMS,
                "DHPublicKey": {"expiry": expiry, "Parameters": "", "KeyValue": public_pem}, "Nonce": nonce}
    return EphemeralKey(private_pem, material, nonce)


def _private(pem_or_hex: str) -> X25519PrivateKey:
    try:
        if len(pem_or_hex) == 64:
            return X25519PrivateKey.from_private_bytes(bytes.fromhex(pem_or_hex))
        key = serialization.load_pem_private_key(pem_or_hex.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise AAError("bad_key", f"our private key is not an X25519 key: {exc}") from None
    if not isinstance(key, X25519PrivateKey):
        raise AAError("bad_key", "our private key is not an X25519 key")
    return key


def public_key(key_value: str) -> X25519PublicKey:
    """The other side's X25519 public key from ``KeyValue`` (PEM SubjectPublicKeyInfo or 64 hex characters)."""
    try:
        if len(key_value) == 64:
            return X25519PublicKey.from_public_bytes(bytes.fromhex(key_value))
        key = serialization.load_pem_public_key(key_value.encode())
    except (ValueError, TypeError) as exc:
        raise AAError("bad_key", f"the remote public key is not an X25519 key: {exc}") from None
    if not isinstance(key, X25519PublicKey):
        raise AAError("bad_key", "the remote public key is not an X25519 key (curve must be Curve25519)")
    return key


def check_key_material(material: dict, now: datetime | None = None) -> X25519PublicKey:
    """The public key of a received ``KeyMaterial``, refused when the curve is wrong or the key has expired."""
    if not isinstance(material, dict) or not isinstance(material.get("DHPublicKey"), dict):
        raise AAError("bad_key", "KeyMaterial.DHPublicKey is missing")
    if str(material.get("curve", CURVE)).lower() not in ("curve25519", "x25519"):
        raise AAError("bad_key", f"KeyMaterial.curve {material.get('curve')!r} is not Curve25519")
    dh = material["DHPublicKey"]
    expiry = parse_iso(dh.get("expiry", ""), "KeyMaterial.DHPublicKey.expiry", code="bad_key")
    if expiry <= (now or datetime.now(timezone.utc)):
        raise AAError("expired_key", f"the remote key expired at {dh.get('expiry')}")
    return public_key(str(dh.get("KeyValue", "")))


def _nonce(value: str, which: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise AAError("bad_nonce", f"{which} nonce is not base64") from None
    if len(raw) != NONCE_BYTES:
        raise AAError("bad_nonce", f"{which} nonce has {len(raw)} bytes, not {NONCE_BYTES}")
    return raw


def xor_nonces(ours: str, theirs: str) -> bytes:
    """The two base64 32-byte nonces XOR-ed byte by byte (step 3)."""
    a, b = _nonce(ours, "our"), _nonce(theirs, "the remote")
    return bytes(x ^ y for x, y in zip(a, b))


def session_key(shared_secret: bytes, xored: bytes) -> bytes:
    """HKDF-SHA256 of the shared secret, salted with the first 20 bytes of the XOR-ed nonces (step 4)."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=xored[:SALT_BYTES], info=None).derive(shared_secret)


def shared_secret(our_private: str, remote_public: X25519PublicKey) -> bytes:
    """X25519 of our private key and the remote public key (step 2)."""
    return _private(our_private).exchange(remote_public)


def encrypt(our_private: str, remote_public: X25519PublicKey, our_nonce: str, remote_nonce: str,
            plaintext: bytes) -> str:
    """Base64 of AES-256-GCM(plaintext) under the Rahasya session key and IV (the FIP's side)."""
    xored = xor_nonces(our_nonce, remote_nonce)
    key = session_key(shared_secret(our_private, remote_public), xored)
    return base64.b64encode(AESGCM(key).encrypt(xored[-IV_BYTES:], plaintext, None)).decode()


def decrypt(our_private: str, remote_public: X25519PublicKey, our_nonce: str, remote_nonce: str,
            ciphertext_b64: str) -> bytes:
    """The plaintext of a base64 AES-256-GCM payload (the FIU's side); a changed byte is refused."""
    xored = xor_nonces(our_nonce, remote_nonce)
    key = session_key(shared_secret(our_private, remote_public), xored)
    try:
        data = base64.b64decode(ciphertext_b64, validate=True)
        return AESGCM(key).decrypt(xored[-IV_BYTES:], data, None)
    except (binascii.Error, ValueError):
        raise AAError("tampered_ciphertext", "the encrypted FI data is not base64") from None
    except InvalidTag:
        raise AAError("tampered_ciphertext", "the encrypted FI data fails its GCM tag: altered in transit, or "
                      "encrypted for another key or nonce") from None
