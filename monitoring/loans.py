"""The loan book: the loans our customers have taken, with their EMI schedules and collateral.

A loan is booked from two sources:

* **OCEN** (``source: "ocen"``): a customer's clean OCEN applications whose status is DISBURSED or CLOSED
  (``monitoring.loans.booked_statuses``); the lender's OCEN API reports the sanctioned amount, rate,
  tenure, EMI, disbursal time and loan account number, and those are the loan's terms here.
* **Accepted recommendations** (``source: "recommendation"``): each acceptance recorded by
  :mod:`monitoring.acceptances` in ``monitoring/acceptances/<customer_id>.json`` (a product of the
  customer's ``recommendations.json`` with its accepted amount, tenure, the offer's rate and the
  disbursal date) is booked as loan ``REC-<customer_id>-<n>`` by
  :func:`monitoring.acceptances.loan_from_acceptance`, with the schedule functions of
  :mod:`monitoring.schedules`.

EMI schedule (annuity, reducing balance): the instalment is the OCEN
``emiAmount`` when given, else ``P·r / (1 − (1 + r)^−n)`` with ``r`` the annual
rate / 12; each month's interest is ``balance × r``, the rest repays principal,
and the last instalment clears the balance. The first EMI of an OCEN loan falls
in the month after disbursal, on the day the bank statement shows this EMI being
debited (``transaction_summary.emis``, matched on amount), else on the disbursal
day; an accepted recommendation is due on its disbursal day. Interest-only and
bullet products (overdraft, invoice discounting) pay ``P·r`` a month and the
principal with the last instalment, through the same :func:`monitoring.schedules.amortise`.

Collateral: a loan repaid through a lien on mutual fund units (mandate
``ELIEN``, ``monitoring.loans.secured_mandates``) is secured by those units,
valued at ``Σ lienUnits × nav`` of the clean holdings; product types listed in
``monitoring.loans.secured_products`` are secured too, valued from the
application's ``collateralValue`` when it carries one (for an accepted
recommendation: the product id in that list, valued from the acceptance's
``collateral_value``; a collateral value supplied at acceptance secures any
product). Other loans are unsecured (``collateral_value`` None), so they have
no loan-to-value.

The book is written to ``<lake>/monitoring/loans/<customer_id>.json`` with the
size and modification time of every file it was built from (the acceptances
file included), and rebuilt when one of them changes (a refresh delivered new
data, or a product was accepted).
"""
from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone
from typing import Any

from monitoring.acceptances import loan_from_acceptance, read_acceptances
from monitoring.schedules import add_months, amortise, annuity_emi
from pipeline.lake import Lake, LakeError, utc_now_iso, validate_customer_id

BOOK_NOTE = ("loans from the customer's DISBURSED or CLOSED OCEN applications (source ocen) and from each "
             "accepted recommendation recorded in monitoring/acceptances (source recommendation)")
# how the portfolio can be sorted, and the moment it is compared with: here (no pandas) so the API declares them
SORT_KEYS = ("pd", "band", "dpd_now", "customer_id", "loan_id", "updated_at", "principal")
IST = timezone(timedelta(hours=5, minutes=30))
_CACHE: dict[str, tuple[tuple, list[dict]]] = {}
_CACHE_LOCK = threading.Lock()
_DEFAULT_CONFIG: dict | None = None


class LoanBookError(Exception):
    """A loan book cannot be built or read; the message says why."""


# ---- one loan ----------------------------------------------------------------------------------------
def _emi_day(emi: float, disbursed: date, emis: list[dict], tolerance: float) -> tuple[int, str]:
    """The day of month the EMI is debited: from the bank statement's detected EMI of this amount, else disbursal."""
    for found in emis or []:
        amount, day = found.get("amount"), found.get("day_of_month")
        running_after = str(found.get("last_date", "9")) >= str(disbursed)
        if isinstance(amount, (int, float)) and isinstance(day, int) and 1 <= day <= 31 \
                and abs(amount - emi) <= max(1.0, tolerance * emi) and running_after:
            return day, "bank_statement"
    return disbursed.day, "disbursal_day"


def _lien_value(holdings: list[dict]) -> float | None:
    """Σ lienUnits × nav over the clean mutual fund holdings (None when no unit is lien-marked)."""
    total, found = 0.0, False
    for h in holdings:
        if h.get("recordType") == "HOLDING" and isinstance(h.get("lienUnits"), (int, float)) and h["lienUnits"] > 0 \
                and isinstance(h.get("nav"), (int, float)):
            total += h["lienUnits"] * h["nav"]
            found = True
    return round(total, 2) if found else None


def _collateral(app: dict, holdings: list[dict], settings: dict) -> tuple[bool, float | None, str | None]:
    if app.get("repaymentMandate") in settings.get("secured_mandates", ["ELIEN"]):
        return True, _lien_value(holdings), "lien-marked mutual fund units: sum of lienUnits x nav (clean holdings)"
    if app.get("productType") in settings.get("secured_products", []):
        value = app.get("collateralValue")
        return True, float(value) if isinstance(value, (int, float)) else None, "collateralValue of the application"
    return False, None, None


def loan_from_ocen(app: dict, customer_id: str, emis: list[dict], holdings: list[dict],
                   settings: dict) -> dict[str, Any]:
    """One booked loan from a DISBURSED or CLOSED OCEN application (pure)."""
    principal = float(app["sanctionedAmount"])
    rate, tenure = float(app["interestRate"]), int(app["tenureMonths"])
    given = app.get("emiAmount")
    emi = float(given) if isinstance(given, (int, float)) and given > 0 else annuity_emi(principal, rate, tenure)
    disbursed = datetime.fromisoformat(app["disbursedAt"]).date()
    day, day_source = _emi_day(emi, disbursed, emis, float(settings.get("emi_match_tolerance", 0.01)))
    dues = [add_months(disbursed, k, day) for k in range(1, tenure + 1)]
    secured, collateral, basis = _collateral(app, holdings, settings)
    return {
        "loan_id": app.get("loanAccountNumber") or app["loanApplicationId"],
        "customer_id": customer_id,
        "source": "ocen",
        "application_id": app["loanApplicationId"],
        "lender": app["lender"]["name"],
        "lender_id": app["lender"]["id"],
        "product": app["productType"],
        "principal": principal,
        "disbursed_amount": app.get("disbursedAmount"),
        "rate": rate,
        "tenure_months": tenure,
        "emi": emi,
        "emi_source": "ocen emiAmount" if emi == given else "annuity formula",
        "emi_day": day,
        "emi_day_source": day_source,
        "disbursed_at": app["disbursedAt"],
        "schedule": amortise(principal, rate, emi, dues),
        "secured": secured,
        "collateral_value": collateral,
        "collateral_basis": basis,
        "repayment_mandate": app.get("repaymentMandate"),
        "status": "CLOSED" if app["status"] == "CLOSED" else "ACTIVE",
        "ocen_status": app["status"],
        "ocen_loan_status": app.get("loanStatus"),
    }


# ---- the book in the lake ----------------------------------------------------------------------------
def _sources(lake: Lake, customer_id: str) -> dict[str, Any]:
    paths = {"ocen_applications": lake.clean_path(customer_id, "ocen_applications"),
             "mutual_funds": lake.clean_path(customer_id, "mutual_funds"),
             "transaction_summary": lake.analytics_path(customer_id, "transaction_summary"),
             "acceptances": lake.acceptances_path(customer_id)}
    out = {}
    for name, path in paths.items():
        try:
            stat = path.stat()
            out[name] = [stat.st_mtime_ns, stat.st_size]
        except FileNotFoundError:
            out[name] = None
    return out


def _config(config: dict | None) -> dict:
    global _DEFAULT_CONFIG
    if config is not None:
        return config
    if _DEFAULT_CONFIG is None:
        from pipeline.config import load_config
        _DEFAULT_CONFIG = load_config()
    return _DEFAULT_CONFIG


def _accepted_loans(lake: Lake, customer_id: str, config: dict, settings: dict,
                    problems: list[dict]) -> list[dict]:
    """The loans of the customer's recorded acceptances; an acceptance that cannot be booked goes to ``problems``."""

    lender = config.get("monitoring", {}).get("acceptances", {}).get("lender", {})
    try:
        accepted = read_acceptances(lake, customer_id)
    except (LakeError, AttributeError) as exc:
        problems.append({"acceptance_id": None, "reason": f"acceptances file unreadable: {exc}"})
        return []
    loans = []
    for acceptance in accepted:
        try:
            loans.append(loan_from_acceptance(acceptance, settings, lender))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            problems.append({"acceptance_id": acceptance.get("acceptance_id") if isinstance(acceptance, dict) else None,
                             "reason": f"{type(exc).__name__}: {exc}"})
    return loans


def build_loan_book(lake: Lake, customer_id: str, config: dict | None = None) -> list[dict]:
    """Book the customer's disbursed and closed OCEN loans and accepted recommendations, and write
    ``monitoring/loans/<customer_id>.json`` (with the stamps of its sources, so it is rebuilt when they change)."""
    validate_customer_id(customer_id)
    config = _config(config)
    settings = config.get("monitoring", {}).get("loans", {})
    booked = set(settings.get("booked_statuses", ["DISBURSED", "CLOSED"]))
    apps = [a for a in lake.read_clean(customer_id, "ocen_applications") if a.get("status") in booked]
    summary_path = lake.analytics_path(customer_id, "transaction_summary")
    try:
        emis = lake.read_json(summary_path).get("emis", []) if summary_path.exists() else []
    except LakeError:
        emis = []
    holdings = lake.read_clean(customer_id, "mutual_funds") if apps else []
    loans, problems = [], []
    for app in sorted(apps, key=lambda a: (a.get("disbursedAt", ""), a["loanApplicationId"])):
        try:
            loans.append(loan_from_ocen(app, customer_id, emis, holdings, settings))
        except (KeyError, TypeError, ValueError) as exc:  # a clean record always has these; say which one did not
            problems.append({"application_id": app.get("loanApplicationId"), "reason": f"{type(exc).__name__}: {exc}"})
    loans += _accepted_loans(lake, customer_id, config, settings, problems)
    document = {"customer_id": customer_id, "built_at": utc_now_iso(), "sources": _sources(lake, customer_id),
                "note": BOOK_NOTE, "not_booked": problems, "loans": loans}
    lake.write_json(lake.loan_book_path(customer_id), document)
    return loans


def _book(lake: Lake, customer_id: str, config: dict | None) -> list[dict]:
    """The customer's loans from the stored book, rebuilt when a source file changed (cached by file stamp)."""
    path = lake.loan_book_path(customer_id)
    sources = _sources(lake, customer_id)
    if sources["ocen_applications"] is None and sources["acceptances"] is None:
        return []
    key = str(path)
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        stamp = None
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
    if cached and stamp and cached[0][0] == stamp and cached[0][1] == sources:
        return cached[1]
    document = None
    if stamp is not None:
        try:
            document = lake.read_json(path)
        except LakeError:
            document = None
    if document is None or document.get("sources") != sources:
        loans = build_loan_book(lake, customer_id, config)
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    else:
        loans = document.get("loans", [])
    with _CACHE_LOCK:
        _CACHE[key] = ((stamp, sources), loans)
    return loans


def load_loans(lake: Lake, customer_id: str | None = None, config: dict | None = None) -> list[dict]:
    """The booked loans of one customer, or of every customer in the lake (built on first use, never stale).

    Treat the returned records as read-only: they are shared with a cache.
    """
    customers = [validate_customer_id(customer_id)] if customer_id else lake.customers()
    loans: list[dict] = []
    for cid in customers:
        loans.extend(_book(lake, cid, config))
    return loans


def parse_since(text: str) -> datetime:
    """An ISO 8601 date-time (or date) as an aware datetime; without an offset it is India Standard Time."""
    value = datetime.fromisoformat(text.strip())
    return value if value.tzinfo is not None else value.replace(tzinfo=IST)
