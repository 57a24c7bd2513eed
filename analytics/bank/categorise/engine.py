"""The rule engine: a narration's features, then the first rule of ``rules.json`` that fires.

The rules, the signal words and the named parties are data (``data/*.json``);
this module only turns a line into a set of features and walks the rule list
in order, so a lender who disagrees with a label edits a table, not code.
Results are cached per (digit-folded narration, type, mode, small amount):
17,000 statement lines have a few thousand distinct keys.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from analytics.bank.categorise.parties import (extract_counterparty, narration_names_business, party_key, party_kind,
                                               vpa_kind)
from analytics.bank.categorise.taxonomy import group_of
from analytics.bank.categorise.text import PatternTable, Text, read_text

DATA = Path(__file__).with_name("data")
SMALL_AMOUNT = 1000.0
LENDER_PRIORITY = ("gold", "fintech", "nbfc", "bank")
LENDER_LEAVES = {
    "emi": {"bank": "bank_loan_emi", "nbfc": "nbfc_loan_emi", "fintech": "fintech_loan_emi",
            "gold": "gold_loan_repayment"},
    "disbursal": {"bank": "bank_loan_disbursal", "nbfc": "nbfc_loan_disbursal",
                  "fintech": "fintech_loan_disbursal", "gold": "gold_loan_disbursal"},
}
# a bank named in a narration is a lender only next to a loan word: otherwise it is the payer's bank
BANK_LENDER_CONTEXT = frozenset({"MANDATE", "LOAN", "DISB", "LOANACCT", "PREPAY"})
LENDER_GROUPS = frozenset({"BOUNCE", "LOAN_REPAYMENT", "LOAN_DISBURSAL"})
# groups whose lines name no party worth recording
NO_PARTY_GROUPS = frozenset({"BANK_CHARGES", "CASH_WITHDRAWAL", "CASH_DEPOSIT", "INTEREST", "TAX"})


@dataclass(frozen=True)
class Categorisation:
    """One line's result: taxonomy group and leaf, the counterparty, and how sure the rule is (0-1)."""
    group: str
    category: str
    counterparty: str | None
    confidence: float
    rule: int

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``python -m pipeline categorise``."""
        return {"group": self.group, "category": self.category, "counterparty": self.counterparty,
                "confidence": self.confidence}


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


class _Tables:
    """The data files compiled once."""

    def __init__(self):
        lexicon = {k: v for k, v in _load("lexicon.json").items() if not k.startswith("_")}
        self.lexicon = PatternTable([(name, p) for name, patterns in lexicon.items() for p in patterns])
        entities = _load("entities.json")
        self.lenders: dict[str, tuple[str, str]] = {}
        lender_entries = []
        for kind, rows in entities["lender"].items():
            for name, patterns in rows:
                label = f"{kind}:{name}"
                self.lenders[label] = (kind, name)
                lender_entries += [(label, p) for p in patterns]
        self.lender_table = PatternTable(lender_entries)
        self.parties = {str(i): e for i, e in enumerate(entities["party"])}
        self.party_table = PatternTable([(str(i), p) for i, e in enumerate(entities["party"]) for p in e["match"]])
        self.rules = _load("rules.json")["rules"]


@lru_cache(maxsize=1)
def tables() -> _Tables:
    """The compiled rule tables (loaded on first use)."""
    return _Tables()


def _lender(t: _Tables, text: Text, words: frozenset) -> tuple[str, str] | None:
    found = [t.lenders[label] for label in t.lender_table.first(text)]
    if not found:
        return None
    banks_count = not BANK_LENDER_CONTEXT.isdisjoint(words)
    for kind in LENDER_PRIORITY:
        if kind == "gold":
            hits = [f for f in found if f[0] == "gold"]
        elif kind == "bank":
            hits = [f for f in found if f[0] == "bank"] if banks_count else []
        else:
            hits = [f for f in found if f[0] not in ("gold", "bank")]
        if hits:
            return hits[0]
    return None


_HANDLE = re.compile(r"@[A-Z]+")


def _specificity(entity: dict, text: Text) -> int:
    """Length of the longest of an entity's forms the narration prints (squashed): the more specific
    entity wins when two of one kind match."""
    return max((len(f.lstrip("~=").replace(" ", "")) for f in entity["match"]
                if f.lstrip("~=").replace(" ", "").upper() in text.squashed), default=0)


def _features(text: Text, txn_type: str, mode: str, small: bool) -> tuple[frozenset, dict[str, Any]]:
    read, context = _text_features(text)
    return read | ({f"mode:{mode}", "small"} if small else {f"mode:{mode}"}), context


@lru_cache(maxsize=8192)   # a statement's distinct texts
def _text_features(text: Text) -> tuple[frozenset, dict[str, Any]]:
    """The features and context the narration's text alone gives (cached: one text recurs with other types, modes
    and amounts); the context is only ever read."""
    t = tables()
    words = t.lexicon.labels(text)
    features = set(words)
    context: dict[str, Any] = {}
    lender = _lender(t, text, words)
    if lender:
        context["lender"] = lender
        features.add("lender")
        if lender[0] != "bank":
            features.add("lender_nonbank")
    # a UPI handle (@PAYTM, @YBL) names the payer's app, not who was paid: entities are read without it
    named = read_text(_HANDLE.sub(" ", text.upper)) if "@" in text.upper else text
    for label in t.party_table.first(named):
        entity = t.parties[label]
        key = f"ent:{entity['kind']}"
        if key not in features:
            features.add(key)
            context[entity["kind"]] = entity
        elif _specificity(entity, named) > _specificity(context[entity["kind"]], named):
            context[entity["kind"]] = entity   # PAYTM ECOMMERCE (ONDC) names more than PAYTM does
    party = extract_counterparty(text.upper)
    context["party"] = party
    kind = party_kind(party)
    if kind != "business" and narration_names_business(text.squashed):
        kind = "business"
    features.add(f"party:{kind}")
    features.add(f"vpa:{vpa_kind(text.upper)}")
    return frozenset(features), context


def _fires(rule: dict, features: frozenset, txn_type: str) -> bool:
    if rule.get("type") and rule["type"] != txn_type:
        return False
    if any(f not in features for f in rule.get("all", ())):
        return False
    if rule.get("any") and not any(f in features for f in rule["any"]):
        return False
    return not any(f in features for f in rule.get("none", ()))


@lru_cache(maxsize=8192)
def _firing(features: frozenset, txn_type: str) -> tuple[int, ...]:
    """Indices of the rules that fire on a feature set, in order (few distinct feature sets: cached)."""
    return tuple(i for i, rule in enumerate(tables().rules) if _fires(rule, features, txn_type))


def _resolve(leaf: str, context: dict[str, Any], txn_type: str) -> tuple[str | None, str | None]:
    """A rule's leaf and the entity name it rests on, for ``@`` leaves."""
    if not leaf.startswith("@"):
        return leaf, None
    if leaf.startswith("@lender:"):
        kind, name = context["lender"]
        return LENDER_LEAVES[leaf.split(":", 1)[1]][kind], name
    entity = context.get(leaf[1:])
    side = "credit" if txn_type == "CREDIT" else "debit"
    if not entity or not entity.get(side):
        return None, None
    return entity[side], entity["name"]


@lru_cache(maxsize=32768)
def _party(entity_name: str | None, printed: str | None) -> str | None:
    """The printed name when it names the entity the rule rests on (it is the more specific:
    ``TATA CAPITAL FINANCIAL SERVICES``), else the entity's own name (``FIBE`` behind ``CTRAZORPAY``)."""
    if not entity_name or not printed:
        return entity_name or printed
    t = tables()
    text = read_text(printed)
    named = {t.lenders[label][1] for label in t.lender_table.labels(text)}
    named |= {t.parties[label]["name"] for label in t.party_table.labels(text)}
    return printed if entity_name in named and " " in printed else entity_name


_DECISIONS: dict[tuple[str, str, str, bool], tuple[str, str | None, float, int]] = {}
_DECISIONS_KEPT = 32768


def decide(key: str, txn_type: str, mode: str, small: bool) -> tuple[str, str | None, float, int]:
    """``(leaf, counterparty, confidence, rule)`` of a line key: a narration folded by
    :func:`~analytics.bank.categorise.parties.party_key`, the upper-case type and mode, and whether the amount
    is small (:func:`categorise` without the folding). Remembered per key: a statement repeats its narrations,
    and a process categorising many statements repeats them across customers."""
    args = (key, txn_type, mode, small)
    found = _DECISIONS.get(args)
    if found is None:
        found = _decide_line(key, txn_type, mode, small)
        if len(_DECISIONS) >= _DECISIONS_KEPT:
            _DECISIONS.clear()
        _DECISIONS[args] = found
    return found


def decisions_memo() -> dict[tuple[str, str, str, bool], tuple[str, str | None, float, int]]:
    """A copy of what this process has decided so far (pure results of the rules): a ``run`` split over two
    processes (:mod:`pipeline.overlap`) hands it to the second, which categorises the same statement again."""
    return dict(_DECISIONS)


def remember_decisions(memo: dict[tuple[str, str, str, bool], tuple[str, str | None, float, int]]) -> None:
    """Adopt decisions another process made with the same rules (see :func:`decisions_memo`)."""
    if len(_DECISIONS) + len(memo) >= _DECISIONS_KEPT:
        _DECISIONS.clear()
    _DECISIONS.update(list(memo.items())[:_DECISIONS_KEPT])


def _decide_line(key: str, txn_type: str, mode: str, small: bool) -> tuple[str, str | None, float, int]:
    text = read_text(key)
    features, context = _features(text, txn_type, mode, small)
    rules = tables().rules
    for index in _firing(features, txn_type):
        rule = rules[index]
        leaf, entity_name = _resolve(rule["leaf"], context, txn_type)
        if leaf is None:
            continue
        if entity_name is None and "lender" in context and group_of(leaf) in LENDER_GROUPS:
            entity_name = context["lender"][1]   # a returned EMI names its lender too
        party = _party(entity_name, context["party"])
        if group_of(leaf) in NO_PARTY_GROUPS:
            party = None
        return leaf, party, float(rule.get("conf", 0.5)), index
    leaf = "unidentified_credit" if txn_type == "CREDIT" else "unidentified_debit"
    return leaf, context["party"], 0.2, -1


def categorise(narration: str | None, txn_type: str, amount: float | None = None,
               mode: str | None = None) -> Categorisation:
    """Group, leaf, counterparty and confidence of one statement line.

    ``mode`` is a weak hint (DOMAIN.md: an ATM withdrawal can arrive as
    ``OTHERS``): rules use it only where the narration says nothing. The
    amount matters only to tell a small return *charge* from a return.
    """
    txn = (txn_type or "").upper()
    small = amount is not None and abs(float(amount)) < SMALL_AMOUNT
    key = party_key((narration or "").upper())
    leaf, party, conf, rule = decide(key, txn, (mode or "").upper(), small)
    return Categorisation(group_of(leaf), leaf, party, conf, rule)
