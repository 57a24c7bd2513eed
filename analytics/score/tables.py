"""The credit score's components, factors, scoring tables, overlays and bands — as data.

Everything a risk team would review and sign off is here and in
``docs/credit_methodology.md``; ``credit_score.py`` only applies it.
Points tables are ``(input value, points)`` pairs, linearly interpolated and
flat beyond the ends.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Factor:
    """One input of the score: where it comes from, how it turns into 0-100 points, how to say it."""

    code: str
    key: str
    document: str            # analytics document publishing the metric, or "derived"
    title: str
    weight: float            # within its component
    points: tuple[tuple[float, float], ...] = ()
    categories: dict[str, float] | None = None
    unit: str = ""
    good: str = ""           # how to say a good value
    bad: str = ""            # how to say a poor value

    def describe(self) -> str:
        """The scoring table in words, for the Calculations view."""
        if self.categories is not None:
            return ", ".join(f"{k} -> {v:g} pts" for k, v in self.categories.items())
        return "; ".join(f"{x:g}{self.unit} -> {p:g} pts" for x, p in self.points) + " (linear in between)"

    def sentence(self, value, points: float) -> str:
        """A plain-words reason code for a loan officer."""
        shown = _show(value, self.unit)
        template = self.good if points >= 50 else self.bad
        return template.format(value=shown)


def _show(value, unit: str) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    if unit == "%":
        return f"{value * 100:.0f}%"
    if unit == "x":
        return f"{value:.2f}x"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{value:,.0f}"


@dataclass(frozen=True)
class Component:
    """A weighted group of factors."""

    id: str
    title: str
    weight: float
    formula: str
    factors: tuple[Factor, ...]


@dataclass(frozen=True)
class Overlay:
    """A policy rule that caps the score whatever the components say."""

    id: str
    document: str
    key: str
    trigger_values: tuple
    cap: int
    reason: str


def interpolate(points: tuple[tuple[float, float], ...], x: float) -> float:
    """Piecewise-linear points for ``x``; flat beyond the first and last pairs."""
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


F = Factor
COMPONENTS: tuple[Component, ...] = (
    Component("bureau_history", "Bureau repayment history", 25, "weighted mean of DPD, 30+ events and bureau score points", (
        F("R01", "worst_dpd_12m", "credit_summary", "Worst DPD in the last 12 months", 0.45,
          ((0, 100), (30, 55), (60, 30), (90, 0)), unit=" days",
          good="No serious delinquency in 12 months (worst DPD {value} days)",
          bad="Delinquency in the last 12 months (worst DPD {value} days)"),
        F("R02", "dpd_30_plus_count", "credit_summary", "30+ DPD events in 24 months", 0.20,
          ((0, 100), (1, 60), (3, 25), (6, 0)),
          good="No 30+ DPD events in 24 months ({value})", bad="{value} months with 30+ DPD in 24 months"),
        F("R03", "bureau_score", "credit_summary", "Bureau score", 0.35,
          ((300, 0), (600, 30), (700, 65), (800, 100)),
          good="Strong bureau score ({value})", bad="Weak bureau score ({value})"),
    )),
    Component("banking_conduct", "Banking conduct and bounces", 15, "weighted mean of bounce, negative-balance and ABB points", (
        F("R04", "inward_bounces", "transaction_summary", "Inward (own) cheque/NACH bounces", 0.5,
          ((0, 100), (1, 70), (3, 35), (6, 0)),
          good="No payment bounces on the account ({value})", bad="{value} payment bounces for insufficient funds"),
        F("R05", "negative_balance_days", "transaction_summary",
          "Days overdrawn (below zero without a facility, beyond the limit or drawing power on OD/CC)", 0.25,
          ((0, 100), (5, 70), (20, 30), (60, 0)), unit=" days",
          good="Account rarely overdrawn ({value} days)", bad="Account overdrawn on {value} days"),
        F("R06", "abb_to_monthly_debits", "derived", "ABB / average monthly debits", 0.25,
          ((0, 0), (0.1, 40), (0.3, 75), (0.5, 100)), unit="x",
          good="Healthy average balance ({value} of monthly spend)", bad="Thin average balance ({value} of monthly spend)"),
    )),
    Component("cashflow", "Cash-flow stability and surplus", 20, "weighted mean of income CV and surplus ratio points", (
        F("R07", "income_cv", "transaction_summary", "Variability of monthly business credits (CV)", 0.5,
          ((0.1, 100), (0.25, 70), (0.5, 30), (1.0, 0)), unit="x",
          good="Stable monthly inflows (CV {value})", bad="Volatile monthly inflows (CV {value})"),
        F("R08", "surplus_ratio", "transaction_summary", "Monthly surplus / business credits", 0.5,
          ((-0.1, 0), (0.0, 25), (0.1, 60), (0.2, 85), (0.3, 100)), unit="%",
          good="Comfortable monthly surplus ({value} of inflows)", bad="Little or no monthly surplus ({value} of inflows)"),
    )),
    Component("leverage", "Leverage and obligations (FOIR)", 15, "weighted mean of FOIR, DSCR, utilisation and enquiry points", (
        F("R09", "foir", "transaction_summary", "FOIR (EMIs / monthly business credits)", 0.4,
          ((0.2, 100), (0.4, 70), (0.5, 45), (0.65, 15), (0.8, 0)), unit="%",
          good="Low fixed obligations (FOIR {value})", bad="High fixed obligations (FOIR {value})"),
        F("R10", "dscr", "transaction_summary", "Debt service coverage", 0.25,
          ((0.8, 0), (1.0, 25), (1.25, 60), (1.75, 85), (2.5, 100)), unit="x",
          good="Cash flow covers debt service ({value})", bad="Cash flow barely covers debt service ({value})"),
        F("R11", "revolving_utilisation", "credit_summary", "Revolving credit utilisation", 0.2,
          ((0.3, 100), (0.5, 70), (0.8, 25), (1.0, 0)), unit="%",
          good="Revolving limits lightly used ({value})", bad="Revolving limits heavily used ({value})"),
        F("R12", "enquiries_3m", "credit_summary", "Credit enquiries in 3 months", 0.15,
          ((0, 100), (2, 70), (4, 35), (8, 0)),
          good="Few recent credit enquiries ({value})", bad="Credit-hungry: {value} enquiries in 3 months"),
    )),
    Component("gst", "GST compliance and turnover trend", 15, "weighted mean of punctuality, growth and fraud-indicator points", (
        F("R13", "filing_punctuality", "gst_summary", "GSTR-3B filed on time", 0.4,
          ((0.5, 0), (0.75, 40), (0.9, 75), (1.0, 100)), unit="%",
          good="GST returns filed on time ({value})", bad="GST returns often filed late (on time {value})"),
        F("R14", "yoy_growth", "gst_summary", "GST turnover growth, year on year", 0.4,
          ((-0.5, 0), (-0.2, 25), (0.0, 60), (0.15, 85), (0.3, 100)), unit="%",
          good="GST turnover holding up ({value} YoY)", bad="GST turnover shrinking ({value} YoY)"),
        F("R15", "gst_fraud_severity", "derived", "GST fraud indicators", 0.2,
          categories={"NONE": 100.0, "LOW": 70.0, "MEDIUM": 35.0, "HIGH": 0.0},
          good="No material GST red flags ({value})", bad="GST red flags of {value} severity"),
    )),
    Component("vintage_growth", "Business vintage and growth", 10, "weighted mean of vintage and growth points", (
        F("R16", "vintage_months", "derived", "Business vintage", 0.5,
          ((6, 0), (24, 40), (60, 80), (120, 100)), unit=" months",
          good="Established business ({value} months)", bad="Young business ({value} months)"),
        F("R17", "business_credit_growth", "derived", "Bank business credits growth, year on year", 0.5,
          ((-0.4, 0), (-0.1, 30), (0.0, 55), (0.2, 85), (0.5, 100)), unit="%",
          good="Bank inflows holding up ({value} YoY)", bad="Bank inflows falling ({value} YoY)"),
    )),
)

OVERLAYS: tuple[Overlay, ...] = (
    Overlay("O1_GST_FRAUD", "gst_summary", "fraud_indicators.severity", ("HIGH",), 549,
            "HIGH-severity GST fraud indicators: score capped at 549 (band E) pending investigation"),
    Overlay("O2_WRITTEN_OFF", "credit_summary", "written_off", (True,), 599,
            "A written-off account in the bureau: score capped at 599"),
    Overlay("O3_SUIT_FILED", "credit_summary", "suit_filed", (True,), 599,
            "A suit-filed account in the bureau: score capped at 599"),
    Overlay("O4_LOAN_STACKING", "signals", "loan_stacking", (True,), 649,
            "Loan stacking (3+ lenders' new loans within 90 days): score capped at 649 (band D) until the new "
            "obligations are verified"),
    Overlay("O5_ROUND_TRIPPING", "signals", "round_tripping", (True,), 599,
            "Round-tripped or related-party money counted as sales: score capped at 599 pending verification of "
            "turnover"),
)

BANDS: list[dict] = [
    {"code": "A", "label": "Low risk", "min": 750, "max": 900},
    {"code": "B", "label": "Moderate-low risk", "min": 700, "max": 749},
    {"code": "C", "label": "Moderate risk", "min": 650, "max": 699},
    {"code": "D", "label": "Elevated risk", "min": 600, "max": 649},
    {"code": "E", "label": "High risk", "min": 300, "max": 599},
]


def band_for(score: int) -> dict:
    """The band a score falls in."""
    for band in BANDS:
        if band["min"] <= score <= band["max"]:
            return band
    return BANDS[-1]
