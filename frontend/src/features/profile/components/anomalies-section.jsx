import Badge from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import DataTable from "../../../components/DataTable.jsx";
import StateView from "../../../components/StateView.jsx";
import { formatDate, formatDateTime, formatINR, formatNumber, humanize } from "../../../lib/format.js";

const SEVERITY_ORDER = { HIGH: 0, MEDIUM: 1, LOW: 2, NONE: 3 };

/** A flagged transaction's id as a link to the Transactions section filtered by that id. */
function TxnLink({ txnId, onShowTransaction }) {
  if (!txnId) return "—";
  return (
    <button type="button" className="link-button mono" onClick={() => onShowTransaction(txnId)}
      aria-label={`Show transaction ${txnId} in Transactions`}>
      {txnId}
    </button>
  );
}

function flaggedColumns(onShowTransaction) {
  return [
    { key: "date", header: "Date", render: (r) => formatDate(r.date) },
    { key: "txnId", header: "Txn id", render: (r) => (
      <span className="row">
        <TxnLink txnId={r.txnId} onShowTransaction={onShowTransaction} />
        {r.debit_txn_id && <>↔ <TxnLink txnId={r.debit_txn_id} onShowTransaction={onShowTransaction} /></>}
      </span>
    ) },
    { key: "amount", header: "Amount", align: "right", render: (r) => formatINR(r.amount) },
    { key: "counterparty", header: "Counterparty / category", render: (r) => r.counterparty || (r.category ? humanize(r.category) : r.title) },
    { key: "detail", header: "Detail", sortable: false, render: (r) => r.detail || (Array.isArray(r.months) ? `${r.months.length} months` : r.title) },
  ];
}

function RuleCard({ rule, onShowTransaction }) {
  const flagged = Array.isArray(rule.flagged) ? rule.flagged : [];
  const count = rule.count?.value ?? flagged.length;
  return (
    <Card
      headingLevel={4}
      title={rule.title || humanize(rule.id)}
      subtitle={rule.description}
      actions={<span className="row"><Badge>{rule.severity || "NONE"}</Badge><span>{formatNumber(count)} flagged</span></span>}
    >
      {rule.threshold && <p className="muted small">Rule: {rule.threshold}</p>}
      {flagged.length > 0 && (
        <DataTable
          caption={`${rule.title || rule.id}: flagged items`}
          captionHidden
          rows={flagged}
          rowKey={(r, i) => `${r.txnId || r.code}-${i}`}
          pageSize={5}
          columns={flaggedColumns(onShowTransaction)}
        />
      )}
    </Card>
  );
}

/**
 * Anomalies: the rule-based checks (each with the transactions it flagged) and the machine-learning list
 * with its reasons. Every flagged txnId opens the Transactions section filtered by that id.
 */
export default function AnomaliesSection({ data, error, loading, onRetry, onShowTransaction }) {
  return (
    <StateView loading={loading} error={error} onRetry={onRetry} empty={!loading && !error && !data}
      emptyText="No anomaly analysis for this customer yet.">
      {() => {
        const rules = (Array.isArray(data.rules?.rules) ? data.rules.rules : [])
          .slice().sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 4) - (SEVERITY_ORDER[b.severity] ?? 4));
        const fired = rules.filter((r) => (r.count?.value ?? r.flagged?.length ?? 0) > 0);
        const quiet = rules.filter((r) => !fired.includes(r));
        const ml = data.ml;
        const mlFlagged = Array.isArray(ml?.flagged) ? ml.flagged : [];
        return (
          <div className="stack">
            <Card title="Rule-based checks" headingLevel={3}
              subtitle={`Overall severity ${data.rules?.severity || "—"} · ${formatNumber(fired.length)} of ${formatNumber(rules.length)} rules fired`}>
              <div className="stack">
                {fired.length === 0 && <p className="muted">No rule fired.</p>}
                {fired.map((rule) => <RuleCard key={rule.id} rule={rule} onShowTransaction={onShowTransaction} />)}
                {quiet.length > 0 && (
                  <p className="muted small">Also checked, nothing flagged: {quiet.map((r) => r.title || r.id).join(", ")}.</p>
                )}
              </div>
            </Card>
            <Card title="Machine-learning anomalies" headingLevel={3}
              subtitle={ml ? "Transactions the Isolation Forest found most unusual, with the reasons" : undefined}>
              {!ml ? (
                <p className="muted">The machine-learning model has not scored this customer yet.</p>
              ) : (
                <DataTable
                  caption="Transactions flagged by the model"
                  captionHidden
                  rows={mlFlagged}
                  rowKey={(r, i) => `${r.txnId}-${i}`}
                  pageSize={10}
                  initialSort={{ key: "rank", order: "asc" }}
                  emptyText="The model flagged nothing."
                  columns={[
                    { key: "rank", header: "Rank", align: "right" },
                    { key: "txnId", header: "Txn id", render: (r) => <TxnLink txnId={r.txnId} onShowTransaction={onShowTransaction} /> },
                    { key: "timestamp", header: "Date", render: (r) => formatDateTime(r.timestamp) },
                    { key: "amount", header: "Amount", align: "right", render: (r) => formatINR(r.amount) },
                    { key: "anomaly_score", header: "Score", align: "right", render: (r) => formatNumber(r.anomaly_score, { decimals: 2 }) },
                    { key: "reasons", header: "Why", sortable: false, value: (r) => (r.reasons || []).join("; "), render: (r) => (
                      <ul className="reason-list">
                        {(r.reasons || []).map((x, i) => <li key={i}>{x}</li>)}
                        {(r.rules_also_flagging || []).length > 0 && <li>Also flagged by: {r.rules_also_flagging.map(humanize).join(", ")}</li>}
                      </ul>
                    ) },
                  ]}
                />
              )}
            </Card>
          </div>
        );
      }}
    </StateView>
  );
}
