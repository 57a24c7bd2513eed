/**
 * Dataset Viewer: a page of a customer's raw, clean or quarantine records of one source
 * (`GET /api/datasets/<layer>/<source>`), for analysts checking what the cleaning did.
 */
import { apiGet } from "../../lib/api.js";
import { useApi } from "../../lib/useApi.js";

/** The lake's sources, in the order the pipeline writes them, with the words analysts use. */
export const SOURCES = [
  { id: "accounts", label: "Accounts" },
  { id: "transactions", label: "Transactions" },
  { id: "gst_returns", label: "GST returns" },
  { id: "credit_bureau", label: "Credit bureau" },
  { id: "mutual_funds", label: "Mutual funds" },
  { id: "insurance_policies", label: "Insurance policies" },
  { id: "ocen_applications", label: "OCEN applications" },
  { id: "ondc_orders", label: "ONDC orders" },
];

export const LAYERS = [
  { id: "raw", label: "Raw", description: "As delivered, before any repair (lines that are not JSON shown as text)." },
  { id: "clean", label: "Clean", description: "Repaired, de-duplicated and schema-valid: what the analytics read." },
  { id: "quarantine", label: "Quarantine", description: "Rejected lines with every reason, kept for review." },
];

export const PAGE_SIZES = [10, 25, 50];

/** One page of records: `{total, limit, offset, items}`. */
export function fetchDataset(layer, source, { customerId, limit, offset }, { signal } = {}) {
  return apiGet(`/api/datasets/${encodeURIComponent(layer)}/${encodeURIComponent(source)}`,
    { customer_id: customerId, limit, offset }, { signal });
}

/** The page of `layer` records, refetched when the customer, source, page size or offset changes. */
export function useDatasetPage(layer, source, customerId, limit, offset) {
  return useApi(customerId ? ({ signal }) => fetchDataset(layer, source, { customerId, limit, offset }, { signal }) : null,
    [layer, source, customerId, limit, offset]);
}

/** The columns of a page of records: every top-level key, in first-seen order. */
export function recordColumns(items) {
  const keys = [];
  const seen = new Set();
  (items || []).forEach((item) => {
    if (item && typeof item === "object") {
      Object.keys(item).forEach((key) => {
        if (!seen.has(key)) {
          seen.add(key);
          keys.push(key);
        }
      });
    }
  });
  return keys;
}

/**
 * Fields with one and the same plain value on every record of the page (the account reference of every
 * transaction, say): shown once above the table instead of filling a column. Needs two records or more.
 */
export function constantFields(items, keys) {
  const records = (items || []).filter((item) => item && typeof item === "object" && item._unparseable === undefined);
  if (records.length < 2 || records.length !== (items || []).length) return [];
  return keys.filter((key) => {
    const first = records[0][key];
    if (first === undefined || (first !== null && typeof first === "object")) return false;
    return records.every((record) => record[key] === first);
  });
}

/**
 * A stored value as it is in the file (this view shows data, not figures): strings and numbers verbatim,
 * nested lists and objects summarised (the full record is one click away).
 */
export function cellText(value) {
  if (value === null) return "null";
  if (value === undefined) return "";
  if (Array.isArray(value)) return `[${value.length} item${value.length === 1 ? "" : "s"}]`;
  if (typeof value === "object") return `{${Object.keys(value).length} field${Object.keys(value).length === 1 ? "" : "s"}}`;
  return String(value);
}
