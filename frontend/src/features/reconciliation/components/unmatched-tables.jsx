import Badge from "../../../components/Badge.jsx";
import DataTable from "../../../components/DataTable.jsx";
import { formatDate, formatINR, humanize } from "../../../lib/format.js";
import { itemStatusLabel, itemStatusTone, kindLabel } from "../labels.js";

const ITEM_COLUMNS = [
  { key: "label", header: "Item", render: (r) => r.label || r.item_id },
  { key: "kind", header: "Kind", value: (r) => kindLabel(r.kind) },
  { key: "party", header: "Buyer / platform" },
  { key: "date", header: "Date", render: (r) => formatDate(r.date) },
  { key: "amount", header: "Amount", align: "right", render: (r) => formatINR(r.amount) },
  { key: "status", header: "Status", value: (r) => itemStatusLabel(r.status), render: (r) => <Badge tone={itemStatusTone(r.status)}>{itemStatusLabel(r.status)}</Badge> },
  { key: "reason", header: "Why", value: (r) => r.reason || "—" },
];

const CREDIT_COLUMNS = [
  { key: "date", header: "Date", render: (r) => formatDate(r.date) },
  { key: "payer", header: "Payer" },
  { key: "amount", header: "Amount", align: "right", render: (r) => formatINR(r.amount) },
  { key: "category", header: "Category", value: (r) => humanize(r.category) },
  { key: "narration", header: "Narration", render: (r) => <span className="mono">{r.narration}</span> },
  { key: "txnId", header: "Bank txn" },
];

/**
 * Both sides of what did not reconcile: declared items (ONDC settlements, GSTR-1 invoices) with no bank
 * credit, and bank credits that look like collections but settle no declared item.
 */
export default function UnmatchedTables({ items, credits }) {
  return (
    <div className="stack">
      <div>
        <h3>Declared, not found in the bank</h3>
        <p className="muted">Overdue: the payment window has closed with no matching credit. Open: still inside the window.</p>
        <DataTable
          caption="Unmatched declared items"
          columns={ITEM_COLUMNS}
          rows={items || []}
          rowKey={(r, i) => `${r.item_id}|${i}`}
          pageSize={10}
          initialSort={{ key: "date", order: "desc" }}
          emptyText="Every declared item was found in the bank."
        />
      </div>
      <div>
        <h3>In the bank, not declared</h3>
        <p className="muted">Credits that look like business collections but settle no declared invoice or order.</p>
        <DataTable
          caption="Unmatched bank credits"
          columns={CREDIT_COLUMNS}
          rows={credits || []}
          rowKey={(r, i) => `${r.txnId}|${i}`}
          pageSize={10}
          initialSort={{ key: "date", order: "desc" }}
          emptyText="No unexplained collection credits."
        />
      </div>
    </div>
  );
}
