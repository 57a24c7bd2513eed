/**
 * Pure helpers of the Risk & Forecast view: turn the API's risk-model and forecast documents into what the
 * components draw, never assuming a field is present (documents from older runs, degenerate customers).
 */
import { formatNumber } from "../../lib/format.js";

const isNumber = (v) => typeof v === "number" && Number.isFinite(v);

/** Whether a SHAP driver raised risk (positive log-odds) — from `direction` when given, else the sign. */
export function raisesRisk(driver) {
  if (driver?.direction) return /raise|increase|higher/i.test(driver.direction);
  return isNumber(driver?.shap_value) && driver.shap_value > 0;
}

/**
 * A label for a chart axis in lines of at most `max` characters, broken between words (a longer word is cut
 * with "…"); at most `maxLines` lines, the last ending in "…" when the text goes on (the full text is the
 * tick's tooltip and in the list under the chart).
 */
export function wrapLabel(text, max = 26, maxLines = 3) {
  const lines = [];
  String(text ?? "").split(/\s+/).filter(Boolean).forEach((word) => {
    const piece = word.length > max ? `${word.slice(0, max - 1)}…` : word;
    const last = lines[lines.length - 1];
    if (last !== undefined && `${last} ${piece}`.length <= max) lines[lines.length - 1] = `${last} ${piece}`;
    else lines.push(piece);
  });
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const tail = kept[maxLines - 1];
  kept[maxLines - 1] = `${tail.length >= max ? tail.slice(0, max - 1) : tail}…`;
  return kept;
}

/**
 * The waterfall of a SHAP explanation, as SHAP's own plot draws it: `{base, prediction, rows, domain}` where
 * each row `{key, label, range: [from, to], delta, kind: up | down | other}` starts where the previous one
 * ended — from the base value (the portfolio's average log-odds) to the prediction (this customer's).
 * Null when there is no numeric base value; drivers without a numeric SHAP value are skipped.
 */
export function waterfall(doc) {
  if (!doc || !isNumber(doc.base_value)) return null;
  const rows = [];
  let running = doc.base_value;
  (doc.drivers || []).forEach((d, i) => {
    if (!isNumber(d?.shap_value)) return;
    const next = running + d.shap_value;
    rows.push({ key: `d${i}`, label: d.description || d.feature || `Driver ${i + 1}`, range: [running, next], delta: d.shap_value,
      kind: raisesRisk(d) ? "up" : "down" });
    running = next;
  });
  if (isNumber(doc.other_features_shap)) {
    const next = running + doc.other_features_shap;
    rows.push({ key: "other", label: "All other inputs", range: [running, next], delta: doc.other_features_shap, kind: "other" });
    running = next;
  }
  const prediction = isNumber(doc.margin) ? doc.margin : running;
  const ends = [doc.base_value, prediction, ...rows.flatMap((r) => r.range)];
  const lo = Math.min(...ends);
  const hi = Math.max(...ends);
  const pad = Math.max((hi - lo) * 0.08, 0.1);
  return { base: doc.base_value, prediction, rows, domain: [lo - pad, hi + pad] };
}

/** `+0.45` / `-1.14`: a signed log-odds figure. */
export function signed(value, decimals = 2) {
  if (!isNumber(value)) return "—";
  const text = formatNumber(value, { decimals });
  return value > 0 ? `+${text}` : text;
}

/** `0.865 ± 0.019` for a cross-validated `{mean, std}` (or a bare number). */
export function meanStd(metric, decimals = 3) {
  if (isNumber(metric)) return formatNumber(metric, { decimals });
  if (!metric || !isNumber(metric.mean)) return "—";
  const std = isNumber(metric.std) ? ` ± ${formatNumber(metric.std, { decimals })}` : "";
  return `${formatNumber(metric.mean, { decimals })}${std}`;
}

/**
 * The runway of one scenario in words: a number of months, "beyond the horizon" (null value while the
 * funds are known), or "not known" (null because the current balance is unknown).
 */
export function runwayText(metric, horizonMonths) {
  const value = metric?.value;
  if (isNumber(value)) {
    if (value <= 0) return "Funds already exhausted";
    return `${formatNumber(value, { decimals: 1 })} months`;
  }
  if (!metric) return "—";
  const fundsKnown = isNumber(metric.inputs?.available_funds);
  if (!fundsKnown || /unknown/i.test(metric.reason || "")) return "Not known";
  return isNumber(horizonMonths) ? `Beyond the ${horizonMonths}-month horizon` : "Beyond the forecast horizon";
}

/** The chart rows: actual history, then the forecast (points and interval bands), joined at the last actual month. */
export function forecastChartRows(doc, historyMonths = 24) {
  const history = (doc?.history || []).slice(-historyMonths);
  const rows = history.map((h) => ({
    month: h.month, inflow: h.inflow ?? null, outflow: h.outflow ?? null, net: h.net ?? null, filled: Boolean(h.filled),
  }));
  const forecast = doc?.forecast || [];
  if (rows.length && forecast.length) {
    const last = rows[rows.length - 1];
    // Start the dashed forecast lines at the last actual month so the two read as one series.
    last.inflowForecast = last.inflow;
    last.outflowForecast = last.outflow;
    last.netForecast = last.net;
    if (isNumber(last.net)) last.netBand = [last.net, last.net];
  }
  forecast.forEach((f) => {
    const band = (s) => (isNumber(f?.[s]?.lower) && isNumber(f?.[s]?.upper) ? [f[s].lower, f[s].upper] : null);
    rows.push({
      month: f.month, inflowForecast: f.inflow?.point ?? null, outflowForecast: f.outflow?.point ?? null,
      netForecast: f.net?.point ?? null, netBand: band("net"), inflowBand: band("inflow"), outflowBand: band("outflow"),
    });
  });
  return rows;
}

export const SCENARIO_ORDER = ["pessimistic", "base", "optimistic"];
export const SCENARIO_LABELS = { base: "Base", optimistic: "Optimistic", pessimistic: "Pessimistic" };

/** Projected available funds per scenario, starting from today's available funds. */
export function fundsChartRows(doc) {
  const scenarios = doc?.scenarios || {};
  const months = scenarios.base?.months || SCENARIO_ORDER.map((s) => scenarios[s]?.months).find(Boolean) || [];
  if (!months.length) return [];
  const start = doc?.basis?.available_funds;
  const rows = [];
  if (isNumber(start)) rows.push({ month: "Now", base: start, optimistic: start, pessimistic: start });
  months.forEach((month, i) => {
    const row = { month };
    SCENARIO_ORDER.forEach((s) => {
      row[s] = scenarios[s]?.projected_funds?.[i] ?? null;
    });
    rows.push(row);
  });
  return rows;
}
