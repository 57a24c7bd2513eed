import Badge from "../../../components/Badge.jsx";
import DataTable from "../../../components/DataTable.jsx";
import { formatDate } from "../../../lib/format.js";
import { dataLifeText, FETCH_TYPES } from "../api.js";

const REVOCABLE = new Set(["ACTIVE", "PAUSED", "PENDING"]);

/** The customer's consent artefacts: status, purpose, FI types, data range, DataLife; a revoke button each. */
export default function ConsentTable({ consents, onRevoke }) {
  const columns = [
    {
      key: "consentId", header: "Consent",
      render: (c) => (
        <span className="consent-id">
          <code title={c.consentId}>{c.consentId.slice(0, 8)}…</code>
          <small className="muted">created {formatDate(c.createdAt)}</small>
        </span>
      ),
    },
    { key: "status", header: "Status", value: (c) => c.effectiveStatus || c.status, render: (c) => <Badge>{c.effectiveStatus || c.status}</Badge> },
    {
      key: "purpose", header: "Purpose", value: (c) => c.Purpose?.code,
      render: (c) => <span><strong>{c.Purpose?.code}</strong> {c.Purpose?.text}</span>,
    },
    { key: "fiTypes", header: "FI types", value: (c) => (c.fiTypes || []).join(", "), render: (c) => (c.fiTypes || []).join(", ") },
    {
      key: "range", header: "Data range", value: (c) => c.FIDataRange?.from,
      render: (c) => `${formatDate(c.FIDataRange?.from)} – ${formatDate(c.FIDataRange?.to)}`,
    },
    { key: "DataLife", header: "DataLife", value: (c) => dataLifeText(c.DataLife), render: (c) => dataLifeText(c.DataLife) },
    {
      key: "fetchType", header: "Fetch",
      render: (c) => FETCH_TYPES.find((f) => f.id === c.fetchType)?.label || c.fetchType,
    },
    { key: "expiry", header: "Expires", value: (c) => c.consentExpiry, render: (c) => formatDate(c.consentExpiry) },
    {
      key: "actions", header: "Actions", sortable: false,
      render: (c) => (REVOCABLE.has(c.effectiveStatus || c.status) ? (
        <button type="button" className="button button-danger" onClick={() => onRevoke(c)}
          aria-label={`Revoke consent ${c.consentId.slice(0, 8)}`}>
          Revoke
        </button>
      ) : <span className="muted">—</span>),
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={consents}
      rowKey="consentId"
      caption="Consent artefacts"
      captionHidden
      pageSize={10}
      emptyText="This customer has no consent on record."
    />
  );
}
