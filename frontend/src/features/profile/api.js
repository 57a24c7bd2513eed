/** Data for the Customer Profile: the ten-section profile, the anomalies and the paged transaction list. */
import { apiGet } from "../../lib/api.js";
import { useApi } from "../../lib/useApi.js";

export const TRANSACTION_PAGE = 25;

export function fetchProfile(customerId, { signal } = {}) {
  return apiGet("/api/customer-profile", { customer_id: customerId }, { signal });
}

export function fetchAnomalies(customerId, { signal } = {}) {
  return apiGet("/api/anomalies", { customer_id: customerId }, { signal });
}

/** One page of clean transactions: `{total, items, ...}`; `q` matches narration or txnId. */
export function fetchTransactions(customerId, { q, sort, order, limit = TRANSACTION_PAGE, offset = 0 } = {}, { signal } = {}) {
  return apiGet("/api/transactions", { customer_id: customerId, q, sort, order, limit, offset }, { signal });
}

export function useProfile(customerId) {
  return useApi(customerId ? ({ signal }) => fetchProfile(customerId, { signal }) : null, [customerId]);
}

export function useAnomalies(customerId) {
  return useApi(customerId ? ({ signal }) => fetchAnomalies(customerId, { signal }) : null, [customerId]);
}

export function useTransactions(customerId, { q, sort, order, offset }) {
  return useApi(
    customerId ? ({ signal }) => fetchTransactions(customerId, { q, sort, order, offset }, { signal }) : null,
    [customerId, q, sort, order, offset],
  );
}
