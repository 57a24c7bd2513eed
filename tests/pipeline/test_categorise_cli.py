"""``python -m pipeline categorise`` as a lender runs it: a real subprocess, JSON lines in and out."""
import json
import os
import subprocess
import sys

from tests.conftest import PROJECT_ROOT

KEYS = {"group", "category", "counterparty", "confidence"}


def categorise(stdin: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "categorise", *args], cwd=PROJECT_ROOT, input=stdin,
                          capture_output=True, text=True, env={**os.environ}, timeout=120)


def lines(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def test_every_line_gets_group_category_counterparty_confidence_in_input_order():
    result = categorise(lines(
        {"narration": "ACH D- BAJAJ FINANCE LTD-P400PSI21234567", "type": "DEBIT", "amount": 6563, "mode": "OTHERS"},
        {"narration": "UPI/P2M/612345671234/SANJAY PATEL/Payment/HDFC BANK", "type": "CREDIT", "amount": 1250},
        {"narration": "ATW-652166XXXXXX7731-P3ENDL17-DELHI", "type": "DEBIT", "amount": "10,000", "mode": "OTHERS"},
        {"narration": "GST/BANKREFERENCENO:R2426214112233/CINNO:HDFC24090800112233", "type": "debit", "amount": 1700},
    ))
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [set(o) for o in out] == [KEYS] * 4
    assert [(o["group"], o["category"]) for o in out] == [
        ("LOAN_REPAYMENT", "nbfc_loan_emi"), ("BUSINESS_INCOME", "upi_merchant_sales"),
        ("CASH_WITHDRAWAL", "atm_withdrawal"), ("TAX", "gst_payment")]
    assert out[0]["counterparty"] == "BAJAJ FINANCE LTD" and out[2]["counterparty"] is None
    assert all(0 < o["confidence"] <= 1 for o in out)


def test_bad_lines_get_an_error_naming_the_field_and_the_good_ones_still_pass():
    result = categorise(lines(
        "not json",
        {"narration": "NEFT/N1/ACME TRADERS/INV 1", "type": "SIDEWAYS", "amount": 5},
        {"type": "DEBIT", "amount": 5},
        {"narration": "NEFT/N1/ACME TRADERS/INV 1", "type": "DEBIT", "amount": "lots"},
        {"narration": "NEFT/N1/ACME TRADERS/INV 1", "type": "DEBIT", "amount": 5, "mode": 7},
        {"narration": "NEFT/N1/ACME TRADERS/INV 1", "type": "DEBIT", "amount": 5000},
    ))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 6
    assert "JSON" in out[0]["error"] and out[0]["line"] == 1
    assert "'type'" in out[1]["error"] and "'narration'" in out[2]["error"]
    assert "'amount'" in out[3]["error"] and "'mode'" in out[4]["error"]
    assert out[5]["category"] == "neft_rtgs_supplier_payment"


def test_exit_status_is_non_zero_only_when_no_line_could_be_read(tmp_path):
    bad = categorise(lines("{", {"narration": 1, "type": "DEBIT", "amount": 1}))
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert [json.loads(line)["line"] for line in bad.stdout.splitlines()] == [1, 2]
    assert categorise("").returncode != 0
    missing = categorise("", "--file", str(tmp_path / "nope.jsonl"))
    assert missing.returncode != 0 and "Traceback" not in missing.stderr and missing.stderr.startswith("error:")


def test_reads_a_file_with_file_option(tmp_path):
    path = tmp_path / "lines.jsonl"
    path.write_text(lines({"narration": "BY CASH", "type": "CREDIT", "amount": 93000, "mode": "CASH"},
                          {"narration": "SMS CHRG FOR:01-04-2024to30-06-2024", "type": "DEBIT", "amount": 17.7}))
    result = categorise("", "--file", str(path))
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["category"] for line in result.stdout.splitlines()] == [
        "branch_cash_deposit", "sms_alert_charge"]
