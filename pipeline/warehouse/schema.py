"""The warehouse tables: an explicit pyarrow schema for each, with what every column means and where it comes from.

Every table has ``customer_id`` on every row and is partitioned (hive style) by ``as_of_month`` (``YYYY-MM``),
the month the row's fact is as of: a transaction's value date, a GST return's period, a bureau report's date,
the analysis as-of of features, scores, decisions and offers, a loan's disbursal, an instalment's due date, a
risk re-score's clock. The partition column lives in the directory name, not in the files.

Deliberately absent: names, PAN, GSTIN, Udyam number, mobile numbers, e-mail and narrations (they name the
customer or third parties); ``customer_id`` is the key back to the lake, which keeps those under consent.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

PARTITION_COLUMN = "as_of_month"
STRING, INT, FLOAT, BOOL, DATE = pa.string(), pa.int64(), pa.float64(), pa.bool_(), pa.date32()
TIMESTAMP = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class Column:
    """One column: name, Arrow type, what it means, and the lake field it comes from."""

    name: str
    type: pa.DataType
    meaning: str
    source: str
    nullable: bool = True


@dataclass(frozen=True)
class TableSpec:
    """One warehouse table: its columns, what a row is and which month partitions it."""

    name: str
    row: str
    month_of: str
    columns: tuple[Column, ...]

    @property
    def schema(self) -> pa.Schema:
        """The pyarrow schema every file of the table is written with (the partition column excluded)."""
        return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in self.columns])


def _cid() -> Column:
    return Column("customer_id", STRING, "the customer (CUST_XXX_NNNNN)", "lake customer directory", False)


def _as_of(source: str) -> Column:
    return Column("as_of", DATE, "the analysis as-of date", f"{source}.as_of", False)


TABLES: dict[str, TableSpec] = {t.name: t for t in (
    TableSpec("transactions", "one bank-statement transaction (clean layer)", "value_date", (
        _cid(),
        Column("account_ref", STRING, "the AA linked-account reference", "clean/transactions linkedAccRef"),
        Column("txn_id", STRING, "the bank's transaction id", "clean/transactions txnId"),
        Column("txn_type", STRING, "CREDIT or DEBIT", "clean/transactions type"),
        Column("mode", STRING, "CASH, ATM, CARD, UPI, FT or OTHERS", "clean/transactions mode"),
        Column("amount", FLOAT, "amount in INR (positive)", "clean/transactions amount"),
        Column("balance_after", FLOAT, "account balance after the transaction, INR", "clean/transactions currentBalance"),
        Column("txn_at", TIMESTAMP, "when the transaction was posted (UTC)", "clean/transactions transactionTimestamp"),
        Column("value_date", DATE, "value date", "clean/transactions valueDate"),
    )),
    TableSpec("gst_returns", "one GST return (GSTR-1, GSTR-3B or GSTR-2B)", "return_period", (
        _cid(),
        Column("return_type", STRING, "GSTR1, GSTR3B or GSTR2B", "clean/gst_returns return_type", False),
        Column("return_period", STRING, "tax period, YYYY-MM", "clean/gst_returns ret_prd (MMYYYY)", False),
        Column("filing_frequency", STRING, "MONTHLY or QUARTERLY", "clean/gst_returns filing_frequency"),
        Column("status", STRING, "FILED, PROCESSED or NOT_FILED (GSTR-2B: GENERATED)", "clean/gst_returns status"),
        Column("due_date", DATE, "statutory due date", "clean/gst_returns due_date"),
        Column("filed_date", DATE, "date of filing (GSTR-2B: generation date)", "clean/gst_returns dof / gendt"),
        Column("days_late", INT, "filed_date - due_date in days, at least 0", "derived"),
        Column("taxable_value", FLOAT, "taxable value, INR: GSTR-1 B2B items + B2CS; GSTR-3B outward taxable + "
               "zero-rated; GSTR-2B inward B2B invoices", "clean/gst_returns b2b/b2cs, sup_details, docdata"),
        Column("tax_amount", FLOAT, "IGST + CGST + SGST + cess on that value, INR", "same as taxable_value"),
        Column("itc_amount", FLOAT, "input tax credit, INR: GSTR-3B net ITC, GSTR-2B ITC available",
               "clean/gst_returns itc_elg.itc_net / itcsumm.itcavl"),
        Column("invoice_count", INT, "B2B invoices in the return (GSTR-1 and GSTR-2B)", "clean/gst_returns b2b[].inv"),
    )),
    TableSpec("bureau", "one segment of a credit bureau report: HEADER, TRADELINE or ENQUIRY", "report_date", (
        _cid(),
        Column("report_id", STRING, "the bureau's report id", "clean/credit_bureau reportId"),
        Column("bureau", STRING, "CIBIL, EXPERIAN, EQUIFAX or CRIF", "clean/credit_bureau bureau"),
        Column("report_date", DATE, "report date", "clean/credit_bureau reportDate"),
        Column("segment", STRING, "HEADER, TRADELINE or ENQUIRY", "clean/credit_bureau segment", False),
        Column("score", INT, "bureau score (HEADER)", "clean/credit_bureau score"),
        Column("account_number", STRING, "the tradeline's account number (TRADELINE)", "clean/credit_bureau accountNumber"),
        Column("lender", STRING, "lender (TRADELINE, ENQUIRY)", "clean/credit_bureau lender"),
        Column("account_type", STRING, "facility type (TRADELINE)", "clean/credit_bureau accountType"),
        Column("account_status", STRING, "ACTIVE, CLOSED, ... (TRADELINE)", "clean/credit_bureau status"),
        Column("date_opened", DATE, "date opened (TRADELINE)", "clean/credit_bureau dateOpened"),
        Column("date_closed", DATE, "date closed (TRADELINE)", "clean/credit_bureau dateClosed"),
        Column("sanctioned_amount", FLOAT, "sanctioned amount, INR (TRADELINE)", "clean/credit_bureau sanctionedAmount"),
        Column("current_balance", FLOAT, "outstanding, INR (TRADELINE)", "clean/credit_bureau currentBalance"),
        Column("amount_overdue", FLOAT, "overdue, INR (TRADELINE)", "clean/credit_bureau amountOverdue"),
        Column("emi_amount", FLOAT, "instalment, INR/month (TRADELINE)", "clean/credit_bureau emiAmount"),
        Column("worst_dpd", INT, "worst days past due in the payment history (TRADELINE)",
               "clean/credit_bureau paymentHistory (3-character DPD codes)"),
        Column("written_off", BOOL, "written off or settled (TRADELINE)", "clean/credit_bureau writtenOffStatus"),
        Column("suit_filed", BOOL, "suit filed (TRADELINE)", "clean/credit_bureau suitFiled"),
        Column("enquiry_date", DATE, "enquiry date (ENQUIRY)", "clean/credit_bureau enquiryDate"),
        Column("enquiry_purpose", STRING, "purpose of the enquiry (ENQUIRY)", "clean/credit_bureau purpose"),
        Column("enquiry_amount", FLOAT, "amount enquired, INR (ENQUIRY)", "clean/credit_bureau amount"),
    )),
    TableSpec("features", "one risk-model input of a customer at an as-of date", "as_of", (
        _cid(), _as_of("analytics/risk_model"),
        Column("feature", STRING, "feature name (docs/risk_model.md)", "analytics/risk_model features key", False),
        Column("value", FLOAT, "its value (null when missing)", "analytics/risk_model features value"),
    )),
    TableSpec("scores", "a customer's risk and credit scores at an as-of date, with the segment attributes",
              "as_of", (
        _cid(), _as_of("analytics/risk_model"),
        Column("pd", FLOAT, "probability of default (0-1)", "analytics/risk_model metrics.probability_of_default"),
        Column("risk_band", STRING, "LOW, MODERATE, ELEVATED or HIGH", "analytics/risk_model metrics.risk_band"),
        Column("risk_score", FLOAT, "100 x PD", "analytics/risk_model metrics.risk_score"),
        Column("credit_score", INT, "scorecard 300-900", "analytics/credit_score score.value"),
        Column("credit_band", STRING, "scorecard band A-E", "analytics/credit_score band.code"),
        Column("model_family", STRING, "risk model family", "analytics/risk_model model.family"),
        Column("model_version", STRING, "risk model version", "analytics/risk_model model.version"),
        Column("sector", STRING, "industry", "analytics/overall_summary customer.industry"),
        Column("profile", STRING, "business profile", "analytics/overall_summary customer.profile"),
        Column("constitution", STRING, "legal constitution", "analytics/overall_summary customer.constitution"),
        Column("annual_turnover", FLOAT, "verified annual turnover, INR",
               "analytics/recommendations customer_facts.annual_turnover"),
        Column("msme_category", STRING, "micro / small / medium / large by turnover (MSMED Act limits from "
               "April 2025: 10, 100, 500 crore)", "derived from annual_turnover"),
    )),
    TableSpec("decisions", "the credit decision of a customer at an as-of date", "as_of", (
        _cid(), _as_of("analytics/decision"),
        Column("decision", STRING, "APPROVE, APPROVE_WITH_CONDITIONS, REFER or DECLINE", "analytics/decision decision",
               False),
        Column("decided_by", STRING, "what decided: knockout, pd_cutoff, ...", "analytics/decision decided_by"),
        Column("risk_band", STRING, "risk grade band", "analytics/decision risk_grade.band"),
        Column("pd", FLOAT, "probability of default used", "analytics/decision risk_grade.probability_of_default"),
        Column("knockouts_fired", INT, "knock-out rules that fired", "analytics/decision knockouts"),
        Column("product_id", STRING, "the offered product (approvals)", "analytics/decision offer.product_id"),
        Column("offered_amount", FLOAT, "offered amount, INR", "analytics/decision offer.amount"),
        Column("annual_rate", FLOAT, "offered annual rate (ratio)", "analytics/decision offer.annual_rate"),
        Column("tenure_months", INT, "offered tenure", "analytics/decision offer.tenure_months"),
        Column("policy_version", STRING, "credit policy version", "analytics/decision policy.version"),
    )),
    TableSpec("offers", "one product assessed for a customer (recommendations)", "as_of", (
        _cid(), _as_of("analytics/recommendations"),
        Column("rank", INT, "rank in the recommendation", "analytics/recommendations products[].rank"),
        Column("product_id", STRING, "product", "analytics/recommendations products[].id", False),
        Column("product_name", STRING, "product name", "analytics/recommendations products[].name"),
        Column("status", STRING, "ELIGIBLE, NOT_ELIGIBLE or NOT_ASSESSED", "analytics/recommendations products[].status"),
        Column("amount", FLOAT, "sized amount, INR", "analytics/recommendations products[].amount"),
        Column("annual_rate", FLOAT, "annual rate (ratio)", "analytics/recommendations products[].annual_rate"),
        Column("tenure_months", INT, "tenure", "analytics/recommendations products[].tenure_months"),
        Column("emi", FLOAT, "instalment, INR/month", "analytics/recommendations products[].emi"),
        Column("suitability", FLOAT, "suitability 0-100", "analytics/recommendations products[].suitability"),
        Column("structure", STRING, "term_loan, revolving_limit, ...", "analytics/recommendations products[].structure"),
    )),
    TableSpec("loans", "one booked loan (loan monitoring)", "disbursal_date", (
        _cid(),
        Column("loan_id", STRING, "loan id", "monitoring/loans loans[].loan_id", False),
        Column("source", STRING, "ocen (bureau/OCEN) or recommendation (accepted offer)", "monitoring/loans loans[].source"),
        Column("lender", STRING, "lender", "monitoring/loans loans[].lender"),
        Column("product", STRING, "product", "monitoring/loans loans[].product"),
        Column("principal", FLOAT, "principal, INR", "monitoring/loans loans[].principal"),
        Column("disbursed_amount", FLOAT, "amount disbursed, INR", "monitoring/loans loans[].disbursed_amount"),
        Column("disbursal_date", DATE, "disbursal date (the vintage cohort)", "monitoring/loans loans[].disbursed_at"),
        Column("annual_rate_pct", FLOAT, "annual rate, percent", "monitoring/loans loans[].rate"),
        Column("tenure_months", INT, "tenure", "monitoring/loans loans[].tenure_months"),
        Column("emi", FLOAT, "instalment, INR/month", "monitoring/loans loans[].emi"),
        Column("status", STRING, "loan status", "monitoring/loans loans[].status"),
        Column("secured", BOOL, "secured by collateral", "monitoring/loans loans[].secured"),
        Column("first_due_date", DATE, "first instalment due", "monitoring/loans loans[].schedule[0].due_date"),
        Column("maturity_date", DATE, "last instalment due", "monitoring/loans loans[].schedule[-1].due_date"),
    )),
    TableSpec("repayment_events", "one repayment event of a loan instalment (clean layer)", "due_date", (
        _cid(),
        Column("event_id", STRING, "event id", "clean/repayment_events event_id", False),
        Column("loan_id", STRING, "loan id", "clean/repayment_events loan_id", False),
        Column("due_date", DATE, "instalment due date", "clean/repayment_events due_date"),
        Column("status", STRING, "PAID, LATE, PARTIAL or BOUNCED", "clean/repayment_events status"),
        Column("channel", STRING, "collection channel", "clean/repayment_events channel"),
        Column("amount_due", FLOAT, "instalment due, INR", "clean/repayment_events amount_due"),
        Column("amount_paid", FLOAT, "amount paid, INR", "clean/repayment_events amount_paid"),
        Column("paid_at", TIMESTAMP, "when paid (UTC); null when not paid", "clean/repayment_events paid_at"),
        Column("event_at", TIMESTAMP, "when the event happened (UTC)", "clean/repayment_events ts"),
        Column("days_late", INT, "paid date - due date in days (null when not paid)", "derived"),
    )),
    TableSpec("risk_history", "one re-score of a loan by the behavioural model", "clock", (
        _cid(),
        Column("loan_id", STRING, "loan id", "monitoring/risk/<loan_id> (file)", False),
        Column("scored_at", TIMESTAMP, "when the score was written (UTC)", "monitoring/risk ts"),
        Column("kind", STRING, "baseline (at booking) or event", "monitoring/risk kind"),
        Column("clock", DATE, "the loan's date the score is as of", "monitoring/risk clock"),
        Column("events", INT, "repayment events applied so far", "monitoring/risk events"),
        Column("pd", FLOAT, "behavioural probability of default", "monitoring/risk pd"),
        Column("band", STRING, "risk band", "monitoring/risk band"),
        Column("previous_band", STRING, "band before this score", "monitoring/risk previous_band"),
        Column("dpd_now", INT, "days past due at the clock", "monitoring/risk features.dpd_now"),
        Column("alert", BOOL, "a band crossing raised an alert", "monitoring/risk alert"),
        Column("model_version", STRING, "behavioural model version", "monitoring/risk model_version"),
    )),
)}

DUCKDB_TYPES = {STRING: "VARCHAR", INT: "BIGINT", FLOAT: "DOUBLE", BOOL: "BOOLEAN", DATE: "DATE",
                TIMESTAMP: "TIMESTAMPTZ"}


def schema_markdown() -> str:
    """Every table and column as Markdown (docs/warehouse.md holds this text; a test keeps the two equal)."""
    out = []
    for spec in TABLES.values():
        out += [f"### `{spec.name}`", "", f"A row is {spec.row}; partitioned by `{PARTITION_COLUMN}` = the month "
                f"of `{spec.month_of}`.", "", "| column | type | meaning | source |", "|---|---|---|---|"]
        out += [f"| `{c.name}` | {DUCKDB_TYPES[c.type]}{'' if c.nullable else ' NOT NULL'} | {c.meaning} | "
                f"{c.source} |" for c in spec.columns]
        out += [f"| `{PARTITION_COLUMN}` | VARCHAR (partition) | YYYY-MM of `{spec.month_of}` | directory name |", ""]
    return "\n".join(out)
