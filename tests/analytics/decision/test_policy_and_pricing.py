"""The credit policy is checked when read, and prices are built up line by line from it."""
import copy

import pytest

from analytics.decision.policy import PolicyError, load_policy
from analytics.decision.pricing import capital_charge, price


def test_the_shipped_policy_loads_with_its_version_and_hash(config):
    policy = load_policy(config)
    assert policy.version == config["credit_policy"]["version"]
    assert len(policy.sha256) == 64
    assert [g.band for g in policy.grades] == [b["band"] for b in config["risk_model"]["bands"]]
    assert policy.grade_for(0.049).decision == "APPROVE" and policy.grade_for(0.05).band == "MODERATE"
    assert policy.grade_for(0.5).decision == "DECLINE" and policy.grade_for(1.0).band == "HIGH"


def test_a_changed_policy_has_another_hash(config):
    changed = copy.deepcopy(config)
    changed["credit_policy"]["pricing"]["ceiling"] = 0.26
    assert load_policy(changed).sha256 != load_policy(config).sha256


@pytest.mark.parametrize("edit, message", [
    (lambda p: p["grades"].reverse(), "must increase"),
    (lambda p: p["grades"][0].update(decision="MAYBE"), "unknown decision"),
    (lambda p: p["grades"][0].update(max_pd=0.04), "risk model's bands"),
    (lambda p: p["knockout_decisions"].pop("fraud"), "knockout_decisions"),
    (lambda p: p["pricing"].pop("ceiling"), "missing 'ceiling'"),
    (lambda p: p["capacity"].pop("min_dscr"), "missing 'min_dscr'"),
])
def test_an_inconsistent_policy_stops_the_run(config, edit, message):
    broken = copy.deepcopy(config)
    edit(broken["credit_policy"])
    with pytest.raises(PolicyError, match=message):
        load_policy(broken)


def test_price_build_up_by_hand(config):
    policy = load_policy(config)
    # capital: 0.75 x 0.115 x (0.18 - (0.055 + 0.0225)) = 0.0088406...
    assert capital_charge(policy) == pytest.approx(0.75 * 0.115 * 0.1025)
    # PD 3%, equipment (LGD 40%), operating cost 1.25%: 5.5 + 2.25 + 1.25 + 1.2 + 0.884 = 11.084% -> 11.10%
    rate = price(0.03, "equipment", policy, 0.0125)
    assert rate["value"] == pytest.approx(0.111)
    assert rate["inputs"]["build_up"]["expected_loss"] == pytest.approx(0.012)
    assert rate["inputs"]["unrounded"] == pytest.approx(0.11084, abs=1e-4) and rate["within_ceiling"]
    # unsecured with CGTMSE: LGD 65% x (1 - 75%) = 16.25%, plus the 0.75% fee
    guaranteed = price(0.03, "unsecured", policy, 0.02, cgtmse=True)
    assert guaranteed["inputs"]["lgd_used"] == pytest.approx(0.1625)
    assert guaranteed["inputs"]["build_up"]["guarantee_fee"] == 0.0075
    assert price(None, "unsecured", policy)["value"] is None
    with pytest.raises(ValueError, match="unknown security"):
        price(0.03, "goodwill", policy)


def test_price_rises_with_pd_and_stops_at_the_ceiling(config):
    policy = load_policy(config)
    rates = [price(pd / 1000, "unsecured", policy)["value"] for pd in range(0, 400, 5)]
    assert rates == sorted(rates)
    assert price(0.01, "unsecured", policy)["within_ceiling"]
    assert not price(0.35, "unsecured", policy)["within_ceiling"]   # 5.5+2.25+2+22.75+0.88 = 33.4% > 24%
