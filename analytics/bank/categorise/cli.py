"""``python -m pipeline categorise [--file F]``: categorise JSON lines so a lender can check the engine against
its own labelled statements.

Input: one JSON object a line, ``{"narration", "type" ("CREDIT"/"DEBIT"), "amount", "mode" (optional)}``,
from stdin by default. Output: one JSON line per input line, in order, with ``group``, ``category``,
``counterparty`` and ``confidence``; a line that cannot be read gets ``{"line": n, "error": "..."}`` naming the
field. Blank lines are skipped. The exit status is non-zero only when no line could be read (every line was
an error, or there was no line at all).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from analytics.bank.categorise.engine import categorise

TYPES = ("CREDIT", "DEBIT")


def _check(record: Any) -> str | None:
    """The first problem of one input record, naming the field, or None."""
    if not isinstance(record, dict):
        return "line is not a JSON object"
    narration = record.get("narration")
    if not isinstance(narration, str):
        return "field 'narration' is missing or not a string"
    txn_type = record.get("type")
    if not isinstance(txn_type, str) or txn_type.strip().upper() not in TYPES:
        return "field 'type' must be CREDIT or DEBIT"
    amount = record.get("amount")
    if isinstance(amount, str):
        try:
            amount = float(amount.replace(",", ""))
        except ValueError:
            return "field 'amount' is not a number"
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount):
        return "field 'amount' is missing or not a number"
    mode = record.get("mode")
    if mode is not None and not isinstance(mode, str):
        return "field 'mode' must be a string or absent"
    return None


def categorise_lines(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One output object per non-blank input line, in order (errors included, with their line number)."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield {"line": number, "error": f"not valid JSON: {exc.msg}"}
            continue
        problem = _check(record)
        if problem:
            yield {"line": number, "error": problem}
            continue
        amount = record["amount"]
        amount = float(amount.replace(",", "")) if isinstance(amount, str) else float(amount)
        yield categorise(record["narration"], record["type"].strip().upper(), amount, record.get("mode")).as_dict()


def run(stream: TextIO, out: TextIO) -> int:
    """Categorise every line of ``stream`` onto ``out``; 0 when at least one line was categorised, 1 when
    none was (every line an error, or no line at all: then one line on stderr says so)."""
    categorised = 0
    for result in categorise_lines(stream):
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        categorised += "error" not in result
    out.flush()
    if not categorised:
        print("error: no line could be read", file=sys.stderr)
        return 1
    return 0


def cmd_categorise(args: argparse.Namespace) -> int:
    """Read ``--file`` (or stdin) and write the categorised lines to stdout."""
    if args.file in (None, "-"):
        return run(sys.stdin, sys.stdout)
    try:
        with open(args.file, encoding="utf-8") as stream:
            return run(stream, sys.stdout)
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except UnicodeDecodeError:
        print(f"error: cannot read {args.file}: not UTF-8 text", file=sys.stderr)
        return 1


def add_categorise_command(subparsers) -> argparse.ArgumentParser:
    """Register ``categorise`` on the pipeline CLI's subparsers."""
    text = "categorise statement narrations (JSON lines in, JSON lines out) into the taxonomy's group and leaf"
    p = subparsers.add_parser("categorise", help=text, description=text + "; docs/taxonomy.md")
    p.add_argument("--file", metavar="F", help="JSON lines file (default: stdin)")
    p.set_defaults(func=cmd_categorise)
    return p
