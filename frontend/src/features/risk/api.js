/**
 * Fetchers and hooks of the Risk & Forecast view: the risk model's scoring of a customer
 * (`GET /api/risk-model`) and the cash-flow forecast (`GET /api/forecast`).
 */
import { apiGet } from "../../lib/api.js";
import { useApi } from "../../lib/useApi.js";

/** The risk model document of a customer (PD, band, SHAP drivers, model version and validation). */
export function fetchRiskModel(customerId, { signal } = {}) {
  return apiGet("/api/risk-model", { customer_id: customerId }, { signal });
}

/** The cash-flow forecast of a customer (history, forecast with intervals, scenarios, runway, back-test). */
export function fetchForecast(customerId, { signal } = {}) {
  return apiGet("/api/forecast", { customer_id: customerId }, { signal });
}

/**
 * Whether an error means "this document has not been computed yet" (a 404 for an existing customer) —
 * an empty state to explain, not a failure to alarm about. An unknown customer stays an error.
 */
export function isNotComputed(error) {
  return Boolean(error) && error.status === 404 && error.code !== "customer_not_found";
}

export function useRiskModel(customerId) {
  return useApi(customerId ? ({ signal }) => fetchRiskModel(customerId, { signal }) : null, [customerId]);
}

export function useForecast(customerId) {
  return useApi(customerId ? ({ signal }) => fetchForecast(customerId, { signal }) : null, [customerId]);
}
