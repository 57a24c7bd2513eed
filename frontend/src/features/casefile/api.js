/**
 * Data for the officer's case file: the engine's decision (`GET /api/decision`), who the borrower is
 * (`GET /api/customer-identity`), the case history (`GET /api/case-history`), recording the officer's own
 * decision (`POST /api/officer-decisions`), the credit memo PDF (`GET /api/credit-memo`) and the case list
 * (`GET /api/cases`).
 */
import { apiGet, apiGetFile, apiPost } from "../../lib/api.js";
import { saveFile } from "../../lib/download.js";
import { useApi } from "../../lib/useApi.js";

/** Whether an error says a document has not been computed yet (a 404 that is not an unknown customer). */
export function isNotComputed(error) {
  return Boolean(error) && error.status === 404 && error.code !== "customer_not_found";
}

/** The engine's decision document, or null when the models step has not decided on this customer yet. */
export async function fetchDecision(customerId, { signal } = {}) {
  try {
    return await apiGet("/api/decision", { customer_id: customerId }, { signal });
  } catch (error) {
    if (isNotComputed(error)) return null;
    throw error;
  }
}

export function fetchIdentity(customerId, { signal } = {}) {
  return apiGet("/api/customer-identity", { customer_id: customerId }, { signal });
}

export function fetchCaseHistory(customerId, { signal } = {}) {
  return apiGet("/api/case-history", { customer_id: customerId }, { signal });
}

export function fetchCases({ signal } = {}) {
  return apiGet("/api/cases", null, { signal });
}

/** Record the officer's decision: `{customer_id, decision, amount?, conditions, note, reason}` → the stored record. */
export function recordOfficerDecision(body) {
  return apiPost("/api/officer-decisions", body);
}

/** Download the case's credit memo (a PDF, fetched with the session's token) and save it as a file. */
export async function downloadCreditMemo(customerId) {
  const { blob, filename } = await apiGetFile("/api/credit-memo", { customer_id: customerId });
  saveFile(blob, filename || `credit-memo-${customerId}.pdf`);
  return filename;
}

export function useDecision(customerId, version = 0) {
  return useApi(customerId ? ({ signal }) => fetchDecision(customerId, { signal }) : null, [customerId, version]);
}

export function useIdentity(customerId) {
  return useApi(customerId ? ({ signal }) => fetchIdentity(customerId, { signal }) : null, [customerId]);
}

export function useCaseHistory(customerId, version = 0) {
  return useApi(customerId ? ({ signal }) => fetchCaseHistory(customerId, { signal }) : null, [customerId, version]);
}

export function useCases() {
  return useApi(({ signal }) => fetchCases({ signal }), []);
}
