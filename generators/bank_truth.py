"""The taxonomy leaf each generated statement line truly belongs to (``truth.categories_leaf``).

The generator knows why it wrote a line (its coarse category, the merchant, biller, insurer or lender
behind it); this module turns that into the leaf of ``analytics/bank/taxonomy.json`` a careful analyst
would give the line, so ``python -m bench quality`` can score the categoriser on every demo customer.
Lines whose right leaf is a judgement call the generator cannot make (the planted anomalies) get no
truth and are not scored.
"""
from __future__ import annotations

from . import names

_MERCHANT_LEAF = {
    "SWIGGY": "food_delivery", "ZOMATO": "food_delivery", "BLINKIT": "food_delivery", "ZEPTO": "food_delivery",
    "BIGBASKET": "ecommerce_purchase", "TEA STALL": "restaurant_dining", "AMAZON PAY": "ecommerce_purchase", "FLIPKART": "ecommerce_purchase",
    "INDIAN OIL": "fuel", "HP PETROL PUMP": "fuel", "BHARAT PETROLEUM": "fuel", "UBER INDIA": "travel",
    "OLA CABS": "travel", "IRCTC": "travel", "APOLLO PHARMACY": "medical_healthcare", "DELHIVERY": "freight_logistics",
    "PORTER": "freight_logistics",
}
_LIFE = set(names.INSURERS_LIFE)
_HEALTH = set(names.INSURERS_HEALTH)
_FINTECH = {lender for _, lender in names.OCEN_LENDERS}
_FIXED = {
    "upi_sales": "upi_p2p_received", "ondc_settlement": "ondc_settlement", "emi_bounce_charge": "bounce_charge",
    "bounce_charge": "bounce_charge", "rent": "rent_paid", "gst_payment": "gst_payment", "sip": "mutual_fund_sip",
    "mf_purchase": "mutual_fund_sip", "mf_redemption": "mutual_fund_redemption", "atm_withdrawal": "atm_withdrawal",
    "self_transfer_out": "self_transfer_out", "self_transfer_in": "self_transfer_in", "refund": "merchant_refund",
    "reversal": "upi_reversal", "hop_in": "neft_rtgs_b2b_receipt", "hop_out": "neft_rtgs_supplier_payment",
    "self_upi_credit": "self_transfer_in", "od_interest": "interest_paid_od_cc", "circular_in": "neft_rtgs_b2b_receipt", "circular_out": "neft_rtgs_supplier_payment",
}


def _lender_kind(lender: str) -> str:
    if lender == "SIDBI" or "BANK" in lender:   # SIDBI lends on OCEN but is a development bank
        return "bank"
    return "fintech" if lender in _FINTECH else "nbfc"


# each merchant with the shorter forms a narration may carry: its first 8 characters, its first 14 without spaces
# (the whole name needs no test of its own: where it is, its first 8 characters are)
_MERCHANT_FORMS = tuple((merchant, merchant[:8], merchant.replace(" ", "")[:14]) for merchant, _ in names.MERCHANTS)


def _merchant(text: str) -> str | None:
    upper = text.upper()
    squashed = upper.replace(" ", "")
    for merchant, head, squashed_head in _MERCHANT_FORMS:
        if head in upper or squashed_head in squashed:
            return merchant
    return None


def leaf_of(cat: str, sign: int, mode: str, text: str, lenders: dict[str, str]) -> str | None:
    """The true leaf of one generated line, or None when the generator cannot say (not scored).

    ``lenders`` maps each lender name that appears in the statement to ``bank``/``nbfc``/``fintech``.
    """
    if cat in _FIXED:
        return _FIXED[cat]
    upper = text.upper()
    if cat == "related_credit":   # a group concern reads as a business, a relative as a person
        return "neft_rtgs_b2b_receipt" if any(w in upper for w in ("ENTERPRISES", "TRADERS", "AGENCIES", "INDUSTRIES")) \
            else "bank_transfer_p2p_received"
    if cat == "b2b_collection":
        return "cheque_deposit" if mode == "OTHERS" else "neft_rtgs_b2b_receipt"
    if cat == "bounce":
        return "cheque_return_outward"
    if cat == "cash_deposit":
        return "cdm_cash_deposit" if ("CDM" in upper or "BNA" in upper) else "branch_cash_deposit"
    if cat in ("loan_disbursal", "emi"):
        kind = next((k for name, k in lenders.items() if name in upper or name[:12] in upper), "nbfc")
        return f"{kind}_loan_disbursal" if cat == "loan_disbursal" else f"{kind}_loan_emi"
    if cat == "salary":
        return "salary_paid"   # one line per employee, never one bulk upload
    if cat == "utilities":
        if any(b in upper for b in names.BROADBAND):
            return "internet_broadband"
        if any(t in upper for t in names.TELECOM):
            return "telecom_bill"
        return "electricity_bill"
    if cat == "bank_charges":
        if "SMS" in upper:
            return "sms_alert_charge"
        return "debit_card_fee" if "CARD" in upper else "account_maintenance_charge"
    if cat == "interest":
        return "interest_received" if sign > 0 else "interest_paid_od_cc"
    if cat == "insurance_premium":
        insurer = next((i for i in names.INSURERS_LIFE + names.INSURERS_HEALTH + names.INSURERS_GENERAL
                        if i in upper or i[:10] in upper), "")
        return "life_insurance_premium" if insurer in _LIFE else (
            "health_insurance_premium" if insurer in _HEALTH else "general_insurance_premium")
    if cat == "supplier_payment":
        if mode == "UPI":
            return "upi_merchant_paid"
        return "cheque_paid_supplier" if mode == "OTHERS" else "neft_rtgs_supplier_payment"
    if cat == "misc_expense":
        merchant = _merchant(text)
        if merchant in _MERCHANT_LEAF:
            return _MERCHANT_LEAF[merchant]
        return "pos_purchase" if mode == "CARD" else "upi_merchant_paid"
    return None


def lender_kinds(loans) -> dict[str, str]:
    """``{lender name: bank | nbfc | fintech}`` for the loans the statement shows."""
    return {loan.lender: _lender_kind(loan.lender) for loan in loans}
