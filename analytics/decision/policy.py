"""The credit policy a lender sets: knock-outs, PD grades, capacity limits and pricing inputs, versioned.

It lives in ``config.json`` under ``credit_policy`` and is read once per run by :func:`load_policy`, which
checks it the way a credit committee would before signing: every knock-out has an outcome, the PD grades are
increasing and end at 1, and they are the risk model's bands (``risk_model.bands``) with the same cut-offs, so
the grade on the decision and the band on the risk model can never disagree. The policy's ``sha256`` (of its
canonical JSON) is recorded with every decision beside its ``version``: two decisions made under different
policy text are told apart even if someone forgot to bump the version.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

DECISIONS = ("APPROVE", "APPROVE_WITH_CONDITIONS", "REFER", "DECLINE")
KNOCKOUTS = ("fraud", "bureau_adverse", "dpd_90_plus", "insufficient_data", "no_lending_consent")


class PolicyError(ValueError):
    """``credit_policy`` in config.json is incomplete or inconsistent; the message names the key."""


@dataclass(frozen=True)
class Grade:
    """One PD grade: PDs below ``max_pd`` (and at or above the previous grade's) get ``decision``."""

    band: str
    max_pd: float
    decision: str


@dataclass(frozen=True)
class Policy:
    """The checked credit policy; ``raw`` is the configured block as it was read."""

    version: str
    effective_from: str
    sha256: str
    knockouts: dict[str, Any]
    knockout_decisions: dict[str, str]
    grades: tuple[Grade, ...]
    grade_conditions: dict[str, list[str]]
    capacity: dict[str, float]
    pricing: dict[str, Any]
    raw: dict[str, Any]

    def grade_for(self, pd_value: float) -> Grade:
        """The grade a probability of default falls in (the last grade catches PD = 1)."""
        for grade in self.grades:
            if pd_value < grade.max_pd:
                return grade
        return self.grades[-1]

    def stamp(self) -> dict[str, str]:
        """What a decision records of the policy it was made under."""
        return {"version": self.version, "effective_from": self.effective_from, "sha256": self.sha256}


def _need(block: dict, key: str, where: str) -> Any:
    if not isinstance(block, dict) or key not in block:
        raise PolicyError(f"credit_policy{where}: missing '{key}'")
    return block[key]


def _grades(section: dict, config: dict) -> tuple[Grade, ...]:
    grades = tuple(Grade(str(_need(g, "band", ".grades[]")), float(_need(g, "max_pd", ".grades[]")),
                         str(_need(g, "decision", ".grades[]"))) for g in _need(section, "grades", ""))
    if not grades:
        raise PolicyError("credit_policy.grades: at least one grade is needed")
    cutoffs = [g.max_pd for g in grades]
    if cutoffs != sorted(cutoffs) or len(set(cutoffs)) != len(cutoffs) or cutoffs[-1] != 1.0:
        raise PolicyError(f"credit_policy.grades: max_pd must increase strictly and end at 1.0, got {cutoffs}")
    bad = [g.decision for g in grades if g.decision not in DECISIONS]
    if bad:
        raise PolicyError(f"credit_policy.grades: unknown decision(s) {bad}; one of {', '.join(DECISIONS)}")
    bands = [(str(b["band"]), float(b["max_pd"])) for b in config.get("risk_model", {}).get("bands", [])]
    if bands and bands != [(g.band, g.max_pd) for g in grades]:
        raise PolicyError("credit_policy.grades must be the risk model's bands (risk_model.bands) with the same "
                          f"cut-offs, so a decision's grade and the risk band agree: {bands} vs "
                          f"{[(g.band, g.max_pd) for g in grades]}")
    return grades


def load_policy(config: dict) -> Policy:
    """The credit policy of ``config`` (``credit_policy``), checked; raises :class:`PolicyError` when malformed.

    Why checked at load: a misspelt knock-out or a grade out of order must stop the run, not silently
    approve a customer the committee meant to decline.
    """
    section = config.get("credit_policy")
    if not isinstance(section, dict):
        raise PolicyError("config.json has no 'credit_policy' section")
    outcomes = dict(_need(section, "knockout_decisions", ""))
    missing = [k for k in KNOCKOUTS if k not in outcomes]
    if missing or any(v not in DECISIONS for v in outcomes.values()):
        raise PolicyError(f"credit_policy.knockout_decisions: every knock-out {KNOCKOUTS} needs one of "
                          f"{DECISIONS} (missing {missing})")
    pricing = dict(_need(section, "pricing", ""))
    for key in ("benchmark", "cost_of_funds", "operating_cost", "capital", "lgd", "ceiling"):
        _need(pricing, key, ".pricing")
    capacity = {k: float(v) for k, v in dict(_need(section, "capacity", "")).items()}
    for key in ("min_dscr", "max_foir_gross", "max_foir_net"):
        _need(capacity, key, ".capacity")
    canonical = json.dumps(section, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return Policy(version=str(_need(section, "version", "")), effective_from=str(section.get("effective_from", "")),
                  sha256=hashlib.sha256(canonical.encode()).hexdigest(),
                  knockouts=dict(_need(section, "knockouts", "")), knockout_decisions=outcomes,
                  grades=_grades(section, config), grade_conditions=dict(section.get("grade_conditions", {})),
                  capacity=capacity, pricing=pricing, raw=section)
