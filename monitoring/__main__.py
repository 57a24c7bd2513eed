"""``python -m monitoring build-loans | accept | train | ingest``: the loan book, an accepted recommendation,
the behavioural model, a file of events."""
from __future__ import annotations

import argparse
import sys

import orjson

from pipeline.config import ConfigError, load_config
from pipeline.lake import Lake, LakeError, validate_customer_id


def main(argv: list[str] | None = None) -> int:
    """Parse the command and run it; errors are one line on stderr and a non-zero status."""
    parser = argparse.ArgumentParser(prog="python -m monitoring", description="Loan monitoring")
    parser.add_argument("--lake", help="lake root (default: config.json lake_root, or $LAKE_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)
    book = sub.add_parser("build-loans", help="book the OCEN loans and accepted recommendations of one customer "
                                              "or of all")
    who = book.add_mutually_exclusive_group(required=True)
    who.add_argument("--customer-id")
    who.add_argument("--all", action="store_true")
    accept = sub.add_parser("accept", help="record that a customer accepted a recommended product and book its loan")
    accept.add_argument("--customer-id", required=True)
    accept.add_argument("--product-id", required=True, help="a product id of the customer's recommendations.json")
    accept.add_argument("--amount", type=float, help="INR, at most the offer (default: the offered amount)")
    accept.add_argument("--tenure-months", type=int, help="at most the offer's tenure (default: the offer's)")
    accept.add_argument("--disbursed-on", help="YYYY-MM-DD, not before today (default: today)")
    accept.add_argument("--collateral-value", type=float, help="INR, when collateral is taken")
    accept.add_argument("--acceptance-id", help="idempotency key: a repeat with the same terms books nothing new")
    accept.add_argument("--accepted-by", default="operator (python -m monitoring accept)",
                        help="who accepted, for the record and the audit log")
    train = sub.add_parser("train", help="train the behavioural model on a synthetic repayment history and save it")
    train.add_argument("--rows", type=int, help="loan observations to simulate "
                                                "(default: monitoring.model.training_rows)")
    train.add_argument("--json", action="store_true", help="print the model card as JSON")
    ingest = sub.add_parser("ingest", help="ingest repayment events from an NDJSON file (idempotent)")
    ingest.add_argument("--file", required=True, help="NDJSON, one event a line ('-' for stdin)")
    args = parser.parse_args(argv)
    try:
        config = load_config({"lake_root": args.lake})
        lake = Lake(config["lake_root"])
        if args.command == "build-loans":
            from monitoring.loans import build_loan_book

            customers = lake.customers() if args.all else [args.customer_id]
            for customer_id in customers:
                loans = build_loan_book(lake, customer_id, config)
                print(f"{customer_id}: {len(loans)} loan(s) booked "
                      f"({sum(1 for loan in loans if loan['status'] == 'ACTIVE')} active)")
            return 0
        if args.command == "accept":
            return _accept(lake, config, args)
        if args.command == "train":
            from monitoring.model import fit_behaviour_model, publish_behaviour_model

            trained = fit_behaviour_model(lake, config, args.rows, progress=lambda _level, m: print(m))
            publish_behaviour_model(lake, config, trained, progress=lambda _level, m: print(m))
            card = trained.card
            if args.json:
                print(orjson.dumps(card, option=orjson.OPT_INDENT_2).decode())
            else:
                m = card["metrics"]
                print(f"behavioural model {card['version']} saved: CV ROC AUC {m['roc_auc']['mean']:.3f}, "
                      f"KS {m['ks']['mean']:.3f}, Brier {m['brier']['mean']:.4f} on {m['held_out_rows']} rows "
                      "(synthetic outcomes: proves the machinery only, see docs/monitoring.md)")
            return 0
        from monitoring.ingest import ingest_events

        handle = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")  # noqa: SIM115 - closed below
        totals = {"accepted": 0, "duplicates": 0, "quarantined": 0, "updates": 0}
        with handle:
            lines = [line for line in handle if line.strip()]
        for start in range(0, len(lines), 1000):
            batch = []
            for line in lines[start:start + 1000]:
                try:
                    batch.append(orjson.loads(line))
                except orjson.JSONDecodeError as exc:
                    raw = line[:1000].decode(errors="replace")
                    batch.append({"_malformed": f"line is not JSON: {exc}", "raw": raw})
            result = ingest_events(lake, batch, config)
            totals["accepted"] += result["accepted"]
            totals["duplicates"] += result["duplicates"]
            totals["quarantined"] += len(result["quarantined"])
            totals["updates"] += len(result["updates"])
        print(", ".join(f"{k} {v}" for k, v in totals.items()))
        return 0
    except (ConfigError, LakeError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _accept(lake: Lake, config: dict, args: argparse.Namespace) -> int:
    """Check the customer's lending consent, record the acceptance, audit it like the API does, and print the
    booked loan in one line."""
    from monitoring.booking import accept_recommendation
    from pipeline.consents import LENDING_PURPOSES, ConsentRegistry

    # the API's rule for using a customer's data in lending: an active consent of purpose 103, 104 or 105
    check = ConsentRegistry(lake).check(validate_customer_id(args.customer_id), LENDING_PURPOSES)
    request = {"product_id": args.product_id, "amount": args.amount, "tenure_months": args.tenure_months,
               "disbursed_on": args.disbursed_on, "collateral_value": args.collateral_value,
               "acceptance_id": args.acceptance_id}
    result = accept_recommendation(lake, args.customer_id, request, args.accepted_by, config)
    loan = result.loan
    lake.audit("loan_accepted" if result.created else "loan_acceptance_replayed", args.customer_id,
               who=args.accepted_by, role="operator", endpoint="cli", consent_id=check.consent_id,
               acceptance_id=result.acceptance["acceptance_id"], loan_id=loan["loan_id"], product_id=loan["product"])
    print(f"{'booked' if result.created else 'already booked'} {loan['loan_id']} ({loan['product']}): "
          f"{loan['principal']:,.2f} INR at {loan['rate']}% for {loan['tenure_months']} months, "
          f"EMI {loan['emi']:,.2f}, first due {loan['schedule'][0]['due_date']} "
          f"(acceptance {result.acceptance['acceptance_id']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
