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

from pipeline.cleaning import SourceCleaner, _passes
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
])
def test_keywords_follow_fastjsonschema(schema, good, bad):
    import fastjsonschema

    check, reference = compile_check(schema), _passes(fastjsonschema.compile(without_formats(schema)))
    assert [check(v) for v in good + bad] == [reference(v) for v in good + bad] == [True] * len(good) + [False] * len(bad)
