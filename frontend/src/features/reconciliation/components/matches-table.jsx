import DataTable from "../../../components/DataTable.jsx";
import { formatDate, formatINR, formatNumber, formatPct } from "../../../lib/format.js";
import { kindLabel, matchKindLabel, rateLabel } from "../labels.js";

/** "Less TDS (7.5%)" for a TDS match, the credit note's number for a credit-note match, else the kind. */
function matchText(r) {
  const label = matchKindLabel(r.match_kind);
  if (r.match_kind === "tds" && r.tds_rate) return `${label} (${rateLabel(r.tds_rate)})`;
  if (r.match_kind === "credit_note" && r.credit_note) return `${label} ${r.credit_note}`;
  return label;
}

const COLUMNS = [
  { key: "label", header: "Item", render: (r) => r.label || r.item_id },
  { key: "kind", header: "Kind", value: (r) => kindLabel(r.kind) },
  { key: "match_kind", header: "Match", value: matchText },
  { key: "party", header: "Buyer / platform" },
  { key: "item_date", header: "Item date", render: (r) => formatDate(r.item_date) },
  { key: "item_amount", header: "Item amount", align: "right", render: (r) => formatINR(r.item_amount) },
  { key: "credit_date", header: "Credited on", render: (r) => formatDate(r.credit_date) },
  { key: "credit_amount", header: "Credit amount", align: "right", render: (r) => formatINR(r.credit_amount) },
  { key: "payer", header: "Payer" },
  { key: "lag_days", header: "Lag (days)", align: "right", render: (r) => formatNumber(r.lag_days) },
  { key: "score", header: "Confidence", align: "right", render: (r) => formatPct(r.score, 0) },
  { key: "txnId", header: "Bank txn" },
];

/** ONDC settlements and GSTR-1 invoices paired with the bank credit(s) that paid them, with how they were paid. */
export default function MatchesTable({ matches }) {
  return (
    <DataTable
      caption="Matched items"
      columns={COLUMNS}
      rows={matches || []}
      rowKey={(r, i) => `${r.item_id}|${r.txnId}|${i}`}
      pageSize={10}
      searchable
      searchLabel="Search matched items"
      emptyText="No item was matched to a bank credit."
    />
  );
}
