"""Population stability: PSI against a hand-computed figure, the bins of the reference profile, the status."""
import math

import numpy as np
import pandas as pd
import pytest

from analytics.risk.drift import DEFAULTS, attribution_shift, month_drift, psi, status_of, worst
from analytics.risk.reference import bins_of, feature_spec, numeric_labels


def test_psi_matches_a_hand_computed_figure():
    # (0.5-0.25)ln(0.5/0.25) + 0 + (0.25-0.5)ln(0.25/0.5) = 0.25 ln 2 + 0.25 ln 2 = 0.5 ln 2
    assert psi([0.25, 0.25, 0.5], [0.5, 0.25, 0.25]) == pytest.approx(0.5 * math.log(2), abs=1e-12)
    assert psi([0.25, 0.25, 0.5], [0.25, 0.25, 0.5]) == 0.0


def test_an_empty_bin_counts_as_epsilon_instead_of_dividing_by_zero():
    # bin 2 is empty in the month: (1e-4 - 0.5) ln(1e-4 / 0.5) + (1 - 0.5) ln(1 / 0.5)
    expected = (1e-4 - 0.5) * math.log(1e-4 / 0.5) + 0.5 * math.log(2)
    assert psi([0.5, 0.5], [1.0, 0.0], epsilon=1e-4) == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError):
        psi([0.5, 0.5], [1.0])


def test_status_follows_the_thresholds():
    settings = {**DEFAULTS, "watch": 0.10, "act": 0.25}
    assert [status_of(v, settings) for v in (0.0, 0.099, 0.10, 0.2499, 0.25, 3.0, None)] == \
        ["stable", "stable", "watch", "watch", "act", "act", "insufficient"]
    assert worst(["stable", "act", "watch"]) == "act" and worst(["insufficient"]) == "insufficient"


def test_numeric_bins_are_the_training_deciles_plus_a_missing_bin():
    values = pd.Series([float(v) for v in range(1, 101)] + [None] * 10)
    spec = feature_spec(values, "numeric")
    assert len(spec["edges"]) == 9 and spec["edges"][0] == pytest.approx(10.9)
    assert spec["labels"][-1] == "missing" and len(spec["proportions"]) == 11
    assert spec["proportions"][-1] == pytest.approx(10 / 110, abs=1e-6)
    assert sum(spec["proportions"]) == pytest.approx(1.0, abs=1e-5)
    assert list(bins_of(spec, [1.0, 10.9, 11.0, 1e9, None])) == [0, 0, 1, 9, 10]
    assert numeric_labels([]) == ["any value", "missing"]


def test_categorical_bins_keep_the_levels_then_other_and_missing():
    spec = feature_spec(pd.Series(["a", "a", "b", None]), "categorical")
    assert spec["labels"] == ["a", "b", "other", "missing"] and spec["proportions"] == [0.5, 0.25, 0.0, 0.25]
    assert list(bins_of(spec, ["b", "zzz", None])) == [1, 2, 3]


def test_a_month_like_the_training_data_is_stable_and_a_shifted_one_is_act():
    rng = np.random.default_rng(0)
    train = rng.normal(size=1000)
    spec = {**feature_spec(pd.Series(train), "numeric"), "importance": 1.0}
    spec["attribution"] = [float(i) for i in range(len(spec["labels"]))]   # points rise with the bin
    reference = {"score": feature_spec(pd.Series(train), "numeric"), "features": {"x": spec}}
    settings = {**DEFAULTS, "min_scored": 30}
    same = month_drift(reference, [{"score": v, "features": {"x": v}} for v in train], settings)
    assert same["score_psi"] == 0.0 and same["status"] == "stable"
    shifted = month_drift(reference, [{"score": v + 1.5, "features": {"x": v + 1.5}} for v in train], settings)
    assert shifted["status"] == "act" and shifted["score_psi"] > 0.25
    driver = shifted["top_drivers"][0]
    assert driver["feature"] == "x" and driver["csi"] > 0.25 and driver["attribution_shift"] > 0
    assert "differ markedly" in shifted["summary"]
    few = month_drift(reference, [{"score": 0.0, "features": {"x": 0.0}}] * 5, settings)
    assert few["status"] == "insufficient" and "Only 5 customers" in few["summary"]


def test_attribution_shift_is_the_share_moved_times_the_points():
    assert attribution_shift([0.5, 0.5], [0.25, 0.75], [-1.0, 2.0]) == pytest.approx(-0.25 * -1.0 + 0.25 * 2.0)
    assert attribution_shift([0.5, 0.5], [0.0, 1.0], [None, 2.0]) == pytest.approx(1.0)
