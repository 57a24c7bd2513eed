"""``python -m pipeline model-health``: the risk model's drift by month in a terminal, and its alerts.

The same report as ``GET /api/model-health`` (:func:`monitoring.drift.model_health`); with ``--alert`` it
also raises the ``drift`` alerts (:func:`monitoring.drift.check_drift`), so cron can check drift after a
refresh it runs itself. Exit status 1 when the latest month is ``act``, so a script can stop on it.
"""
from __future__ import annotations

import argparse


def format_report(report: dict) -> str:
    """The report as a person reads it: one line per month, then the latest month's top drivers."""
    model, limits = report["model"], report["thresholds"]
    lines = [f"{model['name']} {model['version']} (reference period {report['reference_period']}, "
             f"{model['training_rows']} training rows); watch >= {limits['watch']}, act >= {limits['act']}",
             "  month    scored  score PSI  status"]
    for m in report["months"]:
        psi = "-" if m["score_psi"] is None else f"{m['score_psi']:.3f}"
        lines.append(f"  {m['month']}  {m['n_scored']:>6}  {psi:>9}  {m['status']}")
    if report["months"]:
        latest = report["months"][-1]
        lines.append(f"  {latest['summary']}")
        lines += [f"    {d['feature']}: CSI {d['csi']:.3f} ({d['status']}), attribution shift "
                  f"{d['attribution_shift']:+.3f}" for d in latest["top_drivers"]]
    for alert in report.get("alerts", []):
        lines.append(f"  alert {alert['rule']} {alert['period']}: {alert['outcome']}")
    return "\n".join(lines)


def cmd_model_health(args: argparse.Namespace) -> int:
    """Print the report (``--json``: the JSON alone); ``--alert`` raises the drift alerts too."""
    import orjson

    from monitoring.drift import NoReferenceError, check_drift, model_health
    from pipeline.config import load_config
    from pipeline.errors import CommandError
    from pipeline.lake import Lake

    config = load_config({"lake_root": args.lake})
    lake = Lake(config["lake_root"])
    try:
        report = (check_drift if args.alert else model_health)(lake, config, args.months)
    except NoReferenceError as exc:
        raise CommandError(str(exc)) from None
    print(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() if args.json else format_report(report))
    return 1 if report["status"] == "act" else 0


def add_model_health_command(subparsers) -> argparse.ArgumentParser:
    """Register ``model-health`` on the pipeline CLI's subparsers."""
    text = "the risk model's population stability (PSI/CSI) by as-of month; --alert raises the drift alerts"
    p = subparsers.add_parser("model-health", help=text, description=text)
    p.add_argument("--months", type=int, default=12, help="the last N as-of months (default 12)")
    p.add_argument("--alert", action="store_true", help="raise a drift alert for each month at alerts.rules.drift.min_status")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--lake", help="lake root (default: config.json lake_root, or $LAKE_DIR)")
    p.set_defaults(func=cmd_model_health)
    return p
