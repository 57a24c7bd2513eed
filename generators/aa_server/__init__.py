"""A local Account Aggregator and FIP: a real HTTP server speaking the ReBIT AA API 2.0.0 to our FIU.

    python -m generators.aa_server [--port 7070] [--host 127.0.0.1]
        [--fiu-key CLIENT_ID=PEM_FILE ...] [--fiu-url CLIENT_ID=BASE_URL ...]

It stands in for a production AA in the demo and the tests: the FIU's signed API calls (:mod:`.app`), the
customer's approval page where a consent is approved, rejected, paused, resumed or revoked (:mod:`.customer`,
:mod:`.pages`, :mod:`.consents`), signed ``Consent/Notification`` and ``FI/Notification`` messages to the FIU that
asked (:mod:`.notify`, sent in order by :mod:`.outbox`), the consent's ``fetchType``/``Frequency`` enforced
(:mod:`.fetch_limits`), and switches for tests (:mod:`.admin`): the faults of ``FAULTS``, consent moves, the
notification log. :func:`create_aa_app` builds it; the CLI is :mod:`.__main__`. Reference: ``docs/aa_integration.md``.
"""
from generators.aa_server.app import FAULTS, create_aa_app

__all__ = ["FAULTS", "create_aa_app"]
