import Badge, { toneFor } from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import StateView from "../../../components/StateView.jsx";
import { humanize } from "../../../lib/format.js";

/** The policy's lending decision with its reasons and conditions (overall summary `recommendation`). */
export default function RecommendationCard({ recommendation, loading, error, onRetry }) {
  return (
    <Card title="Lending recommendation">
      <StateView loading={loading} error={error} onRetry={onRetry} loadingText="Loading the summary…"
        empty={!recommendation} emptyText="No recommendation computed yet.">
        {() => <Recommendation recommendation={recommendation} />}
      </StateView>
    </Card>
  );
}

function Recommendation({ recommendation }) {
  const reasons = Array.isArray(recommendation.reasons) ? recommendation.reasons : [];
  const conditions = Array.isArray(recommendation.conditions) ? recommendation.conditions : [];
  const decision = recommendation.decision || null;
  return (
    <div className="stack">
      <p className="decision">
        <span className="muted">Decision: </span>
        <Badge className="badge-large" tone={toneFor(decision)}>{decision ? humanize(decision) : "—"}</Badge>
        {decision && <span className="visually-hidden"> ({decision})</span>}
      </p>
      <div>
        <h3>Why</h3>
        {reasons.length ? (
          <ul className="reason-list">{reasons.map((r, i) => <li key={i}>{r}</li>)}</ul>
        ) : <p className="muted">No reasons given.</p>}
      </div>
      <div>
        <h3>Conditions</h3>
        {conditions.length ? (
          <ul className="reason-list">{conditions.map((c, i) => <li key={i}>{typeof c === "string" ? c : c?.text || JSON.stringify(c)}</li>)}</ul>
        ) : <p className="muted">None.</p>}
      </div>
      {recommendation.policy && <p className="muted small">Policy: {recommendation.policy}</p>}
    </div>
  );
}
