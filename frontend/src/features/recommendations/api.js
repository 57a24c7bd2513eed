/** Fetcher and hook of the recommendations view: the customer's product recommendations (six products, ranked, with sizing and rule checks). */
import { apiGet } from "../../lib/api.js";
import { useApi } from "../../lib/useApi.js";

/** `GET /api/recommendations` for one customer. */
export function fetchRecommendations(customerId, { signal } = {}) {
  return apiGet("/api/recommendations", { customer_id: customerId }, { signal });
}

/**
 * Whether an error means "not computed yet" (404 for an existing customer): an empty state that says
 * which pipeline step to run, not an error page. An unknown customer stays an error.
 */
export function isNotComputed(error) {
  return Boolean(error) && error.status === 404 && error.code !== "customer_not_found";
}

export function useRecommendations(customerId) {
  return useApi(customerId ? ({ signal }) => fetchRecommendations(customerId, { signal }) : null, [customerId]);
}
