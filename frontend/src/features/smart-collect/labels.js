/** Words, symbols and tones for Smart Collect: repayment statuses, sources, days of the month. */
import { formatDate, humanize } from "../../lib/format.js";

/** Every status has a symbol and a word as well as a colour, so colour is never the only signal. */
export const HISTORY_STATUS = {
  paid_on_time: { symbol: "✓", short: "On time", label: "Paid on time", tone: "good" },
  late: { symbol: "!", short: "Late", label: "Paid late", tone: "warning" },
  bounced: { symbol: "✗", short: "Bounced", label: "Bounced", tone: "danger" },
  missed: { symbol: "–", short: "Missed", label: "Missed (no payment found)", tone: "danger" },
  not_reported: { symbol: "?", short: "N/R", label: "Not reported", tone: "neutral" },
};

export function historyStatus(status) {
  return HISTORY_STATUS[status] || { symbol: "·", short: humanize(status), label: humanize(status), tone: "neutral" };
}

/** The detail line of one month of history (what the cell's tooltip and accessible name add). */
export function historyDetail(row) {
  if (!row) return "";
  const parts = [];
  if (row.due_date) parts.push(`due ${formatDate(row.due_date)}`);
  if (row.paid_on) parts.push(`paid ${formatDate(row.paid_on)}`);
  if (typeof row.days_after_due === "number" && row.days_after_due > 0) parts.push(`${row.days_after_due} day(s) after due`);
  if (typeof row.dpd === "number") parts.push(`${row.dpd} DPD`);
  if (row.bounce_date) parts.push(`bounced ${formatDate(row.bounce_date)}`);
  if (row.recovered_on) parts.push(`recovered ${formatDate(row.recovered_on)}`);
  if (row.basis) parts.push(row.basis === "bureau" ? "per the bureau" : "per the bank statement");
  return parts.join(", ");
}

export const sourceLabel = (source) => ({ bank_statement: "Bank statement", bureau: "Credit bureau" }[source] || humanize(source));

/** 1 → "1st", 22 → "22nd". */
export function ordinal(n) {
  if (typeof n !== "number" || !Number.isFinite(n)) return "—";
  const mod100 = n % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? "th" : { 1: "st", 2: "nd", 3: "rd" }[n % 10] || "th";
  return `${n}${suffix}`;
}

/** "2nd–4th of the month" for an `{start_day, end_day}` window. */
export function windowText(window) {
  if (!window || typeof window.start_day !== "number") return "—";
  if (window.end_day === window.start_day || typeof window.end_day !== "number") return `${ordinal(window.start_day)} of the month`;
  return `${ordinal(window.start_day)}–${ordinal(window.end_day)} of the month`;
}
