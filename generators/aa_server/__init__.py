"""A local Account Aggregator and FIP: a real HTTP server speaking the ReBIT AA API 2.0.0 to our FIU.

    python -m generators.aa_server [--port 7070] [--host 127.0.0.1] [--fiu-key CLIENT_ID=PEM_FILE]

:func:`create_aa_app` builds it; ``FAULTS`` names the ways it can be told to misbehave. The API is in
:mod:`.app`, the command line in :mod:`.__main__`.
"""
from generators.aa_server.app import FAULTS, create_aa_app

__all__ = ["FAULTS", "create_aa_app"]
