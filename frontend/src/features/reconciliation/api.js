/**
 * Fetchers and hooks of the reconciliation view: the customer's GST vs bank vs ONDC reconciliation (monthly
 * rows, headline metrics) and its long lists (matches, match groups, unmatched items on both sides), paged.
 */
import { apiGet } from "../../lib/api.js";
import { useApi } from "../../lib/useApi.js";
import { usePagedList } from "../../lib/usePagedList.js";

/** `GET /api/reconciliation` for one customer. */
export function fetchReconciliation(customerId, { signal } = {}) {
  return apiGet("/api/reconciliation", { customer_id: customerId }, { signal });
}

/**
 * Whether an error means "not computed yet" (404 for an existing customer): an empty state that says
 * which pipeline step to run, not an error page. An unknown customer stays an error.
 */
export function isNotComputed(error) {
  return Boolean(error) && error.status === 404 && error.code !== "customer_not_found";
}

export function useReconciliation(customerId) {
  return useApi(customerId ? ({ signal }) => fetchReconciliation(customerId, { signal }) : null, [customerId]);
}

/** One of the document's long lists (`matches`, `match_groups`, `unmatched_items`, `unmatched_bank_credits`),
 * loaded page by page from the `{total, href}` the document holds in its place. */
export function useReconciliationList(customerId, list, stub) {
  return usePagedList(customerId, "reconciliation", list, stub);
}
