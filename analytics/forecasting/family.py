"""What every forecasting family (ETS, Theta, ARIMA) offers the combination, and the helpers they share.

A family is fitted to one gap-free series ``y`` (``fit(y)`` returns itself or raises :class:`FamilyFitError`)
and then gives

* ``predict(steps, level)`` -> (point, lower, upper) arrays for the next ``steps`` months;
* ``one_step(y_longer)`` -> one-step-ahead predictions over a longer version of the series with everything
  fitted kept fixed (position ``t`` uses only ``y[:t]``), or None when it cannot run over it;
* ``fitted_`` -> its in-sample one-step predictions on the scale of ``y`` (NaN where undefined);
* ``params()`` and ``describe()`` -> JSON-ready descriptions of what was fitted.
"""
from __future__ import annotations

import math
from typing import Any, Protocol

import numpy as np

# log scale only when every value is > 0 and none below this share of the median: a near-zero month would
# become a huge outlier on the log scale and blow the interval up multiplicatively
LOG_MIN_SHARE_OF_MEDIAN = 0.05


class FamilyFitError(Exception):
    """A family could not be fitted to the series (too short, no convergence)."""


class Family(Protocol):
    """The interface above, for type checkers."""

    name: str
    fitted_: np.ndarray

    def fit(self, y: np.ndarray) -> Family:
        """Fit to the gap-free series ``y``; FamilyFitError when it cannot."""

    def predict(self, steps: int, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Point forecasts and the central ``level`` interval of the next ``steps`` months."""

    def one_step(self, y: np.ndarray) -> np.ndarray | None:
        """Frozen one-step predictions over a longer version of the series fitted."""

    def params(self) -> dict[str, Any]:
        """The fitted parameters, JSON-ready."""

    def describe(self) -> dict[str, Any]:
        """The model chosen and its alternatives, JSON-ready."""


def clean(value: Any) -> float | None:
    """A float rounded to 6 decimals for JSON, None for NaN."""
    value = float(value)
    return None if math.isnan(value) else round(value, 6)


def log_scale_ok(y: np.ndarray) -> bool:
    """Whether a model of ``log(y)`` is safe: every value > 0 and none below 5% of the median."""
    return bool(np.all(y > 0) and y.min() >= LOG_MIN_SHARE_OF_MEDIAN * np.median(y))
