"""Shared fixtures: the config, compiled validators, and every test customer generated once per session."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import fastjsonschema
import pytest
from jsonschema import Draft202012Validator

from generators.registry import PROFILE_NAMES, SOURCES, generate_customer

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 1)
RANDOM_IDS = ("CUST_RND_10001", "CUST_RND_20002")


@pytest.fixture(scope="session")
def config() -> dict:
    """The project's config.json as the generators receive it."""
    return json.loads((ROOT / "config.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def validators() -> dict[str, Draft202012Validator]:
    """One compiled Draft 2020-12 validator per source schema (and the consent)."""
    out = {}
    for name in SOURCES + ("consent",):
        schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        out[name] = Draft202012Validator(schema)
    return out


@pytest.fixture(scope="session")
def fast_validators() -> dict:
    """The same schemas compiled by fastjsonschema, for a quick yes on tens of thousands of records."""
    return {name: fastjsonschema.compile(json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text("utf-8")))
            for name in SOURCES + ("consent",)}


@pytest.fixture(scope="session")
def demo_customers(config) -> dict[str, object]:
    """The ten demo customers with their configured profiles."""
    return {cid: generate_customer(cid, None, AS_OF, config) for cid in config["demo_customers"]}


@pytest.fixture(scope="session")
def forced_customers(config) -> dict[tuple[str, str], object]:
    """Two non-demo ids generated under every profile."""
    return {(cid, p): generate_customer(cid, p, AS_OF, config) for cid in RANDOM_IDS for p in PROFILE_NAMES}


@pytest.fixture(scope="session")
def all_customers(demo_customers, forced_customers) -> list:
    """Every generated test customer."""
    return list(demo_customers.values()) + list(forced_customers.values())


def by_profile(all_customers: list, profile: str) -> list:
    """The generated customers of one profile (at least one demo and two forced ones)."""
    return [g for g in all_customers if g.profile == profile]
