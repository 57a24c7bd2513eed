/**
 * How the case file speaks: decisions in words, one risk grade (the PD band with the PD; the 300–900 score
 * beside it, never a third scale), the rate's build-up, reasons in plain words, and whether an officer's
 * decision departs from the engine's.
 */
import { formatPct, plainWords, toNumber } from "../../lib/format.js";

export const DECISIONS = [
  { id: "APPROVE", label: "Approve" },
  { id: "APPROVE_WITH_CONDITIONS", label: "Approve with conditions" },
  { id: "REFER", label: "Refer" },
  { id: "DECLINE", label: "Decline" },
];
export const APPROVALS = ["APPROVE", "APPROVE_WITH_CONDITIONS"];
const AMOUNT_TOLERANCE = 0.5;

export const BUILD_UP = [
  { key: "benchmark", label: "benchmark" },
  { key: "cost_of_funds", label: "cost of funds" },
  { key: "operating_cost", label: "operating cost" },
  { key: "expected_loss", label: "expected loss" },
  { key: "capital_charge", label: "capital charge" },
  { key: "guarantee_fee", label: "CGTMSE guarantee fee" },
];
const ROUNDING = 0.00005; // the policy rounds the rate up to the next 0.05%: a sum this close is the rate itself

const DECIDED_BY = { knockout: "a knock-out rule", pd_cutoff: "the PD cut-offs", capacity: "repayment capacity" };

/** What decided: `pd_cutoff` → `the PD cut-offs` (unknown values humanised by the caller). */
export function decidedByLabel(code) {
  return DECIDED_BY[code] || null;
}

/** `APPROVE_WITH_CONDITIONS` → `Approve with conditions` (`—` when missing). */
export function decisionLabel(code) {
  return DECISIONS.find((d) => d.id === code)?.label || (code ? String(code) : "—");
}

/** The value of a metric object (or a bare value). */
export function valueOf(metric) {
  return metric && typeof metric === "object" ? metric.value : metric;
}

/** The one risk grade: `MODERATE · PD 6.2%` (band and PD from the decision's risk grade). */
export function riskGradeText(grade) {
  const band = grade?.band || null;
  const pd = toNumber(valueOf(grade?.probability_of_default));
  if (!band && pd === null) return "—";
  return [band, pd === null ? null : `PD ${formatPct(pd)}`].filter(Boolean).join(" · ");
}

/** The 300–900 credit score as a whole number, or null. */
export function scorecardValue(grade) {
  const score = toNumber(valueOf(grade?.scorecard));
  return score === null ? null : Math.round(score);
}

/** `[{key, label, value}]` of the rate's build-up parts the offer carries, in the contract's order. */
export function buildUpParts(rate) {
  const parts = rate?.inputs?.build_up || {};
  return BUILD_UP.map((p) => ({ ...p, value: toNumber(parts[p.key]) })).filter((p) => p.value !== null);
}

/**
 * The build-up's sum and whether the rate charged differs from it (the policy rounds up to the next 0.05%):
 * `{sum, rounded}`, or null without parts.
 */
export function buildUpTotal(rate) {
  const parts = buildUpParts(rate);
  if (!parts.length) return null;
  const sum = parts.reduce((total, p) => total + p.value, 0);
  const charged = toNumber(valueOf(rate));
  return { sum, rounded: charged !== null && Math.abs(charged - sum) > ROUNDING };
}

/** A reason as a person reads it: a parenthesis about log-odds (the model's internal scale) is dropped. */
export function plainReason(reason) {
  return plainWords(typeof reason === "string" ? reason : reason?.text);
}

/** The first `n` reasons that say something, in plain words. */
export function topReasons(list, n = 3) {
  return (Array.isArray(list) ? list : []).map(plainReason).filter(Boolean).slice(0, n);
}

/** The engine's offered amount for an approval, else null. */
export function engineAmount(decision) {
  if (!APPROVALS.includes(decision?.decision)) return null;
  return toNumber(valueOf(decision?.offer?.amount));
}

/** What the officer's choice changes from the engine's decision: `[]`, `["decision"]`, `["amount"]` or both. */
export function differences(engineDecision, choice, amountText) {
  const changed = [];
  if (!engineDecision || choice !== engineDecision.decision) changed.push("decision");
  const amount = toNumber(amountText);
  const offered = engineAmount(engineDecision);
  if (APPROVALS.includes(choice) && amount !== null && (offered === null || Math.abs(amount - offered) > AMOUNT_TOLERANCE)) {
    changed.push("amount");
  }
  return changed;
}
