import DataTable from "../../../components/DataTable.jsx";
import { formatINR } from "../../../lib/format.js";
import { matchKindLabel, rateLabel } from "../labels.js";

const COLUMNS = [
  { key: "kind", header: "Match", value: (r) => matchKindLabel(r.kind) },
  { key: "items", header: "Items", value: (r) => (r.items || []).map((i) => i.label || i.item_id).join(", ") },
  { key: "payer", header: "Payer", value: (r) => r.payer || "—" },
  { key: "txn_ids", header: "Bank txns", value: (r) => (r.txn_ids || []).join(", ") },
  { key: "item_value", header: "Item value", align: "right", render: (r) => formatINR(r.item_value) },
  {
    key: "deductions",
    header: "Less",
    value: (r) =>
      [r.credit_note ? `credit note ${r.credit_note} ${formatINR(r.credit_note_value)}` : null,
       r.tds_rate ? `TDS ${rateLabel(r.tds_rate)} ${formatINR(r.tds_amount)}` : null].filter(Boolean).join("; ") || "—",
  },
  { key: "received", header: "Received", align: "right", render: (r) => formatINR(r.received) },
  { key: "remainder", header: "Remainder", align: "right", render: (r) => (r.remainder ? formatINR(r.remainder) : "—") },
  { key: "reason", header: "Why", value: (r) => r.reason || "—" },
];

/**
 * Payments that are not one credit per item: several invoices in one credit, an invoice in parts, net of a
 * credit note, less TDS at the buyer's rate, and any payment left short, with what is still missing and why.
 */
export default function MatchGroupsTable({ groups }) {
  return (
    <DataTable
      caption="Match groups"
      columns={COLUMNS}
      rows={groups || []}
      rowKey={(r, i) => `${r.group}|${i}`}
      pageSize={10}
      searchable
      searchLabel="Search match groups"
      emptyText="Every item was paid by one credit of its own."
    />
  );
}
