"""The public contract of the generators package: API, profile choice, seeding, identity rules."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re

import pytest

from generators.identity import UDYAM_STATE_LETTERS, gstin_checksum
from generators.registry import PROFILE_NAMES, SOURCES, GeneratedCustomer, generate_customer, profile_for
from generators.seeding import random_for, rng_for, stable_seed

from .conftest import AS_OF

EXPECTED_PROFILES = {"baseline", "high_seasonality", "high_debt", "high_growth", "stable_income", "fraud", "declining",
                     "customer_concentration"}
PAN = re.compile(r"^[A-Z]{5}[0-9]{4}[A-Z]$")
UDYAM = re.compile(r"^UDYAM-[A-Z]{2}-\d{2}-\d{7}$")
ENTITY = {"Proprietorship": "P", "Partnership": "F", "LLP": "F", "Private Limited Company": "C"}


def test_profile_names_are_the_eight_profiles():
    assert set(PROFILE_NAMES) == EXPECTED_PROFILES and len(PROFILE_NAMES) == 8


def test_generated_customer_has_the_contract_fields():
    names = [f.name for f in dataclasses.fields(GeneratedCustomer)]
    assert names == ["customer_id", "profile", "as_of", "customer", "consent", "records", "truth", "txn_categories"]


def test_demo_ids_take_their_configured_profile(config):
    for cid, profile in config["demo_customers"].items():
        assert profile_for(cid, config) == profile


def test_other_ids_take_a_profile_from_the_stable_hash(config):
    ids = [f"CUST_ZZZ_{i:05d}" for i in range(300)]
    chosen = [profile_for(cid, config) for cid in ids]
    assert chosen == [PROFILE_NAMES[stable_seed(cid) % len(PROFILE_NAMES)] for cid in ids]
    assert set(chosen) == set(PROFILE_NAMES)


def test_stable_seed_is_the_first_eight_bytes_of_sha256():
    digest = hashlib.sha256(b"CUST_MSM_00001").digest()
    assert stable_seed("CUST_MSM_00001") == int.from_bytes(digest[:8], "big")
    assert stable_seed("CUST_MSM_00001") != stable_seed("CUST_MSM_00002")


def test_named_streams_are_reproducible_and_independent():
    assert rng_for(7, "bank").random(5).tolist() == rng_for(7, "bank").random(5).tolist()
    assert rng_for(7, "bank").random(5).tolist() != rng_for(7, "gst").random(5).tolist()
    assert [random_for(7, "a").random() for _ in range(1)] == [random_for(7, "a").random()]
    assert random_for(7, "a").random() != random_for(7, "b").random()


def test_bad_customer_id_and_unknown_profile_are_refused(config):
    with pytest.raises(ValueError):
        generate_customer("../etc/passwd", None, AS_OF, config)
    with pytest.raises(ValueError, match="unknown profile"):
        generate_customer("CUST_MSM_00001", "no_such_profile", AS_OF, config)


def test_as_of_is_moved_to_the_first_of_the_month(config, demo_customers):
    g = generate_customer("CUST_MSM_00005", None, dt.date(2026, 11, 17), config)
    assert g.as_of == AS_OF
    assert g.records == demo_customers["CUST_MSM_00005"].records


def test_every_source_is_present_and_non_empty(all_customers):
    for g in all_customers:
        assert list(g.records) == list(SOURCES)
        assert all(g.records[s] for s in SOURCES), g.customer_id


def test_customer_meta_is_complete_and_consistent(all_customers):
    keys = {"customer_id", "profile", "business_name", "owner_name", "constitution", "industry", "gstin", "pan",
            "udyam", "state", "city", "incorporation_date", "as_of", "seed", "related_parties"}
    for g in all_customers:
        meta = g.customer
        assert set(meta) == keys
        assert meta["customer_id"] == g.customer_id and meta["profile"] == g.profile
        relations = [p["relation"] for p in meta["related_parties"]]
        assert relations == ["family", "group_concern"]
        surname = meta["owner_name"].split()[-1]
        family, concern = meta["related_parties"]
        assert family["name"].split()[-1] == surname and concern["name"].split()[0] == surname
        assert meta["as_of"] == AS_OF.isoformat() and meta["seed"] == stable_seed(g.customer_id)
        assert PAN.fullmatch(meta["pan"]) and meta["pan"][3] == ENTITY[meta["constitution"]]
        gstin = meta["gstin"]
        assert gstin[2:12] == meta["pan"] and gstin[13] == "Z"
        assert gstin[14] == gstin_checksum(gstin[:14])
        assert UDYAM.fullmatch(meta["udyam"]) and meta["udyam"][6:8] == UDYAM_STATE_LETTERS[meta["state"]]
    numbers = {g.customer_id: g.customer["udyam"] for g in all_customers}
    assert len(set(numbers.values())) == len(numbers)  # one registration per business


def test_gstin_checksum_matches_published_gstins():
    for real in ("27AAPFU0939F1ZV", "29AAGCB7383J1Z4", "24AAACC1206D1ZM"):
        assert gstin_checksum(real[:14]) == real[14]


def test_counterparty_gstins_carry_valid_checksums(all_customers):
    for g in all_customers:
        for r in g.records["gst_returns"]:
            for party in r.get("b2b", []):
                assert party["ctin"][14] == gstin_checksum(party["ctin"][:14])
