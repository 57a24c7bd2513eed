import DataTable from "../../../components/DataTable.jsx";
import { humanize } from "../../../lib/format.js";
import { formatIST } from "../api.js";

const SHOWN = new Set(["ts", "action", "who", "role", "what", "endpoint", "consent_id", "customer_id", "purpose", "_key"]);

/** The fields of an entry not in their own column (layers erased, provider, job id...), as `key: value`. */
function details(entry) {
  return Object.entries(entry)
    .filter(([key]) => !SHOWN.has(key))
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(", ") : typeof value === "object" && value !== null ? JSON.stringify(value) : value}`)
    .join("; ");
}

/** The customer's audit trail, newest first: when, what happened, who, what was touched, under which consent. */
export default function AuditTable({ entries }) {
  const rows = entries.map((entry, index) => ({ ...entry, _key: `${entry.ts}-${index}` }));
  const columns = [
    { key: "ts", header: "When (IST)", render: (e) => <time dateTime={e.ts}>{formatIST(e.ts)}</time> },
    { key: "action", header: "Action", render: (e) => humanize(e.action) },
    { key: "who", header: "Who", value: (e) => `${e.who || ""} ${e.role || ""}`, render: (e) => <span>{e.who || "—"}{e.role ? <small className="muted"> ({e.role})</small> : null}</span> },
    { key: "what", header: "What", value: (e) => e.what || e.endpoint, render: (e) => e.what || e.endpoint || "—" },
    { key: "consent_id", header: "Consent", render: (e) => (e.consent_id ? <code title={e.consent_id}>{e.consent_id.slice(0, 8)}…</code> : "—") },
    { key: "details", header: "Details", value: details, render: (e) => details(e) || "—", sortable: false },
  ];
  return (
    <DataTable
      columns={columns}
      rows={rows}
      rowKey="_key"
      caption="Audit trail"
      captionHidden
      pageSize={15}
      searchable
      searchLabel="Search the audit trail"
      emptyText="Nothing recorded for this customer yet."
    />
  );
}
