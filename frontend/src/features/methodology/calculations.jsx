import { useId, useMemo, useState } from "react";
import Card from "../../components/Card.jsx";
import StateView from "../../components/StateView.jsx";
import { formatNumber } from "../../lib/format.js";
import { listMetrics, searchMetrics, useAnalyticsBundle } from "./api.js";
import MetricDetail from "./components/metric-detail.jsx";
import MetricList from "./components/metric-list.jsx";
import "./methodology.css";

const FIRST = "credit_score.score";

/**
 * Calculations: every metric of the customer's analytics, searchable; the chosen one shows its value, unit,
 * formula, inputs and explanation — a worked example with this customer's own numbers.
 */
export default function CalculationsPage({ customerId }) {
  const { data, error, loading, reload } = useAnalyticsBundle(customerId);
  const [query, setQuery] = useState("");
  const [selected, setSelected] = useState(null);
  const searchId = useId();
  const all = useMemo(() => listMetrics(data), [data]);
  const found = useMemo(() => searchMetrics(all, query), [all, query]);
  const current = found.find((m) => m.id === selected) || found.find((m) => m.id === FIRST) || found[0] || null;

  return (
    <Card title="Calculations" subtitle="How each figure of this customer was computed: formula, inputs and result.">
      <StateView loading={loading} error={error} onRetry={reload} empty={Boolean(data) && all.length === 0}
        emptyText="No metrics have been computed for this customer yet: run the analyze step." loadingText="Loading the analytics…">
        {() => (
          <div className="calculations">
            <div className="calculations-browse">
              <div className="field">
                <label htmlFor={searchId}>Search metrics</label>
                <input id={searchId} type="search" value={query} placeholder="e.g. FOIR, bounce, GST"
                  onChange={(e) => setQuery(e.target.value)} />
              </div>
              <p className="muted calc-count" aria-live="polite">
                {formatNumber(found.length)} of {formatNumber(all.length)} metrics
                {data.missing?.length ? ` · not computed yet: ${data.missing.join(", ")}` : ""}
              </p>
              {found.length === 0
                ? <p className="muted">No metric matches “{query}”.</p>
                : <MetricList items={found} selectedId={current?.id} onSelect={setSelected} />}
            </div>
            <div className="calculations-detail">
              {current && <MetricDetail item={current} customerId={customerId} />}
            </div>
          </div>
        )}
      </StateView>
    </Card>
  );
}
