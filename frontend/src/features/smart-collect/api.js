/** Fetcher and hook of the smart-collect view: the customer's collection plan (obligations, upcoming dues, optimal window, 12-month history, risk signals). */
import { apiGet } from "../../lib/api.js";
import { useApi } from "../../lib/useApi.js";

/** `GET /api/smart-collect` for one customer. */
export function fetchSmartCollect(customerId, { signal } = {}) {
  return apiGet("/api/smart-collect", { customer_id: customerId }, { signal });
}

/**
 * Whether an error means "not computed yet" (404 for an existing customer): an empty state that says
 * which pipeline step to run, not an error page. An unknown customer stays an error.
 */
export function isNotComputed(error) {
  return Boolean(error) && error.status === 404 && error.code !== "customer_not_found";
}

export function useSmartCollect(customerId) {
  return useApi(customerId ? ({ signal }) => fetchSmartCollect(customerId, { signal }) : null, [customerId]);
}
