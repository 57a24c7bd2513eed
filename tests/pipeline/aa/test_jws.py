"""Detached, unencoded JWS (pipeline/aa/jws.py): RFC 7797's published example, and RS256 as the AA APIs use it."""
import base64

import pytest

from pipeline.aa.crypto import AAError
from pipeline.aa.jws import new_signing_key, sign, verify

# RFC 7797 §4.2: payload "$.02", header {"alg":"HS256","b64":false,"crit":["b64"]}, key of RFC 7515 A.1
RFC7515_A1_KEY = base64.urlsafe_b64decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgU"
                                          "uTwjAzZr1Z9CAow==")
RFC7797_PROTECTED = "eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19"
RFC7797_JWS = RFC7797_PROTECTED + "..A5dxf2s96_n5FLueVuW1Z_vh161FwXZC4YLPff6dmDY"


def test_rfc7797_example_signature_and_verification():
    assert sign(b"$.02", RFC7515_A1_KEY, alg="HS256", protected=RFC7797_PROTECTED) == RFC7797_JWS
    assert verify(b"$.02", RFC7797_JWS, RFC7515_A1_KEY, allowed=("HS256",))["alg"] == "HS256"
    with pytest.raises(AAError):
        verify(b"$.03", RFC7797_JWS, RFC7515_A1_KEY, allowed=("HS256",))


@pytest.fixture(scope="module")
def keys():
    return new_signing_key(), new_signing_key()


def test_rs256_detached_signature_round_trip(keys):
    (private, public), _ = keys
    body = b'{"ver":"2.0.0","timestamp":"2026-12-04T10:00:00.000Z","txnid":"f35761ac","ConsentHandle":"abc"}'
    jws = sign(body, private, kid="fiu-key-1")
    protected, empty, _ = jws.split(".")
    assert empty == ""   # the body is not inside the signature header
    header = verify(body, jws, public)
    assert header == {"alg": "RS256", "b64": False, "crit": ["b64"], "kid": "fiu-key-1"}


@pytest.mark.parametrize("case", ["changed_body", "other_key", "missing", "attached", "hs256_not_allowed"])
def test_bad_signatures_are_refused(keys, case):
    (private, public), (other_private, _) = keys
    body = b'{"consentId":"c-1"}'
    jws = sign(body, private)
    if case == "changed_body":
        body = b'{"consentId":"c-2"}'
    elif case == "other_key":
        jws = sign(body, other_private)
    elif case == "missing":
        jws = None
    elif case == "attached":
        protected, _, signature = jws.split(".")
        jws = f"{protected}.eyJ4IjoxfQ.{signature}"
    else:
        jws = sign(body, b"shared", alg="HS256")
    with pytest.raises(AAError) as err:
        verify(body, jws, public)
    assert err.value.code == "bad_signature"
