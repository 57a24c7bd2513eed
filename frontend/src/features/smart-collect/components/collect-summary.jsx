import MetricTile from "../../../components/MetricTile.jsx";
import { formatINR } from "../../../lib/format.js";
import { ordinal, windowText } from "../labels.js";

/** The plan in four figures, the customer's optimal collection window and the days money usually arrives. */
export default function CollectSummary({ doc }) {
  const m = doc?.metrics || {};
  const window = doc?.optimal_window;
  const inflowDays = (doc?.typical_inflow_days || []).filter((d) => typeof d?.day === "number");
  return (
    <div className="stack">
      <div className="tiles">
        <MetricTile label="Obligations" metric={m.obligations} />
        <MetricTile label="Monthly collections due" metric={m.monthly_obligation_total} />
        <MetricTile label="Average success probability" metric={m.avg_success_probability} />
        <MetricTile label="At-risk collections" metric={m.at_risk_collections} tone={m.at_risk_collections?.value > 0 ? "danger" : undefined} />
      </div>
      {window && (
        <p>
          Best collection window: <strong>{windowText(window)}</strong>
          {typeof window.median_available_balance === "number" && <>, when the account holds a median {formatINR(window.median_available_balance)}</>}.
        </p>
      )}
      {inflowDays.length > 0 && (
        <p className="muted">
          Business credits usually arrive on the {inflowDays.map((d) => ordinal(d.day)).join(", ")} of the month.
        </p>
      )}
    </div>
  );
}
