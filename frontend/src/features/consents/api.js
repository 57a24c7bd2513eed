/**
 * Consents & Audit (admins): a customer's consent artefacts, creating one, revoking one — which erases the
 * customer's data from every layer — the audit trail of who read or changed what, and the Account Aggregator
 * journey (ask the AA for consent, follow its status, fetch under it) as 202 jobs with live logs.
 */
import { apiGet, apiPost } from "../../lib/api.js";
import { useApi } from "../../lib/useApi.js";

/** ReBIT purpose codes the API accepts, in the words of the AA specification. */
export const PURPOSES = [
  { code: "101", text: "Wealth management service" },
  { code: "102", text: "Customer spending patterns, budget or other reportings" },
  { code: "103", text: "Aggregated statement" },
  { code: "104", text: "Explicit consent for monitoring of the accounts" },
  { code: "105", text: "Explicit one-time consent for the accounts" },
];

/** FI types, with what each covers in the lake. */
export const FI_TYPES = [
  { id: "DEPOSIT", label: "Deposit accounts and transactions" },
  { id: "GSTR1_3B", label: "GST returns (GSTR-1, GSTR-3B)" },
  { id: "BUREAU", label: "Credit bureau report" },
  { id: "MUTUAL_FUNDS", label: "Mutual funds" },
  { id: "INSURANCE_POLICIES", label: "Insurance policies" },
  { id: "OCEN", label: "OCEN loan applications" },
  { id: "ONDC", label: "ONDC orders" },
];

export const FETCH_TYPES = [
  { id: "ONETIME", label: "One-time" },
  { id: "PERIODIC", label: "Periodic (monthly)" },
];

export const DATA_LIFE_UNITS = [
  { id: "DAY", label: "days" },
  { id: "MONTH", label: "months" },
  { id: "YEAR", label: "years" },
  { id: "INF", label: "until the consent ends" },
];

export function fetchConsents(customerId, { signal } = {}) {
  return apiGet("/api/consents", { customer_id: customerId }, { signal });
}

export function fetchAudit(customerId, { signal, limit = 500 } = {}) {
  return apiGet("/api/audit", { customer_id: customerId, limit }, { signal });
}

/** Record a new ACTIVE consent; resolves to the artefact. */
export function createConsent(body) {
  return apiPost("/api/consents", body);
}

/** Revoke a consent: the API erases the customer's data; resolves to `{consent, erased_layers}`. */
export function revokeConsent(consentId) {
  return apiPost(`/api/consents/${encodeURIComponent(consentId)}/revoke`);
}

/** The purposes the dashboard asks an AA for, monitoring (104) first: it is the lender's default. */
export const AA_PURPOSES = ["104", "103", "105"].map((code) => PURPOSES.find((p) => p.code === code));

/** ReBIT FI types the dashboard can ask an AA for; `checked` ones are asked for unless unticked. */
export const AA_FI_TYPES = [
  { id: "DEPOSIT", label: "Bank accounts and their transactions", checked: true },
  { id: "GSTR1_3B", label: "GST returns (GSTR-1, GSTR-3B)", checked: true },
  { id: "TERM_DEPOSIT", label: "Term deposits", checked: false },
  { id: "RECURRING_DEPOSIT", label: "Recurring deposits", checked: false },
  { id: "MUTUAL_FUNDS", label: "Mutual funds", checked: false },
  { id: "INSURANCE_POLICIES", label: "Insurance policies", checked: false },
];

/** The consent statuses an AA reports (ReBIT): only ACTIVE allows a fetch. */
export const AA_STATUSES = ["PENDING", "ACTIVE", "PAUSED", "REVOKED", "EXPIRED", "REJECTED"];

/** Where the customer's AA journey stands: `{customer_id, aa: {base_url}, journey: null | {...}}`. */
export function fetchAaJourney(customerId, { signal } = {}) {
  return apiGet("/api/aa/consents", { customer_id: customerId }, { signal });
}

/** Ask the AA for a consent (a job): resolves to the 202 body `{job_id, status, customer_id, step}`. */
export function requestAaConsent(customerId, { purpose, fiTypes }) {
  return apiPost("/api/aa/consents", { customer_id: customerId, purpose, fi_types: fiTypes });
}

/** Fetch under the customer's ACTIVE AA consent (a job): resolves to the 202 body; 409 if a job runs. */
export function startAaFetch(customerId) {
  return apiPost("/api/aa/fetch", { customer_id: customerId });
}

/** A job's state with its last log lines (what missed socket events are recovered from). */
export function fetchJobState(jobId, { signal } = {}) {
  return apiGet(`/api/jobs/${encodeURIComponent(jobId)}`, null, { signal });
}

/** `useApi` over fetchAaJourney: `{data, error, loading, reload}` for the customer. */
export function useAaJourneyData(customerId) {
  return useApi(customerId ? ({ signal }) => fetchAaJourney(customerId, { signal }) : null, [customerId]);
}

export function useConsents(customerId) {
  return useApi(customerId ? ({ signal }) => fetchConsents(customerId, { signal }) : null, [customerId]);
}

export function useAudit(customerId) {
  return useApi(customerId ? ({ signal }) => fetchAudit(customerId, { signal }) : null, [customerId]);
}

/** A DataLife `{unit, value}` in words: "1 year", "6 months", "until the consent ends". */
export function dataLifeText(life) {
  if (!life || !life.unit) return "—";
  if (life.unit === "INF") return "until the consent ends";
  const unit = { DAY: "day", MONTH: "month", YEAR: "year", HOUR: "hour" }[life.unit] || life.unit.toLowerCase();
  const value = Number(life.value);
  return `${value} ${unit}${value === 1 ? "" : "s"}`;
}

const ist = new Intl.DateTimeFormat("en-IN", {
  timeZone: "Asia/Kolkata", day: "2-digit", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});

/** A timestamp in Indian time, `21 Nov 2026, 12:09 IST` (the audit log writes UTC). */
export function formatIST(ts) {
  const date = new Date(ts);
  if (!ts || Number.isNaN(date.getTime())) return "—";
  const parts = Object.fromEntries(ist.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute} IST`;
}
