"""``python -m generators.aa_server``: serve the local AA until interrupted.

    python -m generators.aa_server [--port 7070] [--host 127.0.0.1]
        [--fiu-key CLIENT_ID=PEM_FILE ...] [--fiu-url CLIENT_ID=BASE_URL ...] [--state-dir DIR]
"""
from __future__ import annotations

import argparse

from generators.aa_server.app import create_aa_app


def _pairs(items: list[str], option: str, parser: argparse.ArgumentParser) -> dict[str, str]:
    pairs = {}
    for item in items:
        client, _, value = item.partition("=")
        if not client or not value:
            parser.error(f"{option} takes CLIENT_ID=VALUE; got {item!r}")
        pairs[client] = value
    return pairs


def main(argv: list[str] | None = None) -> int:
    """Serve the local AA until interrupted: the FIU registers its public key with ``--fiu-key`` and, to be
    notified of consent and FI status changes, its base URL with ``--fiu-url``."""
    parser = argparse.ArgumentParser(prog="python -m generators.aa_server",
                                     description="A local Account Aggregator and FIP (ReBIT AA API 2.0.0).")
    parser.add_argument("--port", type=int, default=7070)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--fiu-key", action="append", default=[], metavar="CLIENT_ID=PEM_FILE",
                        help="an FIU allowed to call, with its RSA public key (PEM file)")
    parser.add_argument("--fiu-url", action="append", default=[], metavar="CLIENT_ID=BASE_URL",
                        help="where to notify an FIU: <BASE_URL>/Consent/Notification and /FI/Notification")
    parser.add_argument("--state-dir", metavar="DIR",
                        help="keep the AA's signing key and consents here across restarts (default: forget them)")
    args = parser.parse_args(argv)
    keys = {}
    for client, path in _pairs(args.fiu_key, "--fiu-key", parser).items():
        with open(path, encoding="utf-8") as fh:
            keys[client] = fh.read()
    app = create_aa_app(keys, fiu_urls=_pairs(args.fiu_url, "--fiu-url", parser), state_dir=args.state_dir)
    app.run(host=args.host, port=args.port, threaded=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
