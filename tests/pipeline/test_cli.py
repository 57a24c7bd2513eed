"""The command line as a user runs it: real subprocesses, real files."""
import os
import subprocess
import sys

import orjson
import pytest

from tests.conftest import PROJECT_ROOT


def run_cli(*args, lake=None, env=None):
    command = [sys.executable, "-m", "pipeline", *args]
    if lake is not None:
        command += ["--lake", str(lake)]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, env=full_env, timeout=120)


@pytest.mark.parametrize("command", ["generate", "clean", "analyze", "run", "erase"])
@pytest.mark.parametrize("bad_id", ["../etc", "CUST_MSM_1", "", "cust_msm_00001", "CUST_MSM_00001/../../x"])
def test_bad_ids_are_refused_before_touching_the_disk(tmp_path, command, bad_id):
    lake = tmp_path / "lake"
    result = run_cli(command, "--customer-id", bad_id, lake=lake)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "invalid customer id" in result.stderr
    assert "Traceback" not in result.stderr
    assert not lake.exists()


def test_import_aa_refuses_a_bad_id_too(tmp_path):
    result = run_cli("import-aa", "--customer-id", "../../etc", "--file", "/etc/passwd", lake=tmp_path / "lake")
    assert result.returncode == 2 and not (tmp_path / "lake").exists()


def test_generate_clean_list_erase_round_trip(tmp_path):
    lake = tmp_path / "lake"
    result = run_cli("run", "--customer-id", "CUST_ABC_00042", "--profile", "stable_income", "--as-of", "2026-11",
                     "--steps", "generate,clean,analyze", lake=lake)
    assert result.returncode == 0, result.stderr
    assert "[1/3] generate: started" in result.stdout and "[3/3] analyze: done" in result.stdout
    assert (lake / "clean" / "CUST_ABC_00042" / "transactions.ndjson").stat().st_size > 0

    listing = run_cli("list", "--json", lake=lake)
    rows = orjson.loads(listing.stdout)
    assert [(r["customer_id"], r["profile"], r["consent_status"], r["last_run"]["status"]) for r in rows] == \
        [("CUST_ABC_00042", "stable_income", "ACTIVE", "done")]
    assert "stable_income" in run_cli("list", lake=lake).stdout

    erased = run_cli("erase", "--customer-id", "CUST_ABC_00042", "--reason", "customer asked", lake=lake)
    assert erased.returncode == 0
    for layer in ("raw", "clean", "quarantine", "logs"):
        assert not (lake / layer / "CUST_ABC_00042").exists()
    audit = [orjson.loads(line) for line in (lake / "audit" / "audit.ndjson").read_text().splitlines()]
    assert audit[-1]["action"] == "erase" and audit[-1]["customer_id"] == "CUST_ABC_00042"
    assert audit[-1]["reason"] == "customer asked" and set(audit[-1]["layers"]) >= {"raw", "clean"}
    assert "no customers" in run_cli("list", lake=lake).stdout


def test_lake_dir_environment_variable_is_the_default(tmp_path):
    lake = tmp_path / "from_env"
    result = run_cli("generate", "--customer-id", "CUST_ENV_00001", "--as-of", "2026-11", env={"LAKE_DIR": str(lake)})
    assert result.returncode == 0, result.stderr
    assert (lake / "raw" / "CUST_ENV_00001" / "transactions.ndjson").exists()


def test_failures_are_one_clear_line(tmp_path):
    lake = tmp_path / "lake"
    missing = run_cli("clean", "--customer-id", "CUST_ABC_00001", lake=lake)
    assert missing.returncode == 1 and "no raw data for CUST_ABC_00001" in missing.stderr
    assert "Traceback" not in missing.stderr
    bad_step = run_cli("run", "--customer-id", "CUST_ABC_00001", "--steps", "generate,fly", lake=lake)
    assert bad_step.returncode == 2 and "unknown step" in bad_step.stderr
    bad_profile = run_cli("generate", "--customer-id", "CUST_ABC_00001", "--profile", "lucky", lake=lake)
    assert bad_profile.returncode == 1 and "unknown profile" in bad_profile.stderr
    bad_month = run_cli("generate", "--customer-id", "CUST_ABC_00001", "--as-of", "2026-13", lake=lake)
    assert bad_month.returncode == 2 and "--as-of" in bad_month.stderr
    no_file = run_cli("import-aa", "--customer-id", "CUST_ABC_00001", "--file", str(tmp_path / "nope.json"), lake=lake)
    assert no_file.returncode == 1 and "cannot read" in no_file.stderr and "Traceback" not in no_file.stderr


def test_an_unreadable_source_fails_that_source_only(tmp_path):
    lake = tmp_path / "lake"
    assert run_cli("generate", "--customer-id", "CUST_ABC_00002", "--as-of", "2026-11", lake=lake).returncode == 0
    target = lake / "raw" / "CUST_ABC_00002" / "mutual_funds.ndjson"
    target.unlink()
    target.mkdir()  # a directory where a file should be: unreadable
    result = run_cli("clean", "--customer-id", "CUST_ABC_00002", lake=lake)
    assert result.returncode == 1 and "mutual_funds" in result.stderr
    report = orjson.loads((lake / "logs" / "CUST_ABC_00002" / "clean_report.json").read_bytes())
    assert report["sources"]["mutual_funds"]["status"] == "error"
    assert report["sources"]["transactions"]["written"] > 0


def test_import_aa_replaces_a_synthetic_customer_and_cleans(tmp_path):
    lake = tmp_path / "lake"
    assert run_cli("generate", "--customer-id", "CUST_AAI_00001", "--as-of", "2026-11", lake=lake).returncode == 0
    webhook = (PROJECT_ROOT.parent / "shared" / "samples" / "aa" / "setu_fi_data_ready_webhook_deposit_v1.1.json")
    if not webhook.exists():
        pytest.skip("shared AA samples not present")
    text = "\n".join(line.split("//")[0] for line in webhook.read_text().splitlines())  # drop the // comments
    doc = tmp_path / "fi.json"
    doc.write_text(text)
    result = run_cli("import-aa", "--customer-id", "CUST_AAI_00001", "--file", str(doc), lake=lake)
    assert result.returncode == 0, result.stderr
    assert "imported 1 account(s) and 2 transaction(s)" in result.stdout and "replaced the synthetic data" in result.stdout
    raw = sorted(p.name for p in (lake / "raw" / "CUST_AAI_00001").iterdir())
    assert raw == ["accounts.ndjson", "customer.json", "transactions.ndjson"]
    cleaned = run_cli("clean", "--customer-id", "CUST_AAI_00001", lake=lake)
    assert cleaned.returncode == 0, cleaned.stderr
    clean = [orjson.loads(l) for l in (lake / "clean" / "CUST_AAI_00001" / "transactions.ndjson").read_text().splitlines()]
    assert [t["txnId"] for t in clean] == ["EUCE23840883221703", "ZJGE96715479740775"]
    assert clean[0]["amount"] == 33834.65 and clean[0]["transactionTimestamp"] == "2020-05-08T16:35:29+05:30"
    assert (lake / "clean" / "CUST_AAI_00001" / "accounts.ndjson").read_text().count("\n") == 1
