"""``python -m pipeline <command>``: the one command-line entry point to the lake.

Every command checks the customer id before anything touches the disk (exit
status 2 and one line on stderr), and reports failures as one clear line with
a non-zero status, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.config import REMOTE_COMMANDS, ConfigError, is_object_store_url, load_config
from pipeline.errors import CommandError
from pipeline.lake import InvalidCustomerIdError, Lake, LakeError, validate_customer_id
from pipeline.remote_lake import RemoteLake
from pipeline.remote_stage import working_copy

EXIT_FAILURE = 1
EXIT_USAGE = 2


def _as_of(text: str) -> date:
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid --as-of {text!r}: expected YYYY-MM") from None


def _printer(quiet: bool = False, as_json: bool = False):
    def progress(level: str, message: str) -> None:
        if as_json:  # one JSON object a line, for programs that follow a run (the API's job runner)
            print(json.dumps({"level": level, "message": message}), flush=True)
        elif not quiet or level in ("warning", "error"):
            print(f"[{level}] {message}", flush=True)
    return progress


def _lake(args: argparse.Namespace, object_store: bool = False) -> tuple[Any, dict[str, Any]]:
    """The lake the command names and the settings; a :class:`RemoteLake` only for commands that can use one."""
    config = load_config({"lake_root": getattr(args, "lake", None)}, object_store=True)
    root = config["lake_root"]
    if not is_object_store_url(root):
        return Lake(root), config
    if not object_store:
        raise CommandError(f"`{args.command}` works on a local lake directory only, and {root} is an object store "
                           f"(on an object-store lake use {REMOTE_COMMANDS})")
    return RemoteLake(root), config


@contextmanager
def _working_lake(args: argparse.Namespace, customer_id: str, models: bool = False,
                  say: Callable[[str, str], None] | None = None) -> Iterator[tuple[Lake, dict, Callable[[Path], str]]]:
    """``(lake, config, show)`` for one customer's command: the local lake, or a working copy of an object store.

    On an object store the customer is staged into a private local lake,
    the command runs there unchanged and what it changed is published on exit
    (:func:`pipeline.remote_stage.working_copy`); ``show(path)`` names a lake path as the
    user knows it (the object URL, not the temporary directory).
    """
    store, config = _lake(args, object_store=True)
    if not isinstance(store, RemoteLake):
        yield store, config, str
        return
    say = say or _printer()

    def published(result) -> None:
        say("info", f"published to {store.url}: {len(result.written)} object(s) written, "
                    f"{len(result.deleted)} deleted, {result.unchanged} unchanged, {result.entries} log entr"
                    + ("y" if result.entries == 1 else "ies"))

    with working_copy(store, customer_id, models=models, on_published=published) as lake:
        yield lake, config, lambda path: store.url_for(Path(path).relative_to(lake.root).as_posix())


def cmd_generate(args: argparse.Namespace) -> int:
    from generators.registry import PROFILE_NAMES
    from pipeline.stages import generate_stage

    if args.profile and args.profile not in PROFILE_NAMES:
        raise CommandError(f"unknown profile {args.profile!r}; known: {', '.join(PROFILE_NAMES)}")
    with _working_lake(args, args.customer_id) as (lake, config, show):
        result = generate_stage(lake, args.customer_id, config, _printer(), profile=args.profile, as_of=args.as_of)
        where = show(lake.customer_dir("raw", args.customer_id))
    print(f"generated {args.customer_id} ({result['profile']}, as of {result['as_of'][:7]}) into {where}")
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    from pipeline.stages import clean_stage

    with _working_lake(args, args.customer_id) as (lake, config, show):
        clean_stage(lake, args.customer_id, config, _printer())
        where = show(lake.log_path(args.customer_id, "clean_report"))
    print(f"cleaned {args.customer_id}: report at {where}")
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    from pipeline.stages import analyze_stage

    with _working_lake(args, args.customer_id) as (lake, config, show):
        analyze_stage(lake, args.customer_id, config, _printer())
        where = show(lake.customer_dir("analytics", args.customer_id))
    print(f"analysed {args.customer_id}: documents in {where}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from pipeline.overlap import can_overlap, run_overlapped
    from pipeline.runner import UnknownStepError, parse_steps, run_steps

    try:
        steps = parse_steps(args.steps)
    except UnknownStepError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if "generate" in steps and args.profile:
        from generators.registry import PROFILE_NAMES

        if args.profile not in PROFILE_NAMES:
            raise CommandError(f"unknown profile {args.profile!r}; known: {', '.join(PROFILE_NAMES)}")
    options = {"generate": {"profile": args.profile, "as_of": args.as_of}}
    say = _printer(as_json=args.progress_json)
    with _working_lake(args, args.customer_id, models="score" in steps, say=say) as (lake, config, _):
        if can_overlap(steps, args.processes):
            outcome = run_overlapped(lake, args.customer_id, steps, config, say, options)
        else:
            outcome = run_steps(lake, args.customer_id, steps, config, say, options)
    if outcome["status"] != "done":
        raise CommandError(outcome["error"])
    if not args.progress_json:
        print(f"run finished for {args.customer_id}: {', '.join(steps)}")
    return 0


def cmd_import_aa(args: argparse.Namespace) -> int:
    from pipeline.aa_import import AAImportError
    from pipeline.aa_store import import_aa

    try:
        with _working_lake(args, args.customer_id) as (lake, _, _):
            result = import_aa(lake, args.customer_id, args.file)
            lake.audit("import_aa", args.customer_id, accounts=len(result.accounts),
                       transactions=len(result.transactions))
    except AAImportError as exc:
        raise CommandError(f"import failed: {exc}") from None
    for warning in result.warnings:
        print(f"[warning] {warning}")
    print(f"imported {len(result.accounts)} account(s) and {len(result.transactions)} transaction(s) "
          f"for {args.customer_id} (FI schema {', '.join(result.fi_versions) or 'unknown'}); run clean next")
    return 0


def cmd_aa_consent(args: argparse.Namespace) -> int:
    from pipeline.aa.commands import aa_consent, print_lines

    lake, config = _lake(args)
    print_lines(aa_consent(lake, config, args.customer_id, args.purpose, args.fi_types, args.handle), args.progress_json)
    return 0


def cmd_aa_fetch(args: argparse.Namespace) -> int:
    from pipeline.aa.commands import aa_fetch, print_lines

    lake, config = _lake(args)
    print_lines(aa_fetch(lake, config, args.customer_id, _printer(as_json=args.progress_json)), args.progress_json)
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    from pipeline.consents import ConsentRegistry, erase_customer

    lake, _ = _lake(args, object_store=True)  # a Lake or a RemoteLake: the same erase and audit contract
    if isinstance(lake, RemoteLake):
        layers = lake.erase(args.customer_id)
    else:   # the files, then the consent and AA journey records minimised
        layers = erase_customer(lake, ConsentRegistry(lake), args.customer_id)
    lake.audit("erase", args.customer_id, reason=args.reason, layers=layers, actor="cli")
    if layers:
        print(f"erased {args.customer_id} from {', '.join(layers)}")
    else:
        print(f"nothing to erase for {args.customer_id}; the request is recorded in the audit log")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    import orjson

    from pipeline.customers import list_customers, remote_customer_summaries

    lake, _ = _lake(args, object_store=True)
    rows = remote_customer_summaries(lake) if isinstance(lake, RemoteLake) else list_customers(lake)
    if args.json:
        print(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode())
        return 0
    if not rows:
        print(f"no customers in {lake.url if isinstance(lake, RemoteLake) else lake.root}")
        return 0
    print(f"{'CUSTOMER':<16} {'PROFILE':<24} {'CONSENT':<9} LAST RUN")
    for row in rows:
        run = row["last_run"]
        last = f"{run['ts']} {run['status']} ({','.join(run['steps'])})" if run else "never"
        print(f"{row['customer_id']:<16} {row['profile'] or '-':<24} {row['consent_status'] or '-':<9} {last}")
    return 0


def cmd_prepare_demo(args: argparse.Namespace) -> int:
    from pipeline.demo import prepare_demo

    lake, config = _lake(args)
    failed = prepare_demo(lake, config, args.as_of, lambda message: print(message, flush=True), _printer(quiet=True))
    if failed:
        raise CommandError("demo preparation failed for " + "; ".join(failed))
    print(f"{len(config['demo_customers'])} demo customers ready in {lake.root}")
    return 0


# ---- batch and refresh (pipeline/batch.py, pipeline/refresh.py) ----
def cmd_refresh(args: argparse.Namespace) -> int:
    from pipeline.refresh import run_refresh

    lake, config = _lake(args)
    report = run_refresh(lake, config, dry_run=args.dry_run,
                         progress=(lambda level, message: None) if args.json else _printer())
    if args.json:  # one JSON document: what the API server's schedule reads
        print(json.dumps(report), flush=True)
    else:
        counts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in report["summary"].items() if n)
        print(f"refresh {'planned' if args.dry_run else 'finished'} for {len(report['customers'])} customer(s) "
              f"with consents: {counts or 'nothing to do'}")
    return EXIT_FAILURE if report["summary"]["failed"] else 0


def cmd_batch(args: argparse.Namespace) -> int:
    from pipeline.batch import BatchInputError, all_customers, dask_client, read_customer_file, run_batch
    from pipeline.runner import UnknownStepError, parse_steps

    try:
        steps = parse_steps(args.steps)
    except UnknownStepError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    lake, config = _lake(args, object_store=True)  # an object store: each task stages its customer in its worker
    try:
        items = all_customers(lake, config) if args.all else read_customer_file(args.customers)
    except BatchInputError as exc:
        raise CommandError(str(exc)) from None
    if not items:
        raise CommandError("no customers to run")
    with dask_client(args.scheduler, args.workers) as client:
        summary = run_batch(client, lake, config, items, steps, _printer(as_json=args.progress_json), args.as_of)
    return EXIT_FAILURE if summary["failed"] else 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command (also used to document them)."""
    parser = argparse.ArgumentParser(prog="python -m pipeline", description="MSME lending data lake pipeline")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func, help_text: str, customer: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        if customer:
            p.add_argument("--customer-id", required=True, help="customer id, CUST_XXX_NNNNN")
        p.add_argument("--lake", help="lake root: a directory, or s3://bucket/prefix where the command supports "
                                      "it (default: config.json lake_root, or $LAKE_DIR)")
        p.set_defaults(func=func)
        return p

    p = command("generate", cmd_generate, "write a synthetic customer into the raw layer")
    p.add_argument("--profile", help="profile name (default: from config or the id's hash)")
    p.add_argument("--as-of", type=_as_of, help="last month + 1 of the history, YYYY-MM (default: this month)")
    command("clean", cmd_clean, "repair, de-duplicate and validate raw data into clean + quarantine")
    command("analyze", cmd_analyze, "compute the underwriting analytics from the clean layer")
    p = command("run", cmd_run, "run pipeline steps in order")
    p.add_argument("--steps", help="comma-separated steps (default: generate,clean,analyze,score,models)")
    p.add_argument("--profile", help="profile for the generate step")
    p.add_argument("--as-of", type=_as_of, help="as-of month for the generate step, YYYY-MM")
    p.add_argument("--progress-json", action="store_true", help="print progress as JSON lines {level, message}")
    p.add_argument("--processes", choices=("auto", "1", "2"), default="auto",
                   help="2: a second process imports the model steps' libraries while generate, clean and analyze "
                        "run; 1: every step in this process; auto (default): 2 when a core is idle")
    p = command("import-aa", cmd_import_aa, "import real AA FI data (JSON or ReBIT XML) into the raw layer")
    p.add_argument("--file", required=True, help="FI data file")
    p = command("aa-consent", cmd_aa_consent, "ask the customer's Account Aggregator for consent; prints the consent "
                "handle and the URL where the customer approves")
    p.add_argument("--purpose", default="101", help="ReBIT purpose code (default 101)")
    p.add_argument("--fi-types", default="DEPOSIT", help="comma-separated FI types (default DEPOSIT)")
    p.add_argument("--handle", help="the customer's AA handle (default: the local AA's handle of the customer id)")
    p.add_argument("--progress-json", action="store_true", help="print as JSON lines {level, message}")
    p = command("aa-fetch", cmd_aa_fetch, "fetch FI data under the customer's active AA consent, decrypt, import, clean")
    p.add_argument("--progress-json", action="store_true", help="print progress as JSON lines {level, message}")
    p = command("erase", cmd_erase, "erase a customer from every layer (DPDP) and record it in the audit log")
    p.add_argument("--reason", default="erasure requested", help="why (kept in the audit log)")
    p = command("prepare-demo", cmd_prepare_demo, "the ten demo customers: bank and GST data fetched through the "
                "local AA over HTTP, the rest generated, every step run", customer=False)
    p.add_argument("--as-of", type=_as_of, help="as-of month, YYYY-MM (default: this month)")
    p = command("list", cmd_list, "list customers with profile, consent status and last run", customer=False)
    p.add_argument("--json", action="store_true", help="print JSON")
    # ---- batch and refresh (pipeline/batch.py, pipeline/refresh.py) ----
    p = command("refresh", cmd_refresh, "re-run customers whose PERIODIC consent allows a new fetch; erase those "
                "whose consent or DataLife has ended", customer=False)
    p.add_argument("--dry-run", action="store_true", help="print the plan; change nothing")
    p.add_argument("--json", action="store_true", help="print the report as one JSON document")
    p = command("batch", cmd_batch, "run pipeline steps for many customers on Dask distributed", customer=False)
    chosen = p.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--customers", metavar="FILE", help="one customer id a line, optionally 'id,profile'")
    chosen.add_argument("--all", action="store_true", help="every customer in the lake plus the demo customers")
    p.add_argument("--scheduler", metavar="ADDRESS", help="an existing Dask scheduler (default: a LocalCluster)")
    p.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (default: 2)")
    p.add_argument("--steps", help="comma-separated steps (default: generate,clean,analyze,score,models)")
    p.add_argument("--as-of", type=_as_of, help="as-of month for the generate step, YYYY-MM (default: this month)")
    p.add_argument("--progress-json", action="store_true", help="print progress as JSON lines {level, message}")
    # ---- stream consumer (monitoring/stream_cli.py owns the command) ----
    from monitoring.stream_cli import add_consume_command
    add_consume_command(sub)
    # ---- narration categoriser (analytics/bank/categorise/cli.py owns the command) ----
    from analytics.bank.categorise.cli import add_categorise_command
    add_categorise_command(sub)
    # ---- the Parquet warehouse (pipeline/warehouse/cli.py owns the command) ----
    from pipeline.warehouse.cli import add_warehouse_command
    add_warehouse_command(sub)
    # ---- risk model (analytics/risk/cli.py owns the command) ----
    from analytics.risk.cli import add_train_risk_command
    add_train_risk_command(sub)
    from monitoring.health_cli import add_model_health_command
    add_model_health_command(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, check the customer id first, run the command; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if hasattr(args, "customer_id"):
        try:
            validate_customer_id(args.customer_id)
        except InvalidCustomerIdError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    try:
        return args.func(args)
    except (CommandError, ConfigError, LakeError, InvalidCustomerIdError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:  # output piped into `head`: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the user gets one line, never a traceback
        from pipeline.stages import StageError
        if isinstance(exc, StageError):
            print(f"error: {exc}", file=sys.stderr)
        else:
            print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
