"""The ARIMA family: a small order search of (seasonal) ARIMA models fitted by conditional least squares.

On ``z = log(y)`` when every value is > 0 (and none below 5% of the median; a multiplicative model of ``y``),
else on ``z = y``. Differencing as ``forecast::auto.arima`` decides it (Hyndman & Khandakar 2008): seasonally
(``D = 1``, lag ``m``) when the series is seasonal (:func:`.seasonality.is_seasonal`), then once more (``d = 1``)
when the KPSS test rejects level-stationarity of the result at 5%. Candidates, as
``phi(B) (w_t - mu) = theta(B) Theta(B^m) e_t`` on the differenced ``w``:

* ``d = 1``: ``(0,1,1)``, ``(1,1,0)``, ``(1,1,1)``; without a season the first also with a drift ``mu`` and
  the last with one only; with a season (``(0,1,1)_m`` on all), no drift — the "airline" model (Box &
  Jenkins 1970) and its two neighbours;
* ``d = 0``: ``(1,0,0)``, ``(2,0,0)``, ``(1,0,1)`` with a constant ``mu`` (the mean, or with a season the
  yearly drift), the seasonal ones again with ``(0,1,1)_m``.

Each is fitted by conditional sum of squares (CSS: pre-sample errors set to 0, the first ``p`` residuals left
out; Box & Jenkins' estimator, R ``arima(method = "CSS")``). The AR part is parametrised by its partial
autocorrelations and every coefficient kept within (-0.98, 0.98), so each factor is stationary and
invertible. The lowest AICc wins (``n_eff * log(2 pi SSE / n_eff) + n_eff + 2k + 2k(k+1)/(n_eff-k-1)``, ``k`` =
coefficients + mu + sigma^2; the candidates share their differencing, so their likelihoods compare). Why CSS
and not statsmodels' exact Kalman-filter likelihood: one residual pass is a single ``scipy.signal.lfilter``
call, so a fit takes milliseconds instead of ~30 ms (a cash-flow forecast fits this family a dozen times);
forecasts agree closely (tests/analytics/forecasting/test_families.py).

Forecasts: the ARMA recursion with future errors 0, integrated back with the actual past values. Interval:
``var_h = sigma^2 * sum_{j<h} psi_j^2``, ``psi`` the weights of ``theta(B) Theta(B^m) / (phi(B) (1-B)^d
(1-B^m)^D)``; a log model's bounds are exponentiated and its point forecast is the back-transformed median.
The first ``d + D m`` in-sample predictions do not exist (differencing) and are NaN in ``fitted_``.
"""
from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
from scipy.optimize import minimize
from scipy.signal import lfilter
from scipy.stats import norm

from analytics.forecasting.family import FamilyFitError, clean

# (p, q, with mu) per differencing order d, then whether a season is present
CANDIDATES = {(1, True): ((0, 1, False), (1, 0, False), (1, 1, False)),
              (1, False): ((0, 1, False), (0, 1, True), (1, 1, True)),
              (0, True): ((1, 0, True), (2, 0, True), (1, 1, True)),
              (0, False): ((1, 0, True), (2, 0, True), (1, 1, True))}
BOUND = 0.98
MIN_DIFFERENCED = 8  # differenced points a fit needs
KPSS_LEVEL = 0.05


def _aicc(sse: float, n: int, k: int) -> float:
    if n - k - 1 <= 0 or sse <= 0:
        return math.inf
    return n * math.log(2 * math.pi * sse / n) + n + 2 * k + 2 * k * (k + 1) / (n - k - 1)


def needs_difference(w: np.ndarray) -> bool:
    """KPSS test of level-stationarity (statsmodels ``kpss``, automatic lags): True when rejected at 5%."""
    from statsmodels.tsa.stattools import kpss

    if len(w) < 8 or np.ptp(w) == 0:
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the p-value is interpolated in a table, and says so when clipped
        return bool(kpss(w, regression="c", nlags="auto")[1] < KPSS_LEVEL)


class _Spec:
    """One candidate order: how a parameter vector maps to the AR and MA polynomials and the constant."""

    def __init__(self, p: int, d: int, q: int, mu: bool, seasonal: bool, m: int):
        self.p, self.d, self.q, self.mu, self.seasonal, self.m = p, d, q, mu, seasonal, m
        self.key = f"({p}, {d}, {q}){'+mu' if mu else ''}"
        self.names = ([f"ar.L{i}" for i in range(1, p + 1)] + ["ma.L1"] * q + [f"ma.S.L{m}"] * seasonal
                      + (["drift" if d + seasonal else "mean"] if mu else []))

    def ar_coefficients(self, params: np.ndarray) -> list[float]:
        """phi_1..phi_p from the partial autocorrelations (stationary whenever each is within (-1, 1))."""
        if self.p == 2:
            r1, r2 = params[0], params[1]
            return [r1 * (1 - r2), r2]
        return [float(params[0])] if self.p == 1 else []

    def polys(self, params: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """The AR polynomial ``phi(B)``, the MA polynomial ``theta(B) Theta(B^m)`` and the constant ``mu``."""
        ar = np.r_[1.0, -np.asarray(self.ar_coefficients(params))]
        i = self.p
        ma = np.array([1.0, params[i]]) if self.q else np.array([1.0])
        i += self.q
        if self.seasonal:
            seasonal_ma = np.zeros(self.m + 1)
            seasonal_ma[0], seasonal_ma[self.m] = 1.0, params[i]
            ma = np.convolve(ma, seasonal_ma)
            i += 1
        return ar, ma, float(params[i]) if self.mu else 0.0

    def bounds(self) -> list[tuple[float | None, float | None]]:
        """Each coefficient (partial autocorrelation or MA) within +-0.98; the constant free."""
        return [(-BOUND, BOUND)] * (len(self.names) - self.mu) + [(None, None)] * self.mu

    def shown(self, params: np.ndarray) -> list[float]:
        """The parameters as reported: AR coefficients instead of partial autocorrelations."""
        return self.ar_coefficients(params) + list(params[self.p:])


class ArimaFamily:
    """The AICc-best of a few ARIMA orders: ``fit(y)``, then ``predict`` / ``one_step``."""

    name = "ARIMA"

    def __init__(self, season_length: int, seasonal: bool, positive: bool, start: dict | None = None,
                 d: int | None = None):
        self.season_length, self.seasonal, self.positive = season_length, seasonal, positive
        self.start, self.d = start or {}, d  # d: None = decided by the KPSS test

    def _delta(self, d: int) -> np.ndarray:
        """The differencing polynomial ``(1 - B)^d (1 - B^m)^D``."""
        delta = np.array([1.0, -1.0]) if d else np.array([1.0])
        if self.seasonal:
            seasonal_diff = np.zeros(self.season_length + 1)
            seasonal_diff[0], seasonal_diff[-1] = 1.0, -1.0
            delta = np.convolve(delta, seasonal_diff)
        return delta

    def _difference(self, z: np.ndarray, d: int) -> np.ndarray:
        delta = self._delta(d)
        return np.convolve(z, delta, mode="valid")  # w_t = sum_i delta_i z_(t-i), t >= len(delta) - 1

    def _residuals(self, spec: _Spec, params: np.ndarray, w: np.ndarray) -> np.ndarray:
        ar, ma, mu = spec.polys(params)
        return lfilter(ar, ma, w - mu)

    def fit(self, y: np.ndarray) -> ArimaFamily:
        """Choose the differencing, fit each candidate order by CSS, keep the lowest AICc; FamilyFitError when
        none fits."""
        self.log_ = self.positive
        z = np.log(y) if self.log_ else np.asarray(y, dtype=float)
        d = int(needs_difference(self._difference(z, 0))) if self.d is None else self.d
        w = self._difference(z, d)
        if len(w) < MIN_DIFFERENCED:
            raise FamilyFitError(f"ARIMA needs {MIN_DIFFERENCED + len(self._delta(d)) - 1} points here, got {len(y)}")
        scale = float(np.std(w)) or 1.0
        self.candidates_, self.start_params_, best = [], {}, None
        for p, q, mu in CANDIDATES[(d, self.seasonal)]:
            spec = _Spec(p, d, q, mu, self.seasonal, self.season_length)
            x0 = self.start.get(spec.key)
            if x0 is None:
                x0 = np.r_[np.full(len(spec.names) - mu, 0.1), [float(np.mean(w))] * mu]
            ws = w / scale  # a well-scaled optimisation; the constant is rescaled below

            def sse(params: np.ndarray, spec: _Spec = spec, ws: np.ndarray = ws) -> float:
                """The CSS objective on the rescaled series."""
                e = self._residuals(spec, params, ws)[spec.p:]
                return float(e @ e)

            x0 = np.r_[x0[:len(x0) - mu], np.asarray(x0[len(x0) - mu:]) / scale]
            res = minimize(sse, x0, method="L-BFGS-B", bounds=spec.bounds())
            if not np.all(np.isfinite(res.x)):
                continue
            params = np.r_[res.x[:len(res.x) - mu], res.x[len(res.x) - mu:] * scale]
            e = self._residuals(spec, params, w)[spec.p:]
            n_eff, total = len(e), float(e @ e)
            aicc = _aicc(total, n_eff, len(params) + 1)
            self.start_params_[spec.key] = params
            self.candidates_.append({"order": spec.key, "aicc": clean(aicc) if math.isfinite(aicc) else None})
            if math.isfinite(aicc) and (best is None or aicc < best[0]):
                best = (aicc, spec, params, total / n_eff)
        if best is None:
            raise FamilyFitError("no ARIMA order could be fitted")
        self.aicc_, self.spec_, self.params_, self.sigma2_ = best
        self.z_ = z
        self.fitted_ = self.one_step(y)
        return self

    @property
    def burn_(self) -> int:
        """Leading positions without a differenced value: ``d + D m``."""
        return len(self._delta(self.spec_.d)) - 1

    def predict(self, steps: int, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Point forecast and the central ``level`` interval for the next ``steps`` months."""
        spec = self.spec_
        ar, ma, mu = spec.polys(self.params_)
        w = self._difference(self.z_, spec.d) - mu
        pad = [0.0] * max(len(ma), len(ar))  # pre-sample values and errors are 0, as in the fit
        x, e = pad + list(w), pad + list(lfilter(ar, ma, w))
        for _ in range(steps):  # ARMA recursion, future errors 0
            nxt = -sum(ar[i] * x[-i] for i in range(1, len(ar))) + sum(ma[j] * e[-j] for j in range(1, len(ma)))
            x.append(nxt)
            e.append(0.0)
        w_hat = np.asarray(x[-steps:]) + mu
        delta = self._delta(spec.d)
        z = list(self.z_)
        for k in range(steps):  # undo the differencing with the actual (then forecast) past values
            z.append(w_hat[k] - sum(delta[i] * z[-i] for i in range(1, len(delta))))
        point = np.asarray(z[-steps:])
        impulse = np.zeros(steps)
        impulse[0] = 1.0
        psi = lfilter(ma, np.convolve(ar, delta), impulse)
        half = norm.ppf(0.5 + level / 2) * np.sqrt(self.sigma2_ * np.cumsum(psi ** 2))
        out = (point, point - half, point + half)
        return tuple(np.exp(v) for v in out) if self.log_ else out

    def one_step(self, y: np.ndarray) -> np.ndarray | None:
        """Frozen one-step predictions over ``y`` (a longer version of the series fitted): the residuals of
        the fitted model, then ``prediction = actual - residual``; None when a log model meets a value <= 0."""
        if self.log_ and np.any(np.asarray(y) <= 0):
            return None
        z = np.log(y) if self.log_ else np.asarray(y, dtype=float)
        e = self._residuals(self.spec_, self.params_, self._difference(z, self.spec_.d))
        pred = np.full(len(z), np.nan)
        pred[self.burn_:] = z[self.burn_:] - e
        return np.exp(pred) if self.log_ else pred

    def params(self) -> dict[str, Any]:
        """The chosen order and its coefficients (AR, MA, seasonal MA, drift or mean), sigma^2 of the errors."""
        return {"model": self.describe()["model"],
                **{n: clean(v) for n, v in zip(self.spec_.names, self.spec_.shown(self.params_))},
                "sigma2": clean(self.sigma2_), "scale": "log(y)" if self.log_ else "y"}

    def describe(self) -> dict[str, Any]:
        """The chosen order and every candidate's AICc."""
        spec = self.spec_
        season = f"(0,1,1)_{self.season_length}" if self.seasonal else ""
        constant = (" with drift" if spec.d + self.seasonal else " with mean") if spec.mu else ""
        name = f"ARIMA({spec.p},{spec.d},{spec.q}){season}{constant}{' on log(y)' if self.log_ else ''}"
        return {"model": name, "seasonal": "seasonal MA, seasonal difference" if self.seasonal else None,
                "season_length": self.season_length if self.seasonal else None, "differences": spec.d,
                "transform": "log" if self.log_ else None, "estimation": "conditional sum of squares",
                "selection": "d by the KPSS test (5%), then the lowest AICc among the candidate orders",
                "candidates": self.candidates_}
