import Card from "../../../components/Card.jsx";
import StateView from "../../../components/StateView.jsx";
import { formatNumber, formatPct } from "../../../lib/format.js";
import { isNotComputed } from "../api.js";
import DriverList from "./driver-list.jsx";
import RiskSummary from "./risk-summary.jsx";
import ShapWaterfall from "./shap-waterfall.jsx";

/** The risk model's verdict on one customer: PD, band, model validation and the top SHAP drivers. */
export default function RiskModelSection({ state }) {
  const { data, error, loading, reload } = state;
  const notComputed = isNotComputed(error);
  const drivers = data?.drivers || [];
  const pd = data?.metrics?.probability_of_default?.value;
  return (
    <Card title="Risk model" subtitle="Probability of default and what drove it">
      <StateView
        loading={loading}
        error={notComputed ? null : error}
        onRetry={reload}
        empty={notComputed || (!loading && !error && !data)}
        emptyText="The risk model has not been computed for this customer yet. Run the pipeline's score step (analysts: Pipeline Monitor) to compute it."
      >
        {() => (
          <div className="stack">
            <RiskSummary doc={data} />
            <div>
              <h3>Top {drivers.length || ""} risk drivers</h3>
              <p className="muted">
                Each bar is one input's SHAP attribution in log-odds: red bars raised this customer's risk, green bars lowered it.
                {typeof data.base_value === "number" && typeof data.margin === "number" && (
                  <> Base {formatNumber(data.base_value, { decimals: 2 })} + drivers + other inputs = {formatNumber(data.margin, { decimals: 2 })} log-odds
                    {typeof pd === "number" ? <>, which the calibrator turns into a probability of default of {formatPct(pd)}</> : null}.</>
                )}
              </p>
              <ShapWaterfall doc={data} />
              <DriverList drivers={drivers} />
            </div>
          </div>
        )}
      </StateView>
    </Card>
  );
}
