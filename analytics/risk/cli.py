"""``python -m pipeline train-risk`` and ``promote-model``: train, track, register and promote the risk model.

Both sources (a synthetic portfolio or a lender's labelled file) run
:func:`analytics.risk.training.fit_risk_model` (one family, or each of
``--families`` on the same folds), then every model becomes an MLflow run
and a registered version (:mod:`analytics.risk.governance`); the card (or
the comparison) is printed; with ``--json`` the JSON alone goes to stdout
and progress to stderr. ``promote-model`` moves the champion alias.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def read_table(path: str) -> "pd.DataFrame":
    """A lender's table from CSV or Parquet (by extension; anything else is tried as CSV)."""
    import pandas as pd  # here, not at the top: every ``python -m pipeline`` command builds this parser

    file = Path(path)
    if not file.is_file():
        raise ValueError(f"cannot read {path}: no such file")
    try:
        if file.suffix.lower() in (".parquet", ".pq"):
            table = pd.read_parquet(file)
        else:
            table = pd.read_csv(file)
            if table.shape[1] == 1:  # not comma-separated: let the sniffer find the delimiter
                table = pd.read_csv(file, sep=None, engine="python")
    except Exception as exc:  # noqa: BLE001 - parsers raise many kinds; the user needs one line
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValueError(f"cannot read {path}: {first}") from None
    if table.empty or table.shape[1] < 2:
        raise ValueError(f"cannot read {path}: it needs a header row, at least two columns and some rows")
    return table


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid portfolio size {text!r}: expected a whole number") from None
    if not 20 <= value <= 99_999:
        raise argparse.ArgumentTypeError(f"portfolio size must be between 20 and 99999, got {value}")
    return value


def format_card(card: dict, paths: tuple[str, str]) -> str:
    """The model card as a person reads it in a terminal."""
    data, m = card["training_data"], card["metrics"]
    lines = [f"risk model {card['version']} trained at {card['trained_at']}",
             f"  data: {data['source']}, {data['rows']} rows, {data['positives']} positives "
             f"(target {card['target']!r}, default = {card['positive_label']!r}), sha256 {data['fingerprint'][:16]}...",
             f"  model: {card['params']['family']} ({card['params']['calibration']} calibration), "
             f"{len(card['features'])} inputs, "
             f"{sum(1 for f in card['features'] if f['monotone'])} with a monotone direction",
             f"  {m['folds']}-fold stratified CV (held-out): " + ", ".join(
                 f"{k} {m[k]['mean']:.4f} ± {m[k]['std']:.4f}" for k in ("roc_auc", "ks", "gini", "brier")),
             f"  base rate {m['base_rate']:.4f} (Brier of predicting it: {m['base_rate_brier']:.4f}); "
             f"mean held-out PD {m['mean_predicted']:.4f}",
             "  calibration by decile (held-out): decile rows mean_PD observed"]
    lines += [f"    {c['decile']:>2} {c['rows']:>6} {c['mean_predicted']:.4f} {c['observed_rate']:.4f}"
              for c in card["calibration"]]
    if data.get("columns_left_out"):
        lines.append("  columns left out: " + "; ".join(f"{k} ({v})" for k, v in data["columns_left_out"].items()))
    if card.get("latent_function"):
        lines.append(f"  outcomes: synthetic, from the latent function in {card['latent_function']['reference']} "
                     "(proves the machinery, not real-world accuracy)")
    lines.append(f"  saved: {paths[0]} and {paths[1]}")
    return "\n".join(lines)


def _training_table(args: argparse.Namespace, config: dict, progress) -> tuple["pd.DataFrame", str, Any, str, dict]:
    """``(table, target, positive, source, source_detail)`` of the portfolio or the lender's file."""
    from analytics.risk.model import portfolio_training_table
    from analytics.risk.portfolio import TARGET
    from pipeline.errors import CommandError

    if args.portfolio:
        if args.target or args.positive:
            raise CommandError("--target and --positive go with --data, not --portfolio")
        table, detail = portfolio_training_table(args.portfolio, config, progress)
        return table, TARGET, 1, "portfolio", detail
    if not args.target:
        raise CommandError("--data needs --target COLUMN (the column that says who defaulted)")
    try:
        table = read_table(args.data)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    progress("info", f"read {len(table)} rows x {table.shape[1]} columns from {args.data}")
    return table, args.target, args.positive, "file", {"file": Path(args.data).name}


def cmd_train_risk(args: argparse.Namespace) -> int:
    """Train (one family, or ``--families`` compared), track, register, save and print; user errors exit 1."""
    import orjson

    from analytics.risk.comparison import compare_families, comparison_rows, format_comparison, parse_families
    from analytics.risk.families import family_label
    from analytics.risk.model import publish_risk_model, with_latent_function
    from analytics.risk.registry import RegistryError
    from analytics.risk.training import RiskTrainingError, fit_risk_model
    from pipeline.config import load_config
    from pipeline.errors import CommandError
    from pipeline.lake import Lake

    config = load_config({"lake_root": args.lake})
    lake = Lake(config["lake_root"])
    out = sys.stderr if args.json else sys.stdout

    def progress(level: str, message: str) -> None:
        print(f"[{level}] {message}", file=out, flush=True)

    try:
        labels = parse_families(args.families) if args.families is not None else None
        table, target, positive, source, detail = _training_table(args, config, progress)
        if labels:
            results = compare_families(table, target, positive, config, labels, source=source, source_detail=detail,
                                       progress=progress)
        else:
            trained = fit_risk_model(table, target, positive, config, source=source, source_detail=detail)
            results = {family_label(trained.bundle["model"].family_): trained}
        if source == "portfolio":
            for trained in results.values():
                with_latent_function(trained.card, config)
        rows = comparison_rows(results)
        published = publish_risk_model(lake, config, results, progress, comparison=rows,
                                       actor=args.actor or "cli")
    except (RiskTrainingError, RegistryError) as exc:
        raise CommandError(str(exc)) from None
    champion = published["pointer"]["champion"]["version"]
    if labels:
        if args.json:
            print(orjson.dumps({"comparison": rows, "versions": published["versions"], "champion": champion},
                               option=orjson.OPT_INDENT_2).decode())
        else:
            print(format_comparison(rows, published["versions"], champion))
        return 0
    (card,) = (t.card for t in results.values())
    paths = (str(lake.model_path("risk_model")), str(lake.model_path("risk_model", "json")))
    if args.json:
        print(orjson.dumps(card, option=orjson.OPT_INDENT_2).decode())
    else:
        print(format_card(card, paths))
        print(f"  registered: {card['registry']['name']} version {card['registry']['version']} "
              f"(MLflow run {card['registry']['run_id']}); champion: version {champion}")
    return 0


def cmd_promote_model(args: argparse.Namespace) -> int:
    """Move the champion alias to ``--version``; audited; a version the registry does not know exits 1."""
    from analytics.risk.governance import promote_model
    from analytics.risk.registry import RegistryError
    from pipeline.config import load_config
    from pipeline.errors import CommandError
    from pipeline.lake import Lake

    config = load_config({"lake_root": args.lake})
    lake = Lake(config["lake_root"])
    try:
        entry = promote_model(lake, config, args.version, args.actor, args.reason)
    except RegistryError as exc:
        raise CommandError(str(exc)) from None
    print(f"{entry['model']}: champion moved from version {entry['from_version']} to version {entry['to_version']} "
          f"({entry['family']}, run {entry['run_id']}) by {entry['actor']}; audited at {entry['ts']}")
    return 0


def _version(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid version {text!r}: expected a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid version {value}: versions start at 1")
    return value


def _actor(text: str) -> str:
    text = text.strip()
    if not text or len(text) > 64 or not all(c.isalnum() or c in "._@-" for c in text):
        raise argparse.ArgumentTypeError("--actor is a name or label of up to 64 letters, digits, . _ @ -")
    return text


def add_train_risk_command(subparsers) -> argparse.ArgumentParser:
    """Register ``train-risk`` and ``promote-model`` on the pipeline CLI's subparsers."""
    text = "train the explainable risk model from a synthetic portfolio or a lender's labelled CSV/Parquet"
    p = subparsers.add_parser("train-risk", help=text, description=text)
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--portfolio", type=_positive_int, metavar="N",
                        help="train on N synthetic customers (outcomes from the documented latent function)")
    source.add_argument("--data", metavar="FILE", help="a labelled history: CSV or Parquet, one row per loan")
    p.add_argument("--target", metavar="COLUMN", help="with --data: the column that says who defaulted")
    p.add_argument("--positive", metavar="LABEL",
                   help="the target value that means default (default: 1, true, yes, bad or default)")
    p.add_argument("--families", metavar="LIST",
                   help="compare families on the same folds and register each: lr,scorecard,hgb,rf,blend")
    p.add_argument("--actor", type=_actor, help="who trains (recorded in the audit log; default: cli)")
    p.add_argument("--json", action="store_true", help="print only the model card (or the comparison) as JSON")
    p.add_argument("--lake", help="lake root (default: config.json lake_root, or $LAKE_DIR)")
    p.set_defaults(func=cmd_train_risk)
    text = "make a registered version of the risk model the champion that scores (audited)"
    p = subparsers.add_parser("promote-model", help=text, description=text)
    p.add_argument("--version", type=_version, required=True, help="the registered version to promote")
    p.add_argument("--actor", type=_actor, required=True, help="who promotes (an admin's name or token label)")
    p.add_argument("--reason", help="why (recorded in the audit log)")
    p.add_argument("--lake", help="lake root (default: config.json lake_root, or $LAKE_DIR)")
    p.set_defaults(func=cmd_promote_model)
    return p
