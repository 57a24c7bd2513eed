import Badge from "../../../components/Badge.jsx";
import MetricTile from "../../../components/MetricTile.jsx";
import { formatPct } from "../../../lib/format.js";

/** The headline, the portfolio of offers in four figures, the risk band used for pricing, and the policy. */
export default function RecsSummary({ doc }) {
  const m = doc?.metrics || {};
  const band = doc?.risk?.band?.value;
  const pd = doc?.risk?.probability_of_default?.value ?? doc?.customer_facts?.probability_of_default?.value;
  const notes = (doc?.notes || []).filter(Boolean);
  return (
    <div className="stack">
      {doc?.summary?.headline && <p className="recs-headline"><strong>{doc.summary.headline}</strong></p>}
      <div className="tiles">
        <MetricTile label="Eligible products" metric={m.eligible_products} />
        <MetricTile label="Largest eligible amount" metric={m.largest_eligible_amount} />
        <MetricTile label="New EMI capacity" metric={m.emi_capacity} hint="per month, from the cash-flow forecast" />
        <MetricTile label="Products not assessed" metric={m.products_not_assessed} />
      </div>
      {band && (
        <p>
          Priced for risk band <Badge>{band}</Badge>
          {typeof pd === "number" && <> (probability of default {formatPct(pd)})</>}
          {doc?.risk?.source && <span className="muted"> — from {doc.risk.source.replace(/_/g, " ")}</span>}
        </p>
      )}
      {doc?.policy?.alternatives && <p className="muted">Offers are alternatives: {doc.policy.alternatives}.</p>}
      {notes.length > 0 && <ul className="reason-list">{notes.map((n, i) => <li key={i}>{n}</li>)}</ul>}
    </div>
  );
}
