"""The FIU side of the ReBIT Account Aggregator APIs (issue 14).

* :mod:`.crypto` — the data-flow encryption every AA, FIP and FIU in India uses (Sahamati's Rahasya scheme):
  X25519 key agreement, the two nonces XOR-ed into salt and IV, HKDF-SHA256, AES-256-GCM;
  ``KeyMaterial`` as the ReBIT API carries it. Derivation step by step: ``docs/aa_encryption.md``;
* :mod:`.jws` — the detached, unencoded JWS (``x-jws-signature``) on every request and response body;
* :mod:`.consent_request` — the ``POST /Consent`` body (purpose, fiTypes, FIDataRange, DataLife, Frequency,
  fetchType) and the check that an FI request stays inside the approved consent;
* :mod:`.lifecycle` — the consent's status from ``Consent/Notification``, refusing replays, notifications out
  of order and moves the lifecycle forbids;
* :mod:`.client` — the FIU's HTTP client (signed requests, verified replies) and ``fetch_fi``;
* :mod:`.journey` and :mod:`.commands` — the consent request and the fetch into the lake, behind
  ``python -m pipeline aa-consent`` / ``aa-fetch``;
* :mod:`.records` — the journey record of each customer's AA consent (status history, hashed handle);
* :mod:`.notifications` — ``Consent/Notification`` and ``FI/Notification`` verified and applied; the registry
  follows (an approved consent joins it; revocation or expiry erases);
* :mod:`.periodic` — a PERIODIC consent's re-fetch for ``refresh``; :mod:`.demo` — the demo through the local AA;
* :mod:`.errors` (``AAError``, the one refusal) and :mod:`.timestamps` (the ReBIT timestamp, written and read).

The local AA the demo and the tests talk to is ``python -m generators.aa_server``. How it all fits and how
to point it at a real AA: ``docs/aa_integration.md``.
"""
