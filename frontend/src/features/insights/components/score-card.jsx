import Badge from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import Gauge from "../../../components/Gauge.jsx";
import StateView from "../../../components/StateView.jsx";
import { formatDate, formatNumber } from "../../../lib/format.js";

function Reasons({ title, items, sign }) {
  const list = Array.isArray(items) ? items : [];
  return (
    <div>
      <h3>{title}</h3>
      {list.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="reason-list">
          {list.map((r, i) => (
            <li key={r.code || i}>
              {r.text || r.title || r.factor}
              {typeof r.impact === "number" && (
                <span className="muted"> ({sign}{formatNumber(Math.abs(r.impact), { decimals: 1 })} pts{r.code ? `, ${r.code}` : ""})</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The reason codes that raised and lowered the score, with their impact in points. */
export function ScoreReasons({ data }) {
  if (!data?.reasons) return null;
  return (
    <Card title="Why this score" subtitle="Reason codes, strongest first">
      <div className="grid-2">
        <Reasons title="Raised the score" items={data.reasons.raised} sign="+" />
        <Reasons title="Lowered the score" items={data.reasons.lowered} sign="−" />
      </div>
    </Card>
  );
}

/**
 * The credit score (300–900) on a gauge with its score band's letter and the policy caps applied to it. The
 * risk grade is the PD band (in the case header); the score band's own risk words are not repeated here.
 */
export default function ScoreCard({ data, error, loading, onRetry }) {
  return (
    <Card title="Credit score" subtitle={data?.as_of ? `As of ${formatDate(data.as_of)}` : undefined}>
      <StateView loading={loading} error={error} onRetry={onRetry} empty={!loading && !error && !data} emptyText="No credit score computed yet.">
        {() => {
          const value = data.score?.value ?? data.metrics?.score?.value ?? null;
          const sufficiency = data.data_sufficiency;
          return (
            <div className="stack">
              <div className="row" style={{ justifyContent: "center" }}>
                <Gauge value={value} bands={data.bands} band={data.band} bandLabels={false} />
              </div>
              {sufficiency && sufficiency.sufficient === false && (
                <p className="banner banner-warning" role="note">
                  Thin file: {(sufficiency.reasons || []).join("; ") || "not enough data for a reliable score"}.
                </p>
              )}
              {(data.overlays || []).map((o) => (
                <p key={o.id} className="banner banner-warning" role="note">
                  <Badge tone="warning">Capped at {o.cap}</Badge> {o.reason}
                </p>
              ))}
            </div>
          );
        }}
      </StateView>
    </Card>
  );
}
