"""The lake on an object store: a real moto S3 server on a free port, real subprocesses, real files, no mocks.

The batch runs on a real Dask LocalCluster of two worker processes against ``s3://<bucket>/lake``; its objects
are compared with the files the same customers get on a local lake with the same as-of month.
"""
import logging
import os
import re
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import orjson
import pytest

from pipeline.cli import main
from pipeline.config import ObjectStoreLakeError, load_config
from pipeline.lake import InvalidCustomerIdError, Lake
from pipeline.remote_lake import RemoteLake, RemoteLakeError, parse_lake_url
from pipeline.remote_stage import snapshot, working_copy
from pipeline.runner import run_steps
from tests.conftest import PROJECT_ROOT
from tests.served import free_port

AS_OF = date(2026, 11, 1)
STEPS = "generate,clean,analyze,score,models"
GOOD = {"CUST_SBT_00001": "customer_concentration", "CUST_SBT_00002": "stable_income",
        "CUST_SBT_00003": "high_debt"}
BAD_PROFILE, BAD_ID = "CUST_SBT_00004", "not_an_id"
S3_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def s3_env():
    """A moto S3 server (moto.server.ThreadedMotoServer) on a free port, and the environment that points at it."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one log line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {**S3_ENV, "LAKE_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}"}
    with pytest.MonkeyPatch.context() as patch:
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "LAKE_DIR"):
            patch.delenv(name, raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        yield env
    server.stop()


def new_bucket() -> str:
    """A fresh bucket on the test server; returns the lake URL ``s3://<bucket>/lake``."""
    name = f"lake-{uuid.uuid4().hex[:12]}"
    RemoteLake(f"s3://{name}").fs.mkdir(name)
    return f"s3://{name}/lake"


@pytest.fixture()
def lake_url(s3_env):
    """An empty object-store lake of its own for one test."""
    return new_bucket()


def objects(url: str) -> dict[str, bytes]:
    """Every object of the lake by relative key."""
    remote = RemoteLake(url)
    keys = remote.fs.find(remote.location.base)
    return {remote.rel(k): v for k, v in remote.fs.cat(keys).items()} if keys else {}


def local_files(lake: Lake) -> dict[str, bytes]:
    """Every file of a local lake by relative path."""
    return {p.relative_to(lake.root).as_posix(): p.read_bytes() for p in sorted(lake.root.rglob("*")) if p.is_file()}


def as_local_layout(keys) -> set[str]:
    """Object keys as a local lake names its files: the entries ``<log>.d/<entry>.json`` of a log are ``<log>``."""
    return {re.sub(r"^(.+\.ndjson)\.d/[^/]+\.json$", r"\1", k) for k in keys}


def mask_generated_at(data: bytes) -> bytes:
    """A document with its computation time blanked: the one field that differs between two runs by design."""
    return re.sub(rb'"generated_at": "[^"]*"', b'"generated_at": "-"', data)


def cli(*args: str, env: dict, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=timeout)


# ---- the batch on a LocalCluster, against the object store ------------------------------------------
@pytest.fixture(scope="module")
def batch_run(s3_env, tmp_path_factory, small_risk_model, config):
    """One ``python -m pipeline batch`` of 3 good and 2 bad customers on s3://, and the same 3 on a local lake."""
    url = new_bucket()
    with working_copy(RemoteLake(url), None, models=True) as shared:  # the risk model, put where score finds it
        small_risk_model(shared)
    listing = tmp_path_factory.mktemp("batch") / "customers.txt"
    listing.write_text("\n".join([*(f"{cid},{profile}" for cid, profile in GOOD.items()),
                                  f"{BAD_PROFILE},no_such_profile", BAD_ID]) + "\n")
    result = cli("batch", "--customers", str(listing), "--workers", "2", "--steps", STEPS, "--as-of", "2026-11",
                 "--lake", url, env=s3_env)
    local = small_risk_model(Lake(tmp_path_factory.mktemp("local_lake")))
    for cid, profile in GOOD.items():
        outcome = run_steps(local, cid, STEPS.split(","), config, lambda *_: None,
                            {"generate": {"profile": profile, "as_of": AS_OF}})
        assert outcome["status"] == "done", outcome
    return url, result, local


def test_batch_on_s3_writes_what_a_local_lake_holds_under_the_same_keys(batch_run):
    url, result, local = batch_run
    assert "on 2 worker(s)" in result.stdout, result.stdout + result.stderr
    remote_objects, local_objects = objects(url), local_files(local)
    assert as_local_layout(remote_objects) == set(local_objects)  # same layout; the run history as entries
    for cid in GOOD:
        entries = [k for k in remote_objects if k.startswith(f"logs/{cid}/runs.ndjson.d/")]
        assert len(entries) == 1 and orjson.loads(remote_objects[entries[0]])["status"] == "done"
        for layer in ("raw", "clean", "quarantine"):  # deterministic data: byte for byte
            keys = [k for k in local_objects if k.startswith(f"{layer}/{cid}/") and not k.endswith("consent.json")]
            assert keys and all(remote_objects[k] == local_objects[k] for k in keys), layer
        analytics = [k for k in local_objects if k.startswith(f"analytics/{cid}/")]
        assert len(analytics) >= 15  # analyze, score and models documents
        for key in analytics:  # byte-identical but for the time each was computed
            assert mask_generated_at(remote_objects[key]) == mask_generated_at(local_objects[key]), key
        score = orjson.loads(remote_objects[f"analytics/{cid}/risk_model.json"])
        assert score["metrics"]["probability_of_default"]["value"] is not None
    for name in ("risk_model.joblib", "risk_model.json"):  # loaded by every worker, never rewritten
        assert remote_objects[f"models/{name}"] == local_objects[f"models/{name}"]


def test_batch_on_s3_reports_a_bad_customer_and_finishes_the_others(batch_run):
    url, result, _ = batch_run
    out = result.stdout
    assert result.returncode == 1 and "Traceback" not in result.stderr
    outcome = {cid: state for cid, state in re.findall(r"\[\d/5\] (\S+) (done|error)", out)}
    assert outcome == {**{cid: "done" for cid in GOOD}, BAD_PROFILE: "error", BAD_ID: "error"}
    assert "unknown profile 'no_such_profile'" in out and "invalid customer id 'not_an_id'" in out
    assert "batch finished: 3 done, 2 failed of 5" in out
    assert not [k for k in objects(url) if BAD_PROFILE in k or BAD_ID in k]


# ---- single-customer commands, erasure and refusals -------------------------------------------------
def test_run_list_and_erase_remove_that_customer_only(lake_url, capsys):
    gone, kept = "CUST_SER_00001", "CUST_SER_00002"
    for cid in (gone, kept):
        assert main(["run", "--customer-id", cid, "--steps", "generate,clean", "--profile", "stable_income",
                     "--as-of", "2026-11", "--lake", lake_url]) == 0
    remote = RemoteLake(lake_url)
    loans = {"customer_id": gone, "loans": [{"loan_id": "LN-S3E-1"}, {"loan_id": "LN-S3E-2"}]}
    remote.fs.pipe({remote.key(f"monitoring/loans/{gone}.json"): orjson.dumps(loans),
                    remote.key("monitoring/risk/LN-S3E-1.ndjson"): b'{"pd": 0.1}\n',
                    remote.key("monitoring/risk/LN-S3E-2.ndjson"): b'{"pd": 0.2}\n',
                    remote.key(f"monitoring/loans/{kept}.json"): orjson.dumps({"loans": []})})
    before = objects(lake_url)
    capsys.readouterr()
    assert main(["list", "--lake", lake_url]) == 0
    listed = capsys.readouterr().out
    assert gone in listed and kept in listed and "done (generate,clean)" in listed

    assert main(["erase", "--customer-id", gone, "--reason", "DPDP request", "--lake", lake_url]) == 0
    assert f"erased {gone} from raw, clean, quarantine, logs, monitoring" in capsys.readouterr().out
    after = objects(lake_url)
    left = {k for k in after if gone in k or "LN-S3E" in k}
    assert left == {f"consents/{gone}.json"}  # the consent evidence stays, as on a local lake
    untouched = {k: v for k, v in before.items() if gone not in k and "LN-S3E" not in k}
    assert {k: after[k] for k in untouched} == untouched  # the other customer's objects, byte for byte
    new = set(after) - set(before)
    assert len(new) == 1 and new.pop().startswith("audit/audit.ndjson.d/")
    assert [(e["action"], e["reason"]) for e in remote.read_audit(gone)] == [("erase", "DPDP request")]


def test_generate_import_aa_and_clean_on_s3_delete_what_the_import_replaced(lake_url, tmp_path, capsys):
    webhook = PROJECT_ROOT.parent / "shared" / "samples" / "aa" / "setu_fi_data_ready_webhook_deposit_v1.1.json"
    if not webhook.exists():
        pytest.skip("shared AA samples not present")
    doc = tmp_path / "fi.json"
    doc.write_text("\n".join(line.split("//")[0] for line in webhook.read_text().splitlines()))
    cid = "CUST_SAI_00001"
    assert main(["generate", "--customer-id", cid, "--as-of", "2026-11", "--lake", lake_url]) == 0
    assert f"into {lake_url}/raw/{cid}" in capsys.readouterr().out
    assert len([k for k in objects(lake_url) if k.startswith(f"raw/{cid}/")]) == 10  # 8 sources, consent, customer
    assert main(["import-aa", "--customer-id", cid, "--file", str(doc), "--lake", lake_url]) == 0
    assert main(["clean", "--customer-id", cid, "--lake", lake_url]) == 0
    after = objects(lake_url)
    assert sorted(k for k in after if k.startswith(f"raw/{cid}/")) == [
        f"raw/{cid}/accounts.ndjson", f"raw/{cid}/customer.json", f"raw/{cid}/transactions.ndjson"]
    clean = [orjson.loads(line) for line in after[f"clean/{cid}/transactions.ndjson"].splitlines()]
    assert [t["txnId"] for t in clean] == ["EUCE23840883221703", "ZJGE96715479740775"]
    assert f"clean/{cid}/gst_returns.ndjson" not in after  # the synthetic clean output of a source now missing
    assert [e["action"] for e in RemoteLake(lake_url).read_audit(cid)] == ["import_aa"]


def test_commands_that_need_a_local_lake_refuse_an_object_store_in_one_line(lake_url, s3_env, capsys):
    for argv in (["refresh"], ["prepare-demo"], ["train-risk", "--portfolio", "20"]):
        assert main([*argv, "--lake", lake_url]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "object store" in err and lake_url in err
    server = subprocess.run([sys.executable, "-m", "api_panel", "serve", "--port", str(free_port())],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, **s3_env, "LAKE_DIR": lake_url})
    assert server.returncode == 1 and server.stderr.count("\n") == 1 and "object store" in server.stderr
    assert objects(lake_url) == {}


def test_lake_urls_and_config():
    assert parse_lake_url("s3://bucket/a/b/").url == "s3://bucket/a/b"
    assert parse_lake_url("s3://bucket").base == "bucket"
    for bad in ("gs://bucket/p", "s3://Bucket_1/p", "s3://bucket/a/../b", "s3://bucket/a//b", "s3:///p"):
        with pytest.raises(RemoteLakeError):
            parse_lake_url(bad)
    assert load_config({"lake_root": "s3://bucket/lake/"}, object_store=True)["lake_root"] == "s3://bucket/lake"
    with pytest.raises(ObjectStoreLakeError, match="object store"):
        load_config({"lake_root": "s3://bucket/lake"})


# ---- staging and publishing -----------------------------------------------------------------------
CID, OTHER = "CUST_STG_00001", "CUST_STG_00002"


@pytest.fixture()
def seeded(lake_url):
    """A customer with a few objects in several layers, its consent registry, a model, and another customer."""
    remote = RemoteLake(lake_url)
    remote.fs.pipe({remote.key(rel): data for rel, data in {
        f"raw/{CID}/transactions.ndjson": b'{"t": 1}\n', f"clean/{CID}/transactions.ndjson": b'{"t": 1}\n',
        f"clean/{CID}/gst_returns.ndjson": b'{"g": 1}\n', f"analytics/{CID}/credit_score.json": b'{"s": 1}\n',
        f"consents/{CID}.json": b"[]\n", "models/risk_model.json": b'{"m": 1}\n',
        f"raw/{OTHER}/transactions.ndjson": b'{"o": 1}\n'}.items()})
    return remote


def test_publish_writes_changes_deletes_removals_and_leaves_untouched_objects_alone(seeded):
    remote = seeded
    results = []
    with working_copy(remote, CID, on_published=results.append) as lake:
        assert lake.read_ndjson(lake.clean_path(CID, "gst_returns")) == [{"g": 1}]
        assert not lake.models_dir.exists() and not lake.raw_path(OTHER, "transactions").exists()
        lake.clean_path(CID, "gst_returns").unlink()                                # the run removed an output
        lake.write_json(lake.analytics_path(CID, "credit_score"), {"s": 2})         # changed
        lake.write_ndjson(lake.quarantine_path(CID, "transactions"), [{"q": 1}])    # new
        lake.append_line(lake.run_log_path(CID), {"status": "done"})
        # meanwhile another writer replaces an object this run staged but does not change
        remote.fs.pipe_file(remote.key(f"raw/{CID}/transactions.ndjson"), b'{"t": "newer"}\n')
    after = objects(remote.url)
    assert f"clean/{CID}/gst_returns.ndjson" not in after
    assert orjson.loads(after[f"analytics/{CID}/credit_score.json"]) == {"s": 2}
    assert after[f"quarantine/{CID}/transactions.ndjson"] == b'{"q":1}\n'
    assert after[f"raw/{CID}/transactions.ndjson"] == b'{"t": "newer"}\n'  # not overwritten by the stale copy
    assert after[f"raw/{OTHER}/transactions.ndjson"] == b'{"o": 1}\n' and after["models/risk_model.json"]
    (result,) = results
    assert result.written == (f"analytics/{CID}/credit_score.json", f"quarantine/{CID}/transactions.ndjson")
    assert result.deleted == (f"clean/{CID}/gst_returns.ndjson",) and result.entries == 1
    assert result.unchanged == 3  # raw and clean transactions, the consent registry


def test_concurrent_working_copies_keep_every_log_entry(seeded):
    remote = seeded
    with working_copy(remote, CID) as first, working_copy(remote, CID) as second:
        for lake, who in ((first, "first"), (second, "second")):
            lake.append_line(lake.run_log_path(CID), {"run": who})
            lake.audit("note", CID, by=who)
    with snapshot(remote, CID) as view:
        runs = [orjson.loads(line)["run"] for line in view.read_lines(view.run_log_path(CID))]
    assert sorted(runs) == ["first", "second"]
    assert sorted(e["by"] for e in remote.read_audit(CID)) == ["first", "second"]


def test_a_log_copied_up_from_a_local_lake_is_read_first_and_never_rewritten(seeded):
    remote = seeded
    whole = b'{"run": 1}\n{"run": 2}'  # as `aws s3 sync` would upload a local runs.ndjson (no final newline here)
    remote.fs.pipe_file(remote.key(f"logs/{CID}/runs.ndjson"), whole)
    with working_copy(remote, CID) as lake:
        lake.append_line(lake.run_log_path(CID), {"run": 3})
    with snapshot(remote, CID) as view:
        assert [orjson.loads(line)["run"] for line in view.read_lines(view.run_log_path(CID))] == [1, 2, 3]
    assert objects(remote.url)[f"logs/{CID}/runs.ndjson"] == whole


def test_rewriting_an_append_only_log_or_writing_outside_the_partition_is_refused(seeded):
    remote = seeded
    with working_copy(remote, CID) as lake:
        lake.append_line(lake.run_log_path(CID), {"run": 1})
    before = objects(remote.url)
    with pytest.raises(RemoteLakeError, match="append-only"):
        with working_copy(remote, CID) as lake:
            lake.write_json(lake.analytics_path(CID, "credit_score"), {"s": 9})
            lake.write_ndjson(lake.run_log_path(CID), [{"run": "forged"}])
    assert objects(remote.url) == before  # nothing published
    with pytest.raises(RemoteLakeError, match="outside the customer's partition"):
        with working_copy(remote, CID) as lake:
            lake.write_json(lake.analytics_path(CID, "credit_score"), {"s": 3})
            lake.append_line(lake.processed_events_path, {"event_id": "e1"})
    after = objects(remote.url)
    assert orjson.loads(after[f"analytics/{CID}/credit_score.json"]) == {"s": 3}
    assert not [k for k in after if k.startswith("monitoring/")]


def test_a_bad_customer_id_is_refused_before_any_request():
    unreachable = RemoteLake("s3://bucket/lake", {"endpoint_url": f"http://127.0.0.1:{free_port()}"})
    for bad in ("../etc", "CUST_STG_1", "CUST_STG_00001/../x"):
        with pytest.raises(InvalidCustomerIdError):
            with working_copy(unreachable, bad):
                pass
        with pytest.raises(InvalidCustomerIdError):
            unreachable.erase(bad)
    assert unreachable._fs is None  # the file system was never even created


def test_working_copies_are_removed(seeded):
    with working_copy(seeded, CID) as lake:
        root = Path(lake.root)
        assert root.is_dir()
    assert not root.exists()
