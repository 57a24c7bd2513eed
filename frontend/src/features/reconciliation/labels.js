/** Words for the reconciliation document's codes (kinds of item, month statuses, categories). */
import { formatPct, humanize } from "../../lib/format.js";

const KINDS = { ondc_order: "ONDC settlement", gstr1_invoice: "GSTR-1 invoice" };
const MONTH_STATUS = {
  matched: "Matched",
  gst_above_bank: "GST above bank",
  bank_above_gst: "Bank above GST",
  no_gst_return: "No GST return",
  no_bank_data: "No bank data",
};
const MONTH_TONE = { matched: "good", gst_above_bank: "danger", bank_above_gst: "warning", no_gst_return: "neutral" };
const MATCH_KINDS = {
  one_to_one: "One-to-one",
  tds: "Less TDS",
  credit_note: "Net of credit note",
  many_to_one: "Several invoices, one credit",
  part_payment: "Paid in parts",
};
const ITEM_STATUS = { overdue: "Overdue", open: "Open (window not closed)" };

export const kindLabel = (kind) => KINDS[kind] || humanize(kind);
export const matchKindLabel = (kind) => (kind ? MATCH_KINDS[kind] || humanize(kind) : "One-to-one");
export const monthStatusLabel = (status) => (status ? MONTH_STATUS[status] || humanize(status) : "—");
export const monthStatusTone = (status) => MONTH_TONE[status] || "neutral";
export const itemStatusLabel = (status) => ITEM_STATUS[status] || humanize(status);
export const itemStatusTone = (status) => (status === "overdue" ? "danger" : status === "open" ? "info" : "neutral");
/** A TDS rate as a person writes it: 0.075 → "7.5%", 0.001 → "0.1%". */
export const rateLabel = (rate) => formatPct(rate, 2).replace(/\.?0+%$/, "%");
