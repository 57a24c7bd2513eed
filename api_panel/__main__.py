"""``python -m api_panel serve | create-token | demo-tokens``."""
from __future__ import annotations

import argparse
import sys

from pipeline.config import load_config
from pipeline.lake import Lake


def main(argv: list[str] | None = None) -> int:
    """Parse the command and run it; errors are one line on stderr."""
    parser = argparse.ArgumentParser(prog="python -m api_panel", description="MSME lending data lake API server")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the API, Socket.IO and the dashboard")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--threads", type=int, default=16, help="request threads of the control process (default 16)")
    serve.add_argument("--workers", type=int, default=None,
                       help="REST worker processes behind nginx (default config.json api.rest_workers; "
                            "0 serves everything from one process)")
    upstream = sub.add_parser("serve-upstream", help=argparse.SUPPRESS)  # started by `serve` behind nginx
    upstream.add_argument("--role", required=True, choices=["control", "rest"])
    upstream.add_argument("--bind", required=True)
    upstream.add_argument("--workers", type=int, default=2)
    upstream.add_argument("--threads", type=int, default=16)
    token = sub.add_parser("create-token", help="create an API token (printed once, stored hashed)")
    token.add_argument("--role", required=True, choices=["officer", "analyst", "admin"])
    token.add_argument("--label", help="a name for the audit log (default: derived from the token)")
    token.add_argument("--scope", action="append", metavar="ITEMS",
                       help="limit the token to branches and/or customers: comma-separated branch:<code> and "
                            "customer:<id> items, e.g. branch:BLR01,customer:CUST_MSM_00003 (repeatable; "
                            "default: the whole book)")
    revoke = sub.add_parser("revoke-token", help="revoke the stored tokens with a label (their sockets are dropped)")
    revoke.add_argument("--label", required=True)
    demo = sub.add_parser("demo-tokens", help="print one demo token per role (kept across starts; new if revoked)")
    demo.add_argument("--new", action="store_true", help="replace the demo tokens with new ones")
    args = parser.parse_args(argv)
    try:
        if args.command == "serve":
            from api_panel.server import serve as run_server
            return run_server(args.host, args.port, args.threads, args.workers)
        if args.command == "serve-upstream":
            from api_panel.server import serve_upstream
            serve_upstream(args.role, args.bind, args.workers, args.threads)
            return 0
        from api_panel.auth import TokenStore
        lake = Lake(load_config()["lake_root"])
        store = TokenStore(lake)
        if args.command == "create-token":
            from api_panel.scopes import parse_scope
            scope = parse_scope(args.scope) if args.scope is not None else None
            print(f"token for role {args.role}, scope {scope or 'the whole book'} (shown once; stored hashed):",
                  file=sys.stderr)
            print(store.create(args.role, args.label, scope=scope))
            return 0
        if args.command == "revoke-token":
            removed = store.revoke(args.label)
            print(f"revoked {removed} token(s) labelled {args.label}", file=sys.stderr)
            return 0 if removed else 1
        from api_panel.demo_tokens import demo_tokens
        tokens = demo_tokens(lake, store, renew=args.new)
        print(f"Demo API tokens (paste one into the dashboard's sign-in; kept in {lake.demo_tokens_path}, "
              "`python -m api_panel demo-tokens --new` replaces them):")
        for role, token, kept in tokens:
            print(f"  {role:<8} {token}" + ("" if kept else "   (new)"))
        return 0
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
