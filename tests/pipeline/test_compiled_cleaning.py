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


@pytest.fixture(scope="module")
def raw_lines(tmp_path_factory):
    """Raw lines by source of two generated customers (the fraud profile plants GST and ONDC damage)."""
    lake = Lake(tmp_path_factory.mktemp("lake"))
    config = load_config()
    by_source = {s: [] for s in SOURCES}
    for customer, profile in (("CUST_CMP_00001", "fraud"), ("CUST_CMP_00002", "high_seasonality")):
        generate_stage(lake, customer, config, profile=profile, as_of=date(2026, 11, 1))
        for source in SOURCES:
            if lake.raw_path(customer, source).exists():
                by_source[source] += lake.read_lines(lake.raw_path(customer, source))
    return by_source


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


@pytest.mark.parametrize("source", SOURCES)
def test_compiled_cleaner_output_is_identical_to_the_specification(raw_lines, source):
    lines = _with_damage(raw_lines[source], seed=len(source))
    assert lines, f"no {source} generated"
    validator = validator_for(source)
    fast = SourceCleaner(SPECS[source], validator).clean(lines)
    slow = SourceCleaner(SPECS[source], validator, compiled=False).clean(lines)
    assert fast.clean_lines == slow.clean_lines
    assert orjson.dumps(fast.quarantine) == orjson.dumps(slow.quarantine)
    assert fast.report == slow.report
    assert fast.quarantine, "the damage should have sent some records to quarantine"


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
