/**
 * The portfolio views' numbers for people: each column's label and unit from its name (the API's convention:
 * `*_inr` rupees, `*_rate`, `*_share` and `*pd` ratios, `hhi` an index), and the series the charts draw.
 */
import { formatINR, formatMonth, formatNumber, formatPct, humanize } from "../../lib/format.js";

const LABELS = {
  month: "Month", decisions: "Decisions", approved: "Approved", referred: "Referred", declined: "Declined",
  approval_rate: "Approval rate", decline_rate: "Decline rate", offered_inr: "Amount offered",
  segment_type: "Segment by", segment: "Segment", customers: "Customers", avg_pd: "Average PD",
  median_pd: "Median PD", max_pd: "Highest PD", high_risk_share: "Elevated or high risk",
  cohort: "Disbursed in", months_on_book: "Months on book", loans: "Loans", ever_30_plus: "Ever 30+ DPD",
  ever_90_plus: "Ever 90+ DPD", cum_30_plus_rate: "Cumulative 30+ DPD rate",
  cum_90_plus_rate: "Cumulative 90+ DPD rate", from_bucket: "From (DPD)", to_bucket: "To (DPD) next month",
  share: "Share of the from-bucket", sector: "Sector", exposure_inr: "Exposure (principal)",
  exposure_share: "Share of book", hhi: "HHI (0–10,000)",
};
const SEGMENTS = { sector: "Sector", profile: "Business profile", size_band: "Size (annual turnover)" };

/** The column's heading. */
export function columnLabel(name) {
  return LABELS[name] || humanize(name);
}

/** Whether the column is a number shown right-aligned. */
export function isNumeric(name) {
  return !["month", "segment_type", "segment", "cohort", "from_bucket", "to_bucket", "sector"].includes(name);
}

/** One cell as text: ₹ for `*_inr`, % for ratios, months as `Nov 2026`, labels in words. */
export function formatCell(name, value) {
  if (value === null || value === undefined) return "—";
  if (name.endsWith("_inr")) return formatINR(value);
  if (/(_rate|_share|pd)$/.test(name) || name === "share") return formatPct(value, 1);
  if (name === "month" || name === "cohort") return formatMonth(value);
  if (name === "segment_type") return SEGMENTS[value] || humanize(value);
  if (name === "hhi") return formatNumber(value, { decimals: 0 });
  if (typeof value === "number") return formatNumber(value);
  return String(value);
}

/** Rows as objects keyed by column. */
export function recordsOf(view) {
  return (view?.rows || []).map((row) => Object.fromEntries(view.columns.map((c, i) => [c, row[i]])));
}

/** Vintage curves as chart data: one point per month on book, one series (key = cohort) per cohort, in %. */
export function vintageSeries(view, rate = "cum_30_plus_rate") {
  const records = recordsOf(view);
  const cohorts = [...new Set(records.map((r) => r.cohort))].sort();
  const months = [...new Set(records.map((r) => r.months_on_book))].sort((a, b) => a - b);
  const points = months.map((m) => {
    const point = { months_on_book: m };
    records.filter((r) => r.months_on_book === m).forEach((r) => { point[r.cohort] = r[rate] * 100; });
    return point;
  });
  return { cohorts, points };
}
