/**
 * Data for Analytics Insights: the credit score and risk model (small documents, shown first), the analytics
 * bundle (overall summary: key metrics, alerts, recommendation) and the AI narrative on request.
 */
import { useCallback, useState } from "react";
import { apiGet, apiPost } from "../../lib/api.js";
import { useApi } from "../../lib/useApi.js";

export function fetchCreditScore(customerId, { signal } = {}) {
  return apiGet("/api/credit-score", { customer_id: customerId }, { signal });
}

/** The risk model document, or null when it has not been computed for this customer (404 for the document). */
export async function fetchRiskModel(customerId, { signal } = {}) {
  try {
    return await apiGet("/api/risk-model", { customer_id: customerId }, { signal });
  } catch (error) {
    if (error?.status === 404 && error.code !== "customer_not_found") return null;
    throw error;
  }
}

export function fetchAnalytics(customerId, { signal } = {}) {
  // only the one-page summary: the full bundle is over a megabyte for a busy account
  return apiGet("/api/analytics", { customer_id: customerId, names: "overall_summary" }, { signal });
}

export function requestAiInsights(customerId) {
  return apiPost("/api/ai-insights", { customer_id: customerId });
}

export function useCreditScore(customerId) {
  return useApi(customerId ? ({ signal }) => fetchCreditScore(customerId, { signal }) : null, [customerId]);
}

export function useRiskModel(customerId) {
  return useApi(customerId ? ({ signal }) => fetchRiskModel(customerId, { signal }) : null, [customerId]);
}

/** The overall summary from the analytics bundle (`null` until loaded). */
export function useOverallSummary(customerId) {
  return useApi(
    customerId ? async ({ signal }) => (await fetchAnalytics(customerId, { signal }))?.overall_summary ?? null : null,
    [customerId],
  );
}

/** `{result, error, loading, generate}` for the AI narrative, requested only when the officer asks. */
export function useAiInsights(customerId) {
  const [state, setState] = useState({ result: null, error: null, loading: false });
  const generate = useCallback(async () => {
    setState((prev) => ({ ...prev, error: null, loading: true }));
    try {
      const result = await requestAiInsights(customerId);
      setState({ result, error: null, loading: false });
    } catch (error) {
      setState({ result: null, error, loading: false });
    }
  }, [customerId]);
  return { ...state, generate };
}
