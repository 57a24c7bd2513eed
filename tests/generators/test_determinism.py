"""Same id, profile and as-of month give byte-identical output, in any process."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys

import orjson

from generators.messiness import mess_rng, render_source
from generators.registry import SOURCES, generate_customer
from pipeline.sources import SPECS

from .conftest import AS_OF, ROOT


def dump(g) -> bytes:
    """Everything a run produces, serialised without sorting keys (so dict order counts too)."""
    return orjson.dumps({"customer": g.customer, "consent": g.consent, "records": g.records, "truth": g.truth,
                         "categories": g.txn_categories})


def test_generating_twice_gives_identical_bytes(config, demo_customers):
    for cid in ("CUST_MSM_00001", "CUST_MSM_00006"):
        assert dump(generate_customer(cid, None, AS_OF, config)) == dump(demo_customers[cid])


def test_output_does_not_depend_on_the_process_hash_seed(demo_customers):
    code = ("import datetime, hashlib, json, orjson; from generators.registry import generate_customer;"
            "cfg = json.load(open('config.json'));"
            "g = generate_customer('CUST_MSM_00003', None, datetime.date(2026, 11, 1), cfg);"
            "print(hashlib.sha256(orjson.dumps({'customer': g.customer, 'consent': g.consent, 'records': g.records,"
            " 'truth': g.truth, 'categories': g.txn_categories})).hexdigest())")
    expected = hashlib.sha256(dump(demo_customers["CUST_MSM_00003"])).hexdigest()
    for hash_seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        assert out.stdout.strip() == expected


def test_different_ids_and_months_give_different_data(config, demo_customers, forced_customers):
    a = forced_customers[("CUST_RND_10001", "baseline")]
    b = forced_customers[("CUST_RND_20002", "baseline")]
    assert a.customer["business_name"] != b.customer["business_name"] or a.customer["gstin"] != b.customer["gstin"]
    assert a.records["transactions"][0] != b.records["transactions"][0]
    later = generate_customer("CUST_MSM_00005", None, dt.date(2026, 12, 1), config)
    assert later.records["transactions"][0]["transactionTimestamp"].startswith("2023-12")
    assert demo_customers["CUST_MSM_00005"].records["transactions"][0]["transactionTimestamp"].startswith("2023-11")


def test_a_forced_profile_changes_the_data_but_not_the_identity(config, demo_customers):
    forced = generate_customer("CUST_MSM_00005", "fraud", AS_OF, config)
    base = demo_customers["CUST_MSM_00005"]
    assert forced.profile == "fraud" and forced.customer["gstin"] == base.customer["gstin"]
    assert len(forced.records["transactions"]) != len(base.records["transactions"])


# What two demo customers generate and the mess injector makes of them, frozen. A speed-up of the generators
# must keep every draw in its place, which these digests hold it to. A change that is meant to alter the
# data (a new field, another distribution) updates them, and says so in its commit.
FROZEN = {"CUST_MSM_00001": "775e36d36b2e3c66903acced370d6aaef67075321b4a4ba48c8b3187ec036336",
          "CUST_MSM_00006": "d648ba748d9a4fc9849378b3453c98760adc085c89e33ba73ca0bba1fd1b05da"}


def test_generated_and_rendered_bytes_are_frozen(config, demo_customers):
    for cid, expected in FROZEN.items():
        g = demo_customers[cid]
        digest = hashlib.sha256(dump(g))
        for source in SOURCES:
            lines, account = render_source(SPECS[source], g.records[source], config["messiness_config"],
                                           mess_rng(g.customer["seed"], source))
            digest.update(b"\n".join(lines))
            digest.update(orjson.dumps(account, option=orjson.OPT_SORT_KEYS))
        assert digest.hexdigest() == expected, f"{cid}: generated or rendered bytes changed"
