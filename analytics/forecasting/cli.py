"""``python -m analytics.forecasting``: forecast any monthly series from a CSV file and print JSON.

    python -m analytics.forecasting --csv FILE --column NAME [--horizon 12] [--date-column month]
           [--season-length 12] [--level 0.8]

Rows are taken in file order, one per month; empty cells (or NA/NaN/null) are missing months. With
``--date-column`` rows are placed by their month instead, and months absent from the file become gaps. A bad file,
column or value exits 1 with a one-line error.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from pathlib import Path

from analytics.forecasting.series import forecast_series

MISSING_TOKENS = {"", "na", "nan", "null", "none"}


class CliError(Exception):
    """A problem with the command line's input, reported as one line."""


def _number(text: str, row: int, column: str) -> float | None:
    token = text.strip()
    if token.lower() in MISSING_TOKENS:
        return None
    try:
        value = float(token)
    except ValueError:
        raise CliError(f"column {column!r}, data row {row}: {token!r} is not a number") from None
    if math.isinf(value):
        raise CliError(f"column {column!r}, data row {row}: {token!r} is not a finite number")
    return None if math.isnan(value) else value


def read_series(path: Path, column: str, date_column: str | None = None) -> tuple[list[float | None], list[str]]:
    """Values of ``column`` in ``path`` (gaps as None) and their month labels (empty without a date column)."""
    if not path.is_file():
        raise CliError(f"file not found: {path}")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            records = list(reader)
            header = reader.fieldnames or []
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CliError(f"cannot read {path} as CSV: {exc}") from None
    for name in filter(None, (column, date_column)):
        if name not in header:
            raise CliError(f"column {name!r} not in {path} (columns: {', '.join(header) or 'none'})")
    values = [_number(r.get(column) or "", i + 1, column) for i, r in enumerate(records)]
    if not any(v is not None for v in values):
        raise CliError(f"column {column!r} has no numeric value")
    if not date_column:
        return values, []
    import pandas as pd

    raw = [r.get(date_column) or "" for r in records]
    months = pd.to_datetime(pd.Series(raw), errors="coerce").dt.to_period("M")
    if months.isna().any():
        bad = int(months.isna().to_numpy().argmax())
        raise CliError(f"column {date_column!r}, data row {bad + 1}: {raw[bad]!r} is not a date")
    if months.duplicated().any():
        raise CliError(f"column {date_column!r}: month {months[months.duplicated()].iloc[0]} appears twice")
    by_month = dict(zip(months, values))
    span = pd.period_range(months.min(), months.max(), freq="M")
    return [by_month.get(p) for p in span], [str(p) for p in span]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line and exit 1, like every other input error
        self.exit(1, f"error: {message}\n")


def main(argv: list[str] | None = None) -> int:
    """Run the command line: read the series, forecast it, print JSON."""
    parser = _Parser(prog="python -m analytics.forecasting", description="Forecast a monthly series from a CSV.")
    parser.add_argument("--csv", required=True, type=Path, help="CSV file with a header row")
    parser.add_argument("--column", required=True, help="column holding the monthly values")
    parser.add_argument("--horizon", type=int, default=12, help="months to forecast (default 12)")
    parser.add_argument("--date-column", help="optional column with each row's date or month (YYYY-MM)")
    parser.add_argument("--season-length", type=int, default=12, help="season length in months (default 12)")
    parser.add_argument("--level", type=float, default=0.8, help="interval coverage (default 0.8)")
    args = parser.parse_args(argv)
    try:
        values, months = read_series(args.csv, args.column, args.date_column)
        result = forecast_series(values, args.horizon, args.season_length, args.level)
    except (CliError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if months:
        import pandas as pd

        last = pd.Period(months[-1], freq="M")
        result["months"] = [str(last + i) for i in range(1, args.horizon + 1)]
    print(json.dumps({"source": {"csv": str(args.csv), "column": args.column, "n_values": len(values)},
                      **result}, indent=2))
    return 0
