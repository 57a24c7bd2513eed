import Badge from "../../../components/Badge.jsx";
import MetricTile from "../../../components/MetricTile.jsx";
import { formatDate } from "../../../lib/format.js";

const rateTone = (metric) => {
  const v = metric?.value;
  if (typeof v !== "number") return undefined;
  return v >= 0.9 ? "good" : v >= 0.7 ? "warning" : "danger";
};

/** Risk level with its reasons, then the headline rates and counts (each tile opens its calculation). */
export default function ReconHeadline({ doc }) {
  const m = doc?.metrics || {};
  const reasons = (doc?.risk_reasons || []).filter(Boolean);
  const level = doc?.risk_level;
  return (
    <div className="stack">
      <div className="row">
        <span>Reconciliation risk</span>
        <Badge>{level || "—"}</Badge>
        {doc?.statement_end && <span className="muted">bank statement to {formatDate(doc.statement_end)}</span>}
      </div>
      {reasons.length > 0 ? (
        <ul className="reason-list" aria-label="Reconciliation risk reasons">
          {reasons.map((r, i) => <li key={i}>{r}</li>)}
        </ul>
      ) : (
        level && <p className="muted">No reconciliation risk reasons: declared GST, ONDC and bank credits agree within tolerance.</p>
      )}
      <div className="tiles">
        <MetricTile label="Reconciliation rate" metric={m.reconciliation_rate} as="percent" tone={rateTone(m.reconciliation_rate)} hint="items found in the bank" />
        <MetricTile label="Value reconciled" metric={m.reconciliation_value_rate} as="percent" tone={rateTone(m.reconciliation_value_rate)} />
        <MetricTile label="GST vs bank discrepancy" metric={m.overall_discrepancy_pct} hint="declared GST vs bank business credits" />
        <MetricTile label="ONDC settlement rate" metric={m.settlement_rate} as="percent" tone={rateTone(m.settlement_rate)} />
        <MetricTile label="Invoice value collected" metric={m.invoice_value_rate} as="percent" tone={rateTone(m.invoice_value_rate)} />
        <MetricTile label="Short-paid on matched items" metric={m.matched_value_gap_pct} hint="TDS withheld, short payments" />
        <MetricTile label="Matched items" metric={m.matched_items} />
        <MetricTile label="Overdue items" metric={m.overdue_items} tone={m.overdue_items?.value > 0 ? "danger" : undefined} />
        <MetricTile label="Unexplained bank credits" metric={m.unmatched_bank_credits} tone={m.unmatched_bank_credits?.value > 0 ? "warning" : undefined} />
        <MetricTile label="Mean match confidence" metric={m.mean_match_score} as="percent" />
        <MetricTile label="Months matched" metric={m.months_matched} />
        <MetricTile label="Months GST above bank" metric={m.months_gst_above_bank} />
        <MetricTile label="Months bank above GST" metric={m.months_bank_above_gst} />
      </div>
    </div>
  );
}
