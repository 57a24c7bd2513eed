"""generate + clean end to end: conservation, agreement with injected.json, determinism."""
import filecmp

import orjson
import pytest

from generators.registry import generate_customer
from pipeline.lake import SOURCES, Lake
from pipeline.sources import SPECS, iter_slots, split_path
from pipeline.stages import clean_stage, generate_stage
from tests.conftest import AS_OF

DEMO = ["CUST_MSM_%05d" % i for i in range(1, 11)]


@pytest.mark.parametrize("customer_id", DEMO)
def test_clean_report_matches_what_the_generator_injected(demo_lake, customer_id):
    injected = demo_lake.read_json(demo_lake.log_path(customer_id, "injected"))
    report = demo_lake.read_json(demo_lake.log_path(customer_id, "clean_report"))
    for source in SOURCES:
        planted, got = injected["sources"][source], report["sources"][source]
        assert got["read"] == planted["lines"], source
        assert got["read"] == got["written"] + got["duplicates"] + got["quarantined"]["total"], source
        assert got["written"] == planted["expected"]["written"], source
        assert got["duplicates"] == planted["expected"]["duplicates"], source
        assert got["quarantined"]["total"] == planted["expected"]["quarantined"], source
        assert got["quarantined"]["by_reason"] == planted["unrepairable"], source
        assert got["repaired"] == planted["repairs"], source
        assert got["missing_optional"] == planted["missing_optional"], source
        clean_lines = demo_lake.read_lines(demo_lake.clean_path(customer_id, source))
        quarantine_lines = demo_lake.read_lines(demo_lake.quarantine_path(customer_id, source))
        assert len(clean_lines) == got["written"] and len(quarantine_lines) == got["quarantined"]["total"]
    assert report["consent"]["status"] == "ok"


def test_the_mess_is_real(demo_lake):
    injected = demo_lake.read_json(demo_lake.log_path("CUST_MSM_00001", "injected"))
    txns = injected["sources"]["transactions"]
    assert txns["generated"] > 15_000
    assert txns["duplicates"] >= 0.015 * txns["generated"]
    assert {"malformed_json", "type:enum", "amount:exclusiveMinimum"} <= set(txns["unrepairable"])
    for kind in ("amount_indian_grouping", "amount_currency_prefix", "date_dd/mm/yyyy", "date_epoch_ms",
                 "timestamp_dd-mon-yyyy", "mode_inferred", "value_date_filled"):
        assert txns["repairs"].get(kind, 0) > 0, kind
    assert txns["missing_optional"]["reference"] > 0


def _strip_droppable(source, record):
    record = orjson.loads(orjson.dumps(record))
    for path in SPECS[source].droppable:
        steps = split_path(path)
        for container, key in list(iter_slots(record, steps)):
            del container[key]
    return record


@pytest.mark.parametrize("customer_id", ["CUST_MSM_00001", "CUST_MSM_00006", "CUST_MSM_00003"])
def test_clean_records_equal_the_canonical_records(demo_lake, config, customer_id):
    profile = config["demo_customers"][customer_id]
    canonical = generate_customer(customer_id, profile, AS_OF, config)
    for source in SOURCES:
        clean = demo_lake.read_clean(customer_id, source)
        expected = [_strip_droppable(source, r) for r in canonical.records[source]]
        assert [_strip_droppable(source, r) for r in clean] == expected, source


def test_generation_and_cleaning_are_byte_identical(tmp_path, config):
    lakes = [Lake(tmp_path / "a"), Lake(tmp_path / "b")]
    for lake in lakes:
        generate_stage(lake, "CUST_XYZ_04242", config, as_of=AS_OF)
        clean_stage(lake, "CUST_XYZ_04242", config)
    for layer in ("raw", "clean", "quarantine"):
        left = lakes[0].customer_dir(layer, "CUST_XYZ_04242")
        right = lakes[1].customer_dir(layer, "CUST_XYZ_04242")
        names = sorted(p.name for p in left.iterdir())
        assert names and names == sorted(p.name for p in right.iterdir())
        match, mismatch, errors = filecmp.cmpfiles(left, right, names, shallow=False)
        assert mismatch == [] and errors == [], (layer, mismatch, errors)
    injected = [lake.read_json(lake.log_path("CUST_XYZ_04242", "injected")) for lake in lakes]
    assert injected[0] == injected[1]
    # cleaning the same raw data again rewrites the same bytes
    before = lakes[0].clean_path("CUST_XYZ_04242", "transactions").read_bytes()
    clean_stage(lakes[0], "CUST_XYZ_04242", config)
    assert lakes[0].clean_path("CUST_XYZ_04242", "transactions").read_bytes() == before


def test_a_different_as_of_month_moves_the_window(tmp_path, config):
    lake = Lake(tmp_path)
    generate_stage(lake, "CUST_XYZ_00001", config, profile="baseline", as_of=AS_OF.replace(year=2025))
    clean_stage(lake, "CUST_XYZ_00001", config)
    stamps = [t["transactionTimestamp"] for t in lake.read_clean("CUST_XYZ_00001", "transactions")]
    assert max(stamps) < "2025-11-01" and min(stamps) >= "2022-11-01"


def test_no_raw_record_carries_a_label(demo_lake):
    for customer_id in ("CUST_MSM_00006", "CUST_MSM_00003"):
        for source in SOURCES:
            text = demo_lake.raw_path(customer_id, source).read_text(encoding="utf-8").lower()
            for word in ("circular", "planted", "anomal", "high_debt", "concentration", "\"profile\":\""):
                assert word not in text, (customer_id, source, word)


def test_quarantine_keeps_the_original_line_and_reasons(demo_lake):
    entries = demo_lake.read_ndjson(demo_lake.quarantine_path("CUST_MSM_00001", "transactions"))
    raw_lines = demo_lake.read_lines(demo_lake.raw_path("CUST_MSM_00001", "transactions"))
    assert entries
    for entry in entries:
        assert raw_lines[entry["line"] - 1].decode() == entry["raw"]
        assert entry["reasons"] and all({"code", "field", "message"} <= set(r) for r in entry["reasons"])
