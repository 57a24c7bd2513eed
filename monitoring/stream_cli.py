"""``python -m pipeline consume``: the repayment-event stream consumer in a terminal.

Reads a Redis stream in a consumer group (:mod:`monitoring.stream`), ingests each batch into the lake and
acknowledges it, publishes the risk updates to the servers' portfolio rooms, and prints band crossings.
"""
from __future__ import annotations

import argparse


def cmd_consume(args: argparse.Namespace) -> int:
    """Consume until stopped (or ``--stop-after`` / ``--drain``), printing each band crossing as a warning."""
    from monitoring.stream import StreamError, connect, consume, redact_url, resolve_redis_url
    from pipeline.config import load_config
    from pipeline.errors import CommandError
    from pipeline.lake import Lake

    config = load_config({"lake_root": args.lake})  # a local lake only: ConfigError names an object store
    lake = Lake(config["lake_root"])
    url = resolve_redis_url(config, args.redis)
    try:
        client = connect(url)
    except StreamError as exc:
        raise CommandError(str(exc)) from None

    def ready(name: str) -> None:
        print(f"consuming {args.stream!r} as {name} of group {args.group!r} from {redact_url(url)} "
              f"(Ctrl-C or SIGTERM stops after the batch in hand)", flush=True)

    from monitoring.stream import RiskUpdatePublisher

    publish = RiskUpdatePublisher(lake, url)  # risk_update to the servers' portfolio rooms, through Redis

    def alert(update: dict) -> None:
        publish(update)
        if update.get("alert"):
            a = update["alert"]
            reasons = [r.get("text", r) if isinstance(r, dict) else r for r in a.get("reasons") or []]
            print(f"[warning] {update['loan_id']}: band {a.get('from_band')} -> {a.get('to_band')} "
                  f"(PD {float(update.get('pd') or 0):.1%}): {'; '.join(map(str, reasons))}", flush=True)

    try:
        counts = consume(lake, config, url, stream=args.stream, group=args.group, consumer=args.consumer,
                         batch=args.batch, block_ms=args.block_ms, stop_after=args.stop_after, on_update=alert,
                         drain=args.drain, on_ready=ready, client=client)
    except StreamError as exc:
        raise CommandError(str(exc)) from None
    print("consumed " + ", ".join(f"{n} {name}" for name, n in counts.items()), flush=True)
    return 0


def add_consume_command(subparsers) -> argparse.ArgumentParser:
    """Register ``consume`` on the pipeline CLI's subparsers."""
    text = "ingest repayment events from a Redis stream (consumer group, ack after ingest)"
    p = subparsers.add_parser("consume", help=text, description=text)
    p.add_argument("--lake", help="lake root (default: config.json lake_root, or $LAKE_DIR)")
    p.add_argument("--redis", help="Redis URL (default: $REDIS_URL, config monitoring.redis_url, "
                                   "or redis://127.0.0.1:6379/0)")
    p.add_argument("--stream", default="repayments", help="stream name (default: repayments)")
    p.add_argument("--group", default="monitoring", help="consumer group (default: monitoring)")
    p.add_argument("--consumer", help="consumer name, stable across restarts (default: the host name)")
    p.add_argument("--batch", type=int, default=500, help="entries per read and ingest (default: 500)")
    p.add_argument("--block-ms", type=int, default=1000, help="how long a read waits for new entries (default 1000)")
    p.add_argument("--stop-after", type=int, help="stop after reading N entries (re-deliveries included)")
    p.add_argument("--drain", action="store_true", help="stop when the stream has nothing new")
    p.set_defaults(func=cmd_consume)
    return p
