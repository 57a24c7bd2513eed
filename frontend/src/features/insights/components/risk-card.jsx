import Badge from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import MetricTile from "../../../components/MetricTile.jsx";
import StateView from "../../../components/StateView.jsx";
import { formatDate, formatNumber, plainWords } from "../../../lib/format.js";

const TOP_DRIVERS = 3;

/** Probability of default and risk band from the risk model, with the model version and validation AUC. */
export default function RiskCard({ data, error, loading, onRetry }) {
  return (
    <Card title="Default risk" subtitle="Risk model">
      <StateView loading={loading} error={error} onRetry={onRetry} empty={!loading && !error && !data}
        emptyText="The risk model has not scored this customer yet.">
        {() => {
          const band = data.metrics?.risk_band?.value;
          const auc = data.model?.metrics?.roc_auc?.mean;
          const drivers = (data.drivers || []).slice(0, TOP_DRIVERS);
          return (
            <div className="stack">
              <div className="tiles">
                <MetricTile label="Probability of default" metric={data.metrics?.probability_of_default} />
                <div className="metric-tile" role="group" aria-label={`Risk band: ${band || "not available"}`}>
                  <span className="metric-label">Risk band</span>
                  <span className="metric-value"><Badge>{band || "—"}</Badge></span>
                </div>
              </div>
              {drivers.length > 0 && (
                <div>
                  <h3>Main drivers</h3>
                  <ul className="reason-list">
                    {drivers.map((d) => <li key={d.feature}>{plainWords(d.text || d.description)}</li>)}
                  </ul>
                </div>
              )}
              <p className="muted">
                Model {data.model?.version || "—"}
                {typeof auc === "number" && <> · validation AUC {formatNumber(auc, { decimals: 2 })}</>}
                {data.model?.trained_at && <> · trained {formatDate(data.model.trained_at)}</>}
              </p>
            </div>
          );
        }}
      </StateView>
    </Card>
  );
}
