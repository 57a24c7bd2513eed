/**
 * Methodology and Calculations: the credit methodology document (`GET /api/methodology`, Markdown) and
 * every metric of the customer's analytics bundle (`GET /api/analytics`) with its formula and inputs.
 * (The Markdown renderer lives in markdown.js, so the Calculations page does not download `marked`.)
 */
import { apiGet, apiGetText } from "../../lib/api.js";
import { humanize } from "../../lib/format.js";
import { useApi } from "../../lib/useApi.js";

/** The methodology document as Markdown text. */
export function fetchMethodology({ signal } = {}) {
  return apiGetText("/api/methodology", null, { signal });
}

/** Every analytics document of the customer, keyed by name (`missing` lists those not computed yet). */
export function fetchAnalytics(customerId, { signal } = {}) {
  return apiGet("/api/analytics", { customer_id: customerId }, { signal });
}

export function useMethodology() {
  return useApi(({ signal }) => fetchMethodology({ signal }), []);
}

export function useAnalyticsBundle(customerId) {
  return useApi(customerId ? ({ signal }) => fetchAnalytics(customerId, { signal }) : null, [customerId]);
}

const ACRONYMS = new Set(["abb", "foir", "dscr", "gst", "emi", "emis", "dpd", "cv", "itc", "mape", "pd", "ondc", "ocen",
  "gmv", "cagr", "mf", "eod", "upi", "atm", "nach", "yoy", "ml", "npa", "gstr"]);

/** A machine name in words, with the acronyms loan officers know kept upper-case: `avg_foir` → `Avg FOIR`. */
export function metricLabel(key) {
  return humanize(key).split(" ").map((word) => (ACRONYMS.has(word.toLowerCase()) ? word.toUpperCase() : word)).join(" ");
}

/** A metric is an object with `value` and at least one of formula/unit/explanation. */
function isMetric(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) && "value" in value
    && ("formula" in value || "unit" in value || "explanation" in value);
}

/**
 * Every metric of the bundle as `{id, document, documentLabel, key, label, metric}`, documents in bundle
 * order, metrics in document order.
 */
export function listMetrics(bundle) {
  if (!bundle || typeof bundle !== "object") return [];
  const out = [];
  Object.entries(bundle).forEach(([document, body]) => {
    const metrics = body && typeof body === "object" ? body.metrics : null;
    if (!metrics || typeof metrics !== "object") return;
    Object.entries(metrics).forEach(([key, metric]) => {
      if (!isMetric(metric)) return;
      out.push({ id: `${document}.${key}`, document, documentLabel: metricLabel(document), key, label: metricLabel(key), metric });
    });
  });
  return out;
}

/** Metrics whose name, document, formula, unit or explanation contain every word of `query`. */
export function searchMetrics(items, query) {
  const words = String(query || "").toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return items;
  return items.filter((item) => {
    const haystack = [item.key, item.label, item.document, item.documentLabel, item.metric.formula, item.metric.unit,
      item.metric.explanation].filter(Boolean).join(" ").toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
