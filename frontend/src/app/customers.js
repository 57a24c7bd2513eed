/** The customer list for the picker and header (`GET /api/customers`), refreshed at most every 15 s on demand. */
import { useCallback, useRef } from "react";
import { apiGet } from "../lib/api.js";
import { useApi } from "../lib/useApi.js";

const STALE_MS = 15000;

export function fetchCustomers({ signal } = {}) {
  return apiGet("/api/customers", null, { signal });
}

/** `{customers, error, loading, refresh}`: `refresh()` reloads only when the list is older than 15 s. */
export function useCustomers(token) {
  const loadedAt = useRef(0);
  const { data, error, loading, reload } = useApi(async ({ signal }) => {
    const body = await fetchCustomers({ signal });
    loadedAt.current = Date.now();
    return body;
  }, [token]);
  const refresh = useCallback(() => {
    if (Date.now() - loadedAt.current > STALE_MS) reload();
  }, [reload]);
  const customers = Array.isArray(data?.customers) ? data.customers : null;
  return { customers, error, loading, refresh, reload };
}

/** Whether a customer matches a search text (id or name, case-insensitive). */
export function matchesCustomer(customer, text) {
  const needle = String(text || "").trim().toLowerCase();
  if (!needle) return true;
  return [customer?.customer_id, customer?.name].some((v) => v && String(v).toLowerCase().includes(needle));
}
