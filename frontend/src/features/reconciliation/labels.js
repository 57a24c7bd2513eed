/** Words for the reconciliation document's codes (kinds of item, month statuses, categories). */
import { humanize } from "../../lib/format.js";

const KINDS = { ondc_order: "ONDC settlement", gstr1_invoice: "GSTR-1 invoice" };
const MONTH_STATUS = {
  matched: "Matched",
  gst_above_bank: "GST above bank",
  bank_above_gst: "Bank above GST",
  no_gst_return: "No GST return",
  no_bank_data: "No bank data",
};
const MONTH_TONE = { matched: "good", gst_above_bank: "danger", bank_above_gst: "warning", no_gst_return: "neutral" };
const ITEM_STATUS = { overdue: "Overdue", open: "Open (window not closed)" };

export const kindLabel = (kind) => KINDS[kind] || humanize(kind);
export const monthStatusLabel = (status) => (status ? MONTH_STATUS[status] || humanize(status) : "—");
export const monthStatusTone = (status) => MONTH_TONE[status] || "neutral";
export const itemStatusLabel = (status) => ITEM_STATUS[status] || humanize(status);
export const itemStatusTone = (status) => (status === "overdue" ? "danger" : status === "open" ? "info" : "neutral");
