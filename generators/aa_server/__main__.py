"""``python -m generators.aa_server``: serve the local AA until interrupted."""
from __future__ import annotations

import argparse

from generators.aa_server.app import create_aa_app


def main(argv: list[str] | None = None) -> int:
    """Serve the local AA until interrupted; the FIU registers its public key with ``--fiu-key``."""
    parser = argparse.ArgumentParser(prog="python -m generators.aa_server",
                                     description="A local Account Aggregator and FIP (ReBIT AA API 2.0.0).")
    parser.add_argument("--port", type=int, default=7070)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--fiu-key", action="append", default=[], metavar="CLIENT_ID=PEM_FILE",
                        help="an FIU allowed to call, with its RSA public key (PEM file)")
    args = parser.parse_args(argv)
    keys = {}
    for item in args.fiu_key:
        client, _, path = item.partition("=")
        with open(path, encoding="utf-8") as fh:
            keys[client] = fh.read()
    create_aa_app(keys).run(host=args.host, port=args.port, threaded=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
