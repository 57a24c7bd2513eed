/** Words for the recommendation document's codes: product status, repayment kinds, rule outcomes. */
import { humanize } from "../../lib/format.js";

const STATUS = { ELIGIBLE: "Eligible", NOT_ELIGIBLE: "Not eligible", NOT_ASSESSED: "Not assessed" };
const STATUS_TONE = { ELIGIBLE: "good", NOT_ELIGIBLE: "danger", NOT_ASSESSED: "warning" };
const STATUS_ORDER = { ELIGIBLE: 0, NOT_ELIGIBLE: 1, NOT_ASSESSED: 2 };

/** The instalment's name depends on how the product is repaid. */
const INSTALMENT = {
  annuity: { label: "EMI", hint: "equal monthly instalment" },
  interest_only: { label: "Monthly interest", hint: "on the full limit; principal rolls over" },
  bullet: { label: "Monthly interest", hint: "principal repaid at maturity" },
};

export const statusLabel = (status) => STATUS[status] || humanize(status);
export const statusTone = (status) => STATUS_TONE[status] || "neutral";
export const instalmentFor = (repayment) => INSTALMENT[repayment?.kind] || { label: "Monthly instalment", hint: repayment?.description };

const RULE = { pass: { mark: "✓", text: "Pass", tone: "good" }, fail: { mark: "✗", text: "Fail", tone: "danger" } };
export const ruleOutcome = (status) => RULE[status] || { mark: "?", text: "Cannot judge", tone: "warning" };

/**
 * Products in display order: as ranked by the API (eligible first), falling back to status then rank
 * when the ranking is missing; products without an id keep their place.
 */
export function orderProducts(doc) {
  const products = (doc?.products || []).filter(Boolean);
  const ranking = Array.isArray(doc?.ranking) ? doc.ranking : [];
  const position = (p) => {
    const i = ranking.indexOf(p.id);
    return i >= 0 ? i : Number.MAX_SAFE_INTEGER;
  };
  return products
    .map((p, index) => ({ p, index }))
    .sort((a, b) => (STATUS_ORDER[a.p.status] ?? 3) - (STATUS_ORDER[b.p.status] ?? 3)
      || position(a.p) - position(b.p)
      || (a.p.rank ?? Number.MAX_SAFE_INTEGER) - (b.p.rank ?? Number.MAX_SAFE_INTEGER)
      || a.index - b.index)
    .map(({ p }) => p);
}

const CAPS = {
  emi_capacity: "EMI capacity", turnover: "Turnover", product_maximum: "Product maximum", abb_recent: "12-month ABB",
  invoice_pool: "Invoice pool", business_outstanding: "Business credit outstanding",
};
/** The name of a sizing cap (`emi_capacity` → "EMI capacity"). */
export const capLabel = (key) => CAPS[key] || humanize(key);
