"""The AA data-flow encryption (pipeline/aa/crypto.py) against published vectors and as the FIP and FIU use it."""
import base64
import os
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from pipeline.aa.crypto import (AAError, check_key_material, decrypt, encrypt, new_ephemeral_key, public_key,
                                session_key, shared_secret, xor_nonces)


def test_x25519_agrees_with_rfc7748_section_6_1():
    # Alice's private key and Bob's public key from RFC 7748 §6.1 (also Rahasya's own test), 64 hex characters
    alice = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
    bob_public = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
    assert shared_secret(alice, public_key(bob_public)).hex() == \
        "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"


def test_hkdf_sha256_is_rfc5869_test_case_1():
    # RFC 5869 A.1 with no info (Rahasya passes none): the library's HKDF is the one the session key uses
    ikm = bytes.fromhex("0b" * 22)
    salt = bytes.fromhex("000102030405060708090a0b0c")
    okm = HKDF(algorithm=hashes.SHA256(), length=42, salt=salt, info=bytes.fromhex("f0f1f2f3f4f5f6f7f8f9")).derive(ikm)
    assert okm.hex() == ("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                         "34007208d5b887185865")


def test_salt_is_the_first_20_and_iv_the_last_12_bytes_of_the_xored_nonces():
    ours, theirs = bytes(range(32)), bytes([0xFF] * 32)
    xored = xor_nonces(base64.b64encode(ours).decode(), base64.b64encode(theirs).decode())
    assert xored == bytes(0xFF ^ i for i in range(32))
    secret = bytes(32)
    expected = HKDF(algorithm=hashes.SHA256(), length=32, salt=xored[:20], info=None).derive(secret)
    assert session_key(secret, xored) == expected
    # encrypt = AES-256-GCM under that key with the last 12 bytes as IV, tag appended
    fip, fiu = new_ephemeral_key(), new_ephemeral_key()
    n_fip, n_fiu = base64.b64encode(ours).decode(), base64.b64encode(theirs).decode()
    blob = encrypt(fip.private_pem, check_key_material(fiu.key_material), n_fip, n_fiu, b'{"Account": {}}')
    key = session_key(shared_secret(fiu.private_pem, check_key_material(fip.key_material)), xored)
    assert AESGCM(key).decrypt(xored[-12:], base64.b64decode(blob), None) == b'{"Account": {}}'


def test_the_fiu_reads_what_the_fip_encrypted_for_it():
    fiu, fip = new_ephemeral_key(), new_ephemeral_key()
    data = ('{"Account": {"type": "deposit", "Transactions": {"Transaction": [' + '{"amount": "1.00"},' * 500 + "]}}}"
            ).encode()
    blob = encrypt(fip.private_pem, check_key_material(fiu.key_material), fip.nonce, fiu.nonce, data)
    assert decrypt(fiu.private_pem, check_key_material(fip.key_material), fiu.nonce, fip.nonce, blob) == data
    # the KeyMaterial as ReBIT carries it
    m = fiu.key_material
    assert m["cryptoAlg"] == "ECDH" and m["curve"] == "Curve25519"
    assert m["DHPublicKey"]["KeyValue"].startswith("-----BEGIN PUBLIC KEY-----")
    assert len(base64.b64decode(m["Nonce"])) == 32 and "PRIVATE" not in str(m)


@pytest.mark.parametrize("change", ["flip_byte", "wrong_key", "wrong_nonce", "not_base64"])
def test_tampered_or_misaddressed_data_is_refused_with_its_cause(change):
    fiu, fip, other = new_ephemeral_key(), new_ephemeral_key(), new_ephemeral_key()
    blob = encrypt(fip.private_pem, check_key_material(fiu.key_material), fip.nonce, fiu.nonce, b"statement")
    key, nonce = fiu.private_pem, fiu.nonce
    if change == "flip_byte":
        raw = bytearray(base64.b64decode(blob))
        raw[3] ^= 1
        blob = base64.b64encode(bytes(raw)).decode()
    elif change == "wrong_key":
        key = other.private_pem
    elif change == "wrong_nonce":
        nonce = other.nonce
    else:
        blob = "%%% not base64 %%%"
    with pytest.raises(AAError) as err:
        decrypt(key, check_key_material(fip.key_material), nonce, fip.nonce, blob)
    assert err.value.code == "tampered_ciphertext"


def test_expired_keys_wrong_curves_and_bad_nonces_are_refused():
    now = datetime(2026, 12, 4, tzinfo=timezone.utc)
    stale = new_ephemeral_key(valid_for=timedelta(hours=1), now=now - timedelta(hours=2))
    with pytest.raises(AAError) as err:
        check_key_material(stale.key_material, now=now)
    assert err.value.code == "expired_key"
    fresh = new_ephemeral_key(now=now)
    assert check_key_material(fresh.key_material, now=now)
    with pytest.raises(AAError) as err:
        check_key_material({**fresh.key_material, "curve": "secp256r1"}, now=now)
    assert err.value.code == "bad_key"
    with pytest.raises(AAError) as err:
        public_key("-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----")
    assert err.value.code == "bad_key"
    with pytest.raises(AAError) as err:
        xor_nonces(fresh.nonce, base64.b64encode(os.urandom(16)).decode())
    assert err.value.code == "bad_nonce"
