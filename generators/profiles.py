"""The eight borrower profiles, as data.

A profile is one frozen :class:`Profile`; the plan reads its fields and never
branches on the profile's name, so a new profile is a new ``replace(...)`` here
and nothing else. Ranges are ``(low, high)`` drawn once per customer.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

FLAT = (1.0,) * 12  # seasonality by calendar month, January first


@dataclass(frozen=True)
class Profile:
    """Every knob that shapes one borrower's data."""

    name: str
    # sales: true monthly taxable sales at the start of the window, trend over the window, shape, noise
    sales_start: tuple[float, float] = (900_000.0, 1_500_000.0)
    growth_total: float = 1.25            # trend of the last month relative to the first
    seasonality: tuple[float, ...] = (1.0, 0.95, 1.05, 0.95, 0.95, 0.9, 0.9, 0.95, 1.0, 1.15, 1.2, 1.05)
    noise: float = 0.08                   # sigma of monthly log-noise
    # channel mix of sales (B2B invoiced, UPI, cash, ONDC) and how transactions are spread over flows
    mix: tuple[float, float, float, float] = (0.35, 0.38, 0.15, 0.12)
    count_weights: tuple[float, ...] = (0.03, 0.08, 0.55, 0.04, 0.08, 0.22)  # b2b, ondc, upi, cash, supplier, misc
    cash_deposited: float = 0.8           # share of cash sales that reaches the bank
    buyers: tuple[int, int] = (8, 14)
    anchor_share: float = 0.25            # share of B2B value bought by the largest buyer
    contract_invoices: bool = False       # one fixed invoice per buyer per month (retainers)
    payment_terms: tuple[int, int] = (15, 45)
    cheque_share: float = 0.1             # share of B2B collections paid by cheque
    suppliers: tuple[int, int] = (6, 12)
    cost_ratio: float = 0.72              # purchases / sales
    employees: tuple[int, int] = (5, 9)
    salary: tuple[float, float] = (14_000.0, 32_000.0)
    rent: tuple[float, float] = (25_000.0, 60_000.0)
    # bank account and debt
    facility: str = "NONE"                # NONE | OD | CC
    limit_months: float = 1.0             # OD/CC limit in months of sales
    spend_down_to: float = 0.0            # CC utilisation the business spends down to (0 = off)
    debt_load: float = 0.08               # EMIs of bank-debited loans / monthly business credits
    term_loans: tuple[int, int] = (1, 2)
    emi_bounces: tuple[int, int] = (0, 0)
    cheque_bounces: tuple[int, int] = (0, 1)
    credit_cards: tuple[int, int] = (1, 1)
    card_utilisation: tuple[float, float] = (0.2, 0.45)
    external_dpd: float = 0.0             # chance a month of an outside loan shows DPD
    closed_loans: tuple[int, int] = (1, 2)
    # GST behaviour
    gst_late_prob: float = 0.1
    gst_late_days: tuple[int, int] = (1, 12)
    itc_ratio: tuple[float, float] = (0.62, 0.82)
    itc_high_share: float = 0.0           # share of months with ITC >= 96% of output tax
    itc_excess: float = 0.0               # share of filed months whose GSTR-3B claims ITC 15-60% above GSTR-2B
                                          # (fraud; now and then a fast grower or a margin-squeezed supplier)
    b2c_declared: tuple[float, float] = (0.8, 0.95)
    fake_invoice_ratio: float = 0.0       # fictitious B2B sales / true sales
    # fraud switches
    circular_pairs: tuple[int, int] = (0, 0)
    round_cash: int = 0
    duplicate_ids: int = 0
    related_credits: tuple[int, int] = (0, 0)     # credits from declared related parties
    multi_hop_chains: tuple[int, int] = (0, 0)    # round trips through two or three shell parties
    self_upi_credits: tuple[int, int] = (1, 3)    # owner's own UPI top-ups under a variant of the name
    stacked_loans: tuple[int, int] = (0, 0)       # lenders whose new loans land within 90 days (stacking)
    # window dressing planted (generators.bank_dressing): large credit withdrawn, cash before EMI, credits bunched
    window_dressing: tuple[int, int, int] = (0, 0, 0)
    # bureau and credit appetite
    score: tuple[int, int] = (705, 790)
    enquiries_recent: tuple[int, int] = (0, 1)   # last 90 days
    enquiries_older: tuple[int, int] = (1, 4)    # earlier in the window
    ocen_apps: tuple[int, int] = (1, 2)
    ocen_reject_share: float = 0.2
    reject_reasons: tuple[str, ...] = ("LOW_CREDIT_SCORE", "POLICY_NORMS")
    ocen_disburse_share: float = 0.6
    # savings and protection
    mf_schemes: tuple[int, int] = (1, 3)
    sip_share: float = 0.7                # chance a scheme has a running SIP
    sip_stop_share: float = 0.0           # chance a running SIP stops mid-window
    mf_lien: bool = False
    mf_sell: bool = False
    policies: tuple[int, int] = (2, 3)
    lapse_share: float = 0.0
    ondc_start: tuple[int, int] = (0, 6)  # month index where ONDC selling starts
    default_tpm: int = 60


BASELINE = Profile(name="baseline", facility="OD", limit_months=0.6, default_tpm=470, window_dressing=(1, 0, 0))

PROFILES: dict[str, Profile] = {
    "baseline": BASELINE,
    "high_seasonality": replace(
        BASELINE, name="high_seasonality", sales_start=(500_000.0, 900_000.0), growth_total=1.1, noise=0.07,
        seasonality=(1.1, 0.95, 1.0, 0.95, 0.9, 0.85, 0.9, 0.95, 1.1, 3.2, 3.8, 3.0), mix=(0.3, 0.4, 0.15, 0.15),
        count_weights=(0.12, 0.12, 0.32, 0.06, 0.2, 0.18), facility="CC", limit_months=1.5, default_tpm=60,
        employees=(3, 6), window_dressing=(0, 1, 0),
    ),
    "high_debt": replace(
        BASELINE, name="high_debt", sales_start=(800_000.0, 1_200_000.0), growth_total=0.97, seasonality=FLAT,
        noise=0.03, mix=(0.15, 0.5, 0.25, 0.10), count_weights=(0.1, 0.08, 0.38, 0.12, 0.14, 0.18),
        facility="CC", limit_months=2.5, spend_down_to=0.97, debt_load=0.66, term_loans=(3, 4), emi_bounces=(3, 5),
        cheque_bounces=(0, 0), credit_cards=(2, 2), card_utilisation=(0.9, 0.98), external_dpd=0.12,
        gst_late_prob=0.3, gst_late_days=(3, 25), itc_ratio=(0.78, 0.9), score=(560, 650),
        enquiries_recent=(6, 9), enquiries_older=(8, 12), ocen_apps=(4, 6), ocen_reject_share=0.6,
        reject_reasons=("LOW_CREDIT_SCORE", "INSUFFICIENT_CASHFLOW", "POLICY_NORMS"), ocen_disburse_share=1.0,
        mf_schemes=(1, 2), mf_lien=True, lapse_share=0.5, employees=(2, 4), rent=(20_000.0, 35_000.0),
        default_tpm=55, related_credits=(2, 4), stacked_loans=(3, 3), window_dressing=(2, 4, 2),
    ),
    "high_growth": replace(
        BASELINE, name="high_growth", sales_start=(250_000.0, 450_000.0), growth_total=7.5, noise=0.08,
        mix=(0.4, 0.3, 0.08, 0.22), count_weights=(0.12, 0.2, 0.28, 0.03, 0.2, 0.17), employees=(3, 5),
        facility="OD", limit_months=0.8, debt_load=0.05, score=(720, 800), ocen_apps=(2, 4),
        ocen_reject_share=0.1, ondc_start=(0, 2), itc_excess=0.05, default_tpm=70, window_dressing=(1, 0, 1),
    ),
    "stable_income": replace(
        BASELINE, name="stable_income", sales_start=(400_000.0, 650_000.0), growth_total=1.0, seasonality=FLAT,
        noise=0.02, mix=(0.72, 0.2, 0.04, 0.04), count_weights=(0.12, 0.05, 0.3, 0.03, 0.22, 0.28),
        buyers=(3, 4), anchor_share=0.4, contract_invoices=True, payment_terms=(7, 14), cheque_share=0.0,
        cheque_bounces=(0, 0), facility="NONE", employees=(3, 6), score=(760, 830), debt_load=0.06,
        gst_late_prob=0.02, default_tpm=45, window_dressing=(0, 0, 0),
    ),
    "fraud": replace(
        BASELINE, name="fraud", sales_start=(500_000.0, 800_000.0), growth_total=1.05, noise=0.1,
        mix=(0.35, 0.35, 0.25, 0.05), count_weights=(0.1, 0.04, 0.4, 0.1, 0.16, 0.2), facility="OD",
        limit_months=0.5, gst_late_prob=0.55, gst_late_days=(5, 55), itc_ratio=(0.86, 0.93), itc_high_share=0.8,
        itc_excess=0.45,
        b2c_declared=(0.95, 1.0), fake_invoice_ratio=1.7, circular_pairs=(9, 13), round_cash=5, duplicate_ids=2,
        cheque_bounces=(1, 2), score=(640, 720), enquiries_recent=(2, 4), enquiries_older=(4, 8), ocen_apps=(2, 4),
        ocen_reject_share=0.7, reject_reasons=("FRAUD", "DOC_IRREGULARITIES", "AA_FAILED"), mf_schemes=(1, 1),
        sip_share=0.0, policies=(1, 2), default_tpm=80, related_credits=(4, 6), multi_hop_chains=(3, 5),
        self_upi_credits=(3, 6), stacked_loans=(3, 4), window_dressing=(3, 3, 3),
    ),
    "declining": replace(
        BASELINE, name="declining", sales_start=(1_500_000.0, 2_400_000.0), growth_total=0.14, noise=0.08,
        mix=(0.45, 0.3, 0.15, 0.1), count_weights=(0.12, 0.08, 0.32, 0.06, 0.22, 0.2), facility="OD",
        limit_months=0.5, debt_load=0.12, term_loans=(2, 2), emi_bounces=(2, 4), cheque_bounces=(1, 3),
        external_dpd=0.08, gst_late_prob=0.3, gst_late_days=(2, 30), score=(600, 690), enquiries_recent=(5, 8),
        enquiries_older=(3, 6), ocen_apps=(3, 5), ocen_reject_share=0.8,
        reject_reasons=("INSUFFICIENT_CASHFLOW", "LOW_CREDIT_SCORE"), sip_stop_share=1.0, mf_sell=True,
        lapse_share=0.6, employees=(8, 12), default_tpm=60, related_credits=(2, 3), multi_hop_chains=(1, 2),
        window_dressing=(2, 2, 2),
    ),
    "customer_concentration": replace(
        BASELINE, name="customer_concentration", sales_start=(800_000.0, 1_400_000.0), growth_total=1.1,
        noise=0.07, mix=(0.86, 0.08, 0.02, 0.04), count_weights=(0.28, 0.06, 0.2, 0.02, 0.26, 0.18),
        buyers=(4, 6), anchor_share=0.8, payment_terms=(30, 45), cheque_share=0.0, facility="CC",
        limit_months=0.8, employees=(4, 7), itc_excess=0.06, default_tpm=40, window_dressing=(0, 0, 1),
    ),
}
PROFILE_NAMES: tuple[str, ...] = tuple(PROFILES)

# The fraud profile's three planted mechanisms, each as the profile fields that plant it. A training
# portfolio lays one or more of them over an honest profile (:func:`with_fraud`), so fraud is seen apart from
# financial weakness; the demo customers are never changed by it.
FRAUD_MECHANISMS: dict[str, dict] = {
    "fake_invoices": {"fake_invoice_ratio": PROFILES["fraud"].fake_invoice_ratio},
    "itc_excess": {"itc_high_share": PROFILES["fraud"].itc_high_share, "itc_excess": PROFILES["fraud"].itc_excess},
    "circular_flows": {"circular_pairs": PROFILES["fraud"].circular_pairs},
}


def with_fraud(profile: Profile, mechanisms) -> Profile:
    """``profile`` with the named fraud mechanisms planted as the fraud profile plants them (same name)."""
    fields: dict = {}
    for name in mechanisms:
        fields.update(FRAUD_MECHANISMS[name])
    return replace(profile, **fields)


def fraud_mechanisms(profile: Profile) -> tuple[str, ...]:
    """Which of :data:`FRAUD_MECHANISMS` a profile plants (its fields reach the fraud profile's values)."""
    out = []
    if profile.fake_invoice_ratio > 0:
        out.append("fake_invoices")
    if profile.itc_high_share > 0:
        out.append("itc_excess")
    if profile.circular_pairs[1] > 0:
        out.append("circular_flows")
    return tuple(out)


def get_profile(name: str) -> Profile:
    """Return the profile called ``name`` or raise ``ValueError`` listing the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}; known: {', '.join(PROFILE_NAMES)}") from None
