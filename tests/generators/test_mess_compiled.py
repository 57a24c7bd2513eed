"""The compiled mess (generators.mess_compiled) against its plain specification (SourceMesser.mess).

Every source of generated customers, and records with junk planted at the spec's paths, are rendered both
ways from the same seed: the raw lines, the account of the damage and the random stream's state afterwards
must be identical, so switching between the two can never shift a draw.
"""
from __future__ import annotations

import copy
import random

import orjson
import pytest

from generators.mess_compiled import compile_mess
from generators.messiness import mess_rng, render_source
from generators.registry import SOURCES
from pipeline.sources import SPECS, iter_slots, split_path

JUNK = [None, True, False, 0, 7, -3, 2.5, -0.0, 1234567.891, "", "x", "credit", "CREDIT", "2024-02-29",
        "2024-02-29T23:59:59+05:30", [], [1.5], {}, {"value": 3}]


def _messes(config) -> dict[str, dict]:
    base = config["messiness_config"]
    heavy = {**base, "enum_lowercase_rate": 0.5, "missing_optional_rate": 0.5, "duplicate_rate": 0.3,
             "unrepairable_rate": 0.2, "amount_formats": {k: 1 for k in base["amount_formats"]},
             "date_formats": {"iso": 0, "epoch_ms": 2, "dd/mm/yyyy": 1, "dd-mon-yyyy": 1}}
    return {"configured": base, "heavy": heavy,
            "one_shape": {**base, "amount_formats": {"rs_prefix": 1}, "date_formats": {"iso": 1}},
            "canonical_amounts": {**base, "amount_formats": {"number": 1}, "date_formats": {"epoch_ms": 1}}}


def _both_ways(source: str, records: list[dict], mess: dict, seed: int, plant: bool = True):
    out = []
    for compiled in (True, False):
        rng = mess_rng(seed, source)
        lines, account = render_source(SPECS[source], records, mess, rng, plant_unrepairable=plant, compiled=compiled)
        out.append((lines, account, rng.getstate()))
    return out


@pytest.mark.parametrize("source", SOURCES)
def test_generated_records_are_damaged_identically(demo_customers, config, source):
    for cid in ("CUST_MSM_00001", "CUST_MSM_00006"):
        records = demo_customers[cid].records[source]
        for name, mess in _messes(config).items():
            for plant in (True, False):
                compiled, plain = _both_ways(source, records, mess, 11, plant)
                assert compiled[0] == plain[0], f"{cid} {name}: lines differ"
                assert compiled[1] == plain[1] and compiled[2] == plain[2], f"{cid} {name}: account or stream differ"


def _plant_junk(value, rng: random.Random):
    """Replace about a third of the values inside a decoded record with junk of every JSON type."""
    if isinstance(value, dict):
        for key in list(value):
            if rng.random() < 0.3:
                value[key] = copy.deepcopy(rng.choice(JUNK))
            else:
                _plant_junk(value[key], rng)
    elif isinstance(value, list):
        for index in range(len(value)):
            if rng.random() < 0.3:
                value[index] = copy.deepcopy(rng.choice(JUNK))
            else:
                _plant_junk(value[index], rng)


def _failing_alike_removed(record: dict, spec) -> dict:
    """Both forms raise alike on an unhashable enum value or a string that is no date: keep to the rest."""
    fixes = [(spec.enums, lambda v: "credit" if isinstance(v, (dict, list)) else v),
             (spec.dates, lambda v: "2024-02-29" if isinstance(v, str) else v),
             (spec.timestamps, lambda v: "2024-02-29T23:59:59+05:30" if isinstance(v, str) else v)]
    for paths, fix in fixes:
        for path in paths:
            for container, key in list(iter_slots(record, split_path(path))):
                container[key] = fix(container[key])
    return record


@pytest.mark.parametrize("source", SOURCES)
def test_junk_at_every_path_is_handled_identically(demo_customers, config, source):
    """Wrong types, None, lists where objects belong, lower-case enums: each both ways, draw for draw."""
    rng = random.Random(source)
    records = []
    for customer in demo_customers.values():
        for record in customer.records[source][:40]:
            damaged = orjson.loads(orjson.dumps(record))
            _plant_junk(damaged, rng)
            records.append(_failing_alike_removed(damaged, SPECS[source]))
    assert records
    for mess in _messes(config).values():   # no unrepairable lines: their corruptors expect real records
        compiled, plain = _both_ways(source, records, {**mess, "unrepairable_rate": 0}, 5)
        assert compiled == plain


def test_records_are_left_untouched(demo_customers, config):
    records = demo_customers["CUST_MSM_00003"].records
    before = orjson.dumps(records)
    for source in SOURCES:
        render_source(SPECS[source], records[source], _messes(config)["heavy"], mess_rng(3, source))
    assert orjson.dumps(records) == before


def _same_json(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same_json(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same_json(x, y) for x, y in zip(a, b))
    return a == b


def test_canonical_records_are_json_native(all_customers):
    """The compiled mess copies records on write where the plain form deep-copies them through JSON: the two
    see the same types only if the records are JSON already (no tuples, dates or numpy numbers)."""
    for customer in all_customers:
        for source in SOURCES:
            for record in customer.records[source]:
                assert _same_json(record, orjson.loads(orjson.dumps(record))), (customer.customer_id, source)


def test_compiled_once_per_spec_and_config(config):
    mess = config["messiness_config"]
    assert compile_mess(SPECS["transactions"], mess) is compile_mess(SPECS["transactions"], dict(mess))
    assert compile_mess(SPECS["transactions"], mess) is not compile_mess(SPECS["transactions"],
                                                                        _messes(config)["heavy"])


def test_unknown_formats_are_refused_by_both(config):
    mess = {**config["messiness_config"], "amount_formats": {"roman_numerals": 1}}
    for compiled in (True, False):
        with pytest.raises(ValueError, match="roman_numerals"):
            render_source(SPECS["transactions"], [], mess, random.Random(1), compiled=compiled)
