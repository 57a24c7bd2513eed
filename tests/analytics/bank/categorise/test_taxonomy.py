"""The taxonomy's invariants, and that the rule tables only ever name leaves it has."""
import json
from pathlib import Path

from analytics.bank.categorise.engine import DATA, LENDER_LEAVES
from analytics.bank.categorise.legacy import legacy_table
from analytics.bank.categorise.taxonomy import GROUPS, leaves, taxonomy
from bench.categorise_set import load_labelled

DOC = Path(__file__).resolve().parents[4] / "docs" / "taxonomy.md"


def test_every_leaf_sits_in_one_of_the_21_contract_groups_and_there_are_at_least_60():
    assert len(GROUPS) == 21 and len(set(GROUPS)) == 21
    assert list(taxonomy()["groups"]) == list(GROUPS)
    assert len(leaves()) >= 60
    assert {entry["group"] for entry in leaves().values()} == set(GROUPS)  # every group has a leaf
    assert all(entry["direction"] in ("CREDIT", "DEBIT", "either") for entry in leaves().values())


def test_every_leaf_is_documented():
    text = DOC.read_text(encoding="utf-8")
    assert [leaf for leaf in leaves() if f"`{leaf}`" not in text] == []


def test_rules_and_parties_name_only_taxonomy_leaves_of_the_right_direction():
    rules = json.loads((DATA / "rules.json").read_text())["rules"]
    named = {r["leaf"] for r in rules if not r["leaf"].startswith("@")}
    entities = json.loads((DATA / "entities.json").read_text())
    named |= {e[side] for e in entities["party"] for side in ("credit", "debit") if e.get(side)}
    named |= {leaf for table in LENDER_LEAVES.values() for leaf in table.values()}
    assert sorted(named - set(leaves())) == []
    for rule in rules:
        entry = leaves().get(rule["leaf"])
        if entry and rule.get("type") and entry["direction"] != "either":
            assert entry["direction"] == rule["type"], rule


def test_every_leaf_has_one_coarse_category_for_the_analytics():
    table = legacy_table()
    assert set(table) == set(leaves())
    for leaf, entry in table.items():
        if isinstance(entry, dict):
            assert set(entry) == {"CREDIT", "DEBIT"} and leaves()[leaf]["direction"] == "either"


def test_the_labelled_set_uses_taxonomy_leaves_and_groups():
    rows = load_labelled()
    assert len(rows) >= 400 and len({r["bank"] for r in rows}) == 11
    assert all(r["category"] in leaves() and leaves()[r["category"]]["group"] == r["group"] for r in rows)
