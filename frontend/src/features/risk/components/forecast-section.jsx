import Card from "../../../components/Card.jsx";
import MetricTile from "../../../components/MetricTile.jsx";
import StateView from "../../../components/StateView.jsx";
import { formatDate } from "../../../lib/format.js";
import { isNotComputed } from "../api.js";
import Backtest from "./backtest.jsx";
import ForecastChart from "./forecast-chart.jsx";
import FundsChart from "./funds-chart.jsx";
import RiskFlags from "./risk-flags.jsx";
import ScenarioTable from "./scenario-table.jsx";

/** The cash-flow forecast: chart, totals, suggested EMI ceiling, scenarios and runway, flags, back-test. */
export default function ForecastSection({ state }) {
  const { data, error, loading, reload } = state;
  const notComputed = isNotComputed(error);
  const horizon = data?.horizon_months;
  const metrics = data?.metrics || {};
  return (
    <Card
      title="Cash-flow forecast"
      subtitle={horizon ? `Next ${horizon} month${horizon === 1 ? "" : "s"}${data?.as_of ? ` from ${formatDate(data.as_of)}` : ""}` : undefined}
    >
      <StateView
        loading={loading}
        error={notComputed ? null : error}
        onRetry={reload}
        empty={notComputed || (!loading && !error && !data)}
        emptyText="The cash-flow forecast has not been computed for this customer yet. Run the pipeline's models step to compute it."
      >
        {() => (
          <div className="stack">
            {data.reason && <p role="note" className="muted">Forecast not available: {data.reason}</p>}
            <div className="tiles">
              <MetricTile label="Forecast inflow" metric={metrics.forecast_inflow_total} />
              <MetricTile label="Forecast outflow" metric={metrics.forecast_outflow_total} />
              <MetricTile label="Forecast net" metric={metrics.forecast_net_total}
                tone={typeof metrics.forecast_net_total?.value === "number" && metrics.forecast_net_total.value < 0 ? "danger" : undefined} />
              <MetricTile label="Suggested max new EMI" metric={data.suggested_max_emi || metrics.suggested_max_emi}
                hint="per month, for a new loan" />
            </div>
            <ForecastChart doc={data} />
            <section aria-labelledby="forecast-scenarios">
              <h3 id="forecast-scenarios">Scenarios and runway</h3>
              <ScenarioTable doc={data} />
              <FundsChart doc={data} />
            </section>
            <section aria-labelledby="forecast-flags">
              <h3 id="forecast-flags">Risk flags</h3>
              <RiskFlags flags={data.risk_flags} />
            </section>
            <section aria-labelledby="forecast-backtest">
              <h3 id="forecast-backtest">Back-test accuracy</h3>
              <Backtest doc={data} />
            </section>
            {Array.isArray(data.notes) && data.notes.length > 0 && (
              <details>
                <summary>Data notes ({data.notes.length})</summary>
                <ul className="reason-list">{data.notes.map((n, i) => <li key={i}>{n}</li>)}</ul>
              </details>
            )}
          </div>
        )}
      </StateView>
    </Card>
  );
}
