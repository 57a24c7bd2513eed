import Badge, { toneFor } from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import DataTable from "../../../components/DataTable.jsx";
import StateView from "../../../components/StateView.jsx";
import { DASH, formatDateTime, formatPct, toNumber } from "../../../lib/format.js";
import { useCases } from "../api.js";
import { decisionLabel } from "../labels.js";
import "../casefile.css";

const BAND_ORDER = { LOW: 0, MODERATE: 1, ELEVATED: 2, HIGH: 3 };

function riskText(row) {
  const pd = toNumber(row.probability_of_default);
  if (!row.band && pd === null) return DASH;
  return [row.band, pd === null ? null : `PD ${formatPct(pd)}`].filter(Boolean).join(" · ");
}

/**
 * The case list an officer lands on after signing in: every customer with the engine's decision, the risk grade
 * (PD band and PD), the last run and the latest officer decision (flagged when it differs from the engine).
 * Opening a row opens the case.
 */
export default function CaseList({ onOpen }) {
  const { data, error, loading, reload } = useCases();
  const rows = Array.isArray(data?.cases) ? data.cases : [];
  return (
    <Card title="Cases" subtitle="Open a case to see the decision, record yours and download the credit memo">
      <StateView loading={loading} error={error} onRetry={reload} loadingText="Loading the cases…"
        empty={!loading && !error && rows.length === 0} emptyText="No customers in the lake yet.">
        {() => (
          <DataTable
            caption="Case list"
            captionHidden
            rows={rows}
            rowKey="customer_id"
            pageSize={25}
            searchable
            searchLabel="Search cases"
            searchPlaceholder="Name or customer id"
            onRowClick={(r) => onOpen(r.customer_id)}
            columns={[
              { key: "name", header: "Customer", value: (r) => `${r.name || ""} ${r.customer_id}`,
                render: (r) => (
                  <button type="button" className="link-button case-open"
                    aria-label={`Open the case of ${r.name || r.customer_id} (${r.customer_id})`}>
                    <strong>{r.name || r.customer_id}</strong>
                    <span className="muted case-id">{r.customer_id}</span>
                  </button>
                ) },
              { key: "decision", header: "Engine decision", value: (r) => r.decision || "",
                render: (r) => (r.restricted ? <span className="muted" title={r.restricted}>No lending consent</span>
                  : r.decision ? <Badge tone={toneFor(r.decision)}>{decisionLabel(r.decision)}</Badge>
                    : <span className="muted">Not decided</span>) },
              { key: "risk", header: "Risk grade", value: (r) => (BAND_ORDER[r.band] ?? 9) + (toNumber(r.probability_of_default) ?? 0),
                render: (r) => riskText(r) },
              { key: "scorecard", header: "Score", align: "right", render: (r) => (toNumber(r.scorecard) === null ? DASH : Math.round(r.scorecard)) },
              { key: "last_run", header: "Last run", className: "nowrap", value: (r) => r.last_run?.ts || "",
                render: (r) => (r.last_run ? `${formatDateTime(r.last_run.ts)} (${r.last_run.status || "unknown"})` : "never") },
              { key: "officer", header: "Officer decision", value: (r) => r.officer?.decision || "",
                render: (r) => (r.officer ? (
                  <span className="row">
                    <Badge tone={toneFor(r.officer.decision)}>{decisionLabel(r.officer.decision)}</Badge>
                    {r.officer.differs && <Badge tone="warning">Differs</Badge>}
                  </span>
                ) : <span className="muted">None yet</span>) },
            ]}
          />
        )}
      </StateView>
    </Card>
  );
}
