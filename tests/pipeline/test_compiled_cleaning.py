"""The compiled cleaner (pipeline.fastpath + pipeline.fastcheck) against its interpreted specification.

Generated customers with their planted mess, plus records damaged here at random, are cleaned both ways;
clean lines, quarantine entries (with every reason) and reports must be identical, byte for byte.
"""
import copy
import random
from collections import Counter
from datetime import date

import orjson
import pytest

from pipeline.cleaning import SourceCleaner, _Kept, _passes
from pipeline.config import load_config
from pipeline.fastcheck import compile_check
from pipeline.lake import SOURCES, Lake
from pipeline.sources import SPECS
from pipeline.stages import generate_stage
from pipeline.validation import load_schema, validator_for, without_formats

JUNK = [None, "", "x", "  ", "1,00", -1, 0, 2.5, -0.5, True, False, [], {}, [1], {"a": 1}, "2024-13-45", "ABC"]


_CUSTOMERS = (("CUST_CMP_00001", "fraud"), ("CUST_CMP_00002", "high_seasonality"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Raw lines by source of two generated customers (the fraud profile plants GST and ONDC damage), and
    what the mess injector planted in them by source: repair kinds and unrepairable reason codes."""
    lake = Lake(tmp_path_factory.mktemp("lake"))
    config = load_config()
    by_source = {s: [] for s in SOURCES}
    planted = {s: set() for s in SOURCES}
    for customer, profile in _CUSTOMERS:
        generate_stage(lake, customer, config, profile=profile, as_of=date(2026, 11, 1))
        for source in SOURCES:
            if lake.raw_path(customer, source).exists():
                by_source[source] += lake.read_lines(lake.raw_path(customer, source))
        for source, account in lake.read_json(lake.log_path(customer, "injected"))["sources"].items():
            planted[source] |= set(account.get("repairs", {})) | set(account.get("unrepairable", {}))
    return by_source, planted


@pytest.fixture(scope="module")
def raw_lines(generated):
    """Raw lines by source of the two generated customers."""
    return generated[0]


def _slots(value):
    """Every (container, key) inside a decoded record."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield value, key
            yield from _slots(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield value, index
            yield from _slots(item)


def damaged(record: dict, rng: random.Random) -> dict:
    """A copy of a record with one value replaced, one key removed or one key added, somewhere inside it."""
    record = copy.deepcopy(record)
    slots = list(_slots(record))
    if not slots:
        return record
    container, key = rng.choice(slots)
    action = rng.random()
    if action < 0.2 and isinstance(container, dict):
        del container[key]
    elif action < 0.3 and isinstance(container, dict):
        container["unexpected"] = 1
    elif action < 0.45 and isinstance(container[key], str):
        container[key] = container[key].lower() if rng.random() < 0.5 else container[key] + "\n"
    else:
        container[key] = rng.choice(JUNK)
    return record


def _decoded(lines: list[bytes]) -> list[dict]:
    records = []
    for line in lines:
        try:
            records.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            continue  # planted malformed lines
    return [r for r in records if isinstance(r, dict)]


def _with_damage(lines: list[bytes], seed: int) -> list[bytes]:
    rng = random.Random(seed)
    records = _decoded(lines)
    extra = [orjson.dumps(damaged(record, rng)) for record in rng.sample(records, min(len(records), 400))
             for _ in range(3)]
    return lines + extra


def _cleaned_both_ways(source: str, lines: list[bytes]):
    """Clean ``lines`` with the compiled cleaner and with its specification; require byte-identical results."""
    validator = validator_for(source)
    fast = SourceCleaner(SPECS[source], validator).clean(lines)
    slow = SourceCleaner(SPECS[source], validator, compiled=False).clean(lines)
    assert fast.clean_lines == slow.clean_lines
    assert orjson.dumps(fast.quarantine) == orjson.dumps(slow.quarantine)
    assert fast.report == slow.report
    return fast


@pytest.mark.parametrize("source", SOURCES)
def test_compiled_cleaner_output_is_identical_to_the_specification(raw_lines, source):
    lines = _with_damage(raw_lines[source], seed=len(source))
    assert lines, f"no {source} generated"
    fast = _cleaned_both_ways(source, lines)
    assert fast.quarantine, "the damage should have sent some records to quarantine"


@pytest.mark.parametrize("source", SOURCES)
def test_every_planted_repair_and_reason_is_cleaned_identically(generated, source):
    """The generators' own mess, undamaged further: each repair kind and quarantine reason they plant shows in
    both cleaners' reports, with the same counts, and the outputs are byte-identical."""
    raw, planted = generated
    fast = _cleaned_both_ways(source, raw[source])
    seen = set(fast.report["repaired"]) | set(fast.report["quarantined"]["by_reason"])
    assert planted[source] <= seen, f"{source}: planted but not seen: {sorted(planted[source] - seen)}"


@pytest.fixture(scope="module")
def heavily_messed():
    """Every source of the fraud customer rendered with a quarter of its lines (and at least three of each kind)
    unrepairable, so each unrepairable reason and repair kind the mess injector knows is planted."""
    from generators.messiness import mess_rng, render_source
    from generators.registry import generate_customer

    config = load_config()
    generated = generate_customer("CUST_CMP_00003", "fraud", date(2026, 11, 1), config)
    out = {}
    for source in SOURCES:
        records = generated.records.get(source, [])
        kinds = 1 + len(SPECS[source].corruptions)  # at least three rounds of every kind, even for one record
        mess = {**config["messiness_config"], "unrepairable_rate": max(0.25, 3 * kinds / max(1, len(records)))}
        lines, account = render_source(SPECS[source], records, mess, mess_rng(3, source))
        out[source] = (lines, set(account["repairs"]) | set(account["unrepairable"]))
    return out


@pytest.mark.parametrize("source", SOURCES)
def test_every_kind_of_damage_is_cleaned_identically(heavily_messed, source):
    """Each unrepairable reason of the source's spec (and malformed JSON) is planted and quarantined, with the
    same entries and reasons from both cleaners; every repair kind planted is counted the same by both."""
    lines, planted = heavily_messed[source]
    fast = _cleaned_both_ways(source, lines)
    reasons = set(fast.report["quarantined"]["by_reason"])
    corruptions = set(SPECS[source].corruptions)
    assert {"malformed_json"} <= reasons
    assert corruptions <= reasons | {"malformed_json"}, f"{source}: {sorted(corruptions - reasons)} not quarantined"
    assert planted <= set(fast.report["repaired"]) | reasons
    if source == "transactions":
        assert {"amount_from_string", "amount_currency_prefix", "amount_indian_grouping", "enum_case",
                "mode_inferred", "value_date_filled", "timestamp_epoch_ms", "timestamp_dd/mm/yyyy",
                "timestamp_dd-mon-yyyy", "date_epoch_ms", "date_dd/mm/yyyy", "date_dd-mon-yyyy"} <= planted


# values the compiled normaliser has shortcuts for (pipeline.fastparse, floats in paise, cached dates), and near misses
EDGE_AMOUNTS = ["250.00", "-250.5", "0.015", "4,13,232.14", "-4,13,232.14", "1,00", "12,34,567.891", "Rs. 89.00",
                "Rs. -1,000.00", "₹1,136.00", "₹ -100", "-Rs. 5", "₹-1,000.5", "INR 5", "१२३.४५", "250.00\n", "1e5",
                0.07, 0.285, 2.675, -0.0, 1e15 + 0.125, 1e300, 99999999999999.99, 5, -5, True]
EDGE_STAMPS = [1698806993000, 1698806993123, 946684799999, 4102444801000, True, "01/11/2023 11:06:28",
               "29/02/2023 10:00:00", "01/02/2024 24:00:00", "01-NOV-2023 10:00:00", "01-Xyz-2023 10:00:00",
               "1/2/2024 10:00:00", "०१/११/२०२३ ११:०६:२८", " 01/11/2023 11:06:28", "2023-11-01T09:17:46Z"]
EDGE_DATES = [1698777000000, 1698806993000, 946684799999, True, "01/11/2023", "29/02/2023", "01-Nov-2023",
              "1698806993000", " 2023-11-01", "2023-11-01T10:00:00+05:30"]
# where each source takes them: (path to the slot, values)
EDGE_SLOTS = {
    "transactions": [(("amount",), EDGE_AMOUNTS), (("currentBalance",), EDGE_AMOUNTS),
                     (("transactionTimestamp",), EDGE_STAMPS), (("valueDate",), EDGE_DATES + EDGE_STAMPS)],
    "ondc_orders": [(("quote", "price", "value"), EDGE_AMOUNTS), (("items", 0, "price", "value"), EDGE_AMOUNTS),
                    (("created_at",), EDGE_STAMPS)],
    "gst_returns": [(("b2b", 0, "inv", 0, "val"), EDGE_AMOUNTS), (("b2b", 0, "inv", 0, "idt"), EDGE_DATES),
                    (("due_date",), EDGE_DATES)],
}


@pytest.mark.parametrize("source", sorted(EDGE_SLOTS))
def test_shortcut_values_and_near_misses_are_cleaned_identically(raw_lines, source):
    """Every edge value in every slot, and a missing value date repaired from an edge timestamp, both ways."""
    template = next(r for r in _decoded(raw_lines[source]) if all(_has(r, path) for path, _ in EDGE_SLOTS[source]))
    records = []
    for path, values in EDGE_SLOTS[source]:
        for value in values:
            record = copy.deepcopy(template)
            _put(record, path, value)
            records.append(record)
            if path == ("transactionTimestamp",):
                records.append({k: v for k, v in record.items() if k != "valueDate"})
    key = {"transactions": "txnId", "ondc_orders": "id", "gst_returns": "ret_prd"}[source]
    for number, record in enumerate(records):
        record[key] = f"{number % 12 + 1:02d}{2000 + number // 12}" if source == "gst_returns" else f"EDGE{number}"
    lines = [orjson.dumps(r) for r in records]
    fast = _cleaned_both_ways(source, lines + lines[:5])  # and a few duplicates
    assert fast.quarantine and fast.report["written"]


def _has(record, path) -> bool:
    for step in path:
        if not isinstance(record, (dict, list)) or (isinstance(record, dict) and step not in record) \
                or (isinstance(record, list) and len(record) <= step):
            return False
        record = record[step]
    return True


def _put(record, path, value) -> None:
    for step in path[:-1]:
        record = record[step]
    record[path[-1]] = value


def test_a_key_hash_collision_never_drops_a_record():
    """One-process de-duplication remembers key hashes only: a record whose hash was seen with another key is kept."""
    kept = _Kept(lambda record: (record["k"],))
    kept.first_at[7] = len(kept.buffer)
    kept.buffer += orjson.dumps({"k": "a"}, option=orjson.OPT_APPEND_NEWLINE)
    assert not kept.seen_before(("b",), 7)  # same hash, other key: not a duplicate, and remembered
    kept.buffer += orjson.dumps({"k": "b"}, option=orjson.OPT_APPEND_NEWLINE)
    assert kept.seen_before(("a",), 7) and kept.seen_before(("b",), 7)
    assert kept.written == 2


@pytest.mark.parametrize("source", (*SOURCES, "consent"))
def test_every_schema_is_a_valid_draft_2020_12_schema(source):
    """The validators check their schema only when a record first fails: the schemas themselves are checked here."""
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(load_schema(source))


@pytest.mark.parametrize("source", SOURCES)
def test_compiled_check_agrees_with_fastjsonschema(raw_lines, source):
    schema = load_schema(source)
    check = compile_check(schema)
    assert check is not None, f"{source}: its schema should compile (else cleaning falls back to the slow check)"
    reference = _passes(validator_for(source).fast)
    cleaner = SourceCleaner(SPECS[source], validator_for(source))
    rng = random.Random(7)
    records = []
    for record in _decoded(raw_lines[source][:300]):
        cleaner.normalize(record, Counter(), Counter(), [])  # what the check sees: parsed values
        records += [record] + [damaged(record, rng) for _ in range(5)]
    verdicts = [(check(r), reference(r)) for r in records]
    assert all(mine == theirs for mine, theirs in verdicts)
    assert {v for v, _ in verdicts} == {True, False}, "both verdicts should be exercised"


def test_unknown_keywords_are_left_to_fastjsonschema():
    assert compile_check({"type": "object", "patternProperties": {"^x": {"type": "string"}}}) is None
    assert compile_check({"enum": [1, 2]}) is None
    assert compile_check({"additionalProperties": {"type": "string"}}) is None


@pytest.mark.parametrize("schema, good, bad", [
    ({"type": "string", "pattern": "^\\d{2}$"}, ["12"], ["12\n", "123", 12]),
    ({"type": "integer", "minimum": 1}, [1, 7, 2.0], [0, 1.5, True, "1"]),
    ({"type": ["number", "null"], "exclusiveMaximum": 5}, [None, 4.5, 4], [5, "4", False]),
    ({"if": {"properties": {"k": {"const": "A"}}}, "then": {"required": ["a"]}, "else": {"required": ["b"]}},
     [{"k": "A", "a": 1}, {"k": "B", "b": 1}], [{"k": "A", "b": 1}, {"k": "B", "a": 1}, {"b": 1}]),
    ({"type": "array", "minItems": 1, "items": {"enum": ["x", None]}}, [["x", None]], [[], ["y"], "x"]),
    # required properties are read without a test (a KeyError fails the check); no other key: counted, or a subset
    ({"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "string"}, "b": True, "c": {}},
      "additionalProperties": False}, [{"a": "x", "b": 1}, {"a": "x", "b": 1, "c": 2}],
     [{"a": "x"}, {"b": 1}, {"a": "x", "b": 1, "d": 1}, {"a": 1, "b": 1}, {"a": "x", "c": 2, "d": 3}]),
    ({"type": "object", "required": ["a", "z"], "properties": {"a": {"type": "integer"}}},
     [{"a": 1, "z": 1}, {"a": 1.0, "z": None, "y": 2}], [{"a": 1}, {"z": 1}, {"a": "x", "z": 1}]),
    ({"required": ["a"], "properties": {"a": {"minimum": 1}, "o": {"type": "object", "required": ["p"]}}},
     [{"a": 1}, {"a": "x"}, {"a": 1, "o": {"p": None}}, 5], [{}, {"a": 0}, {"a": 1, "o": {}}]),
])
def test_keywords_follow_fastjsonschema(schema, good, bad):
    import fastjsonschema

    check, reference = compile_check(schema), _passes(fastjsonschema.compile(without_formats(schema)))
    assert [check(v) for v in good + bad] == [reference(v) for v in good + bad] == [True] * len(good) + [False] * len(bad)


def test_held_patterns_are_skipped_only_where_held():
    """A pattern the caller holds at a place is not matched there (the cleaner's parsed dates), and still is elsewhere."""
    date = r"^\d{4}-\d{2}-\d{2}$"
    schema = {"type": "object", "properties": {"d": {"type": "string", "pattern": date},
                                               "l": {"type": "array", "items": {"type": "string", "pattern": date}}}}
    held = compile_check(schema, {("d",): frozenset({date}), ("l", "[]"): frozenset({"^other$"})})
    assert held({"d": "not a date", "l": ["2024-01-02"]})
    assert not held({"d": 5}) and not held({"d": "2024-01-02", "l": ["not a date"]})
    assert not compile_check(schema)({"d": "not a date"})
