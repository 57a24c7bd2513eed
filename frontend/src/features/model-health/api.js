/**
 * Model Health: the fetcher (through lib/api.js, the one HTTP client) and its hook.
 *
 * `GET /api/model-health` gives the champion risk model, its reference (training) period, the drift
 * thresholds, and per as-of month the customers scored, the score PSI, a status and every input's PSI.
 */
import { apiGet } from "../../lib/api.js";
import { useApi } from "../../lib/useApi.js";

/** The model-health report for the last `months` as-of months. */
export function fetchModelHealth({ months = 12, signal } = {}) {
  return apiGet("/api/model-health", { months }, { signal });
}

/** `{data, error, loading, reload}` of the model-health report. */
export function useModelHealth(months = 12) {
  return useApi(({ signal }) => fetchModelHealth({ months, signal }), [months]);
}
