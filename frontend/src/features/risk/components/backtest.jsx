import MetricTile from "../../../components/MetricTile.jsx";
import { formatINR, formatPercentValue } from "../../../lib/format.js";

const isNumber = (v) => typeof v === "number" && Number.isFinite(v);

/** The verdict sentence: does the model beat the seasonal-naive baseline on the held-back months? */
function verdict(model, naive) {
  if (!isNumber(model) || !isNumber(naive)) return null;
  if (model < naive) return `The model's error (${formatPercentValue(model)}) beats the seasonal-naive baseline (${formatPercentValue(naive)}).`;
  if (model > naive) return `The model's error (${formatPercentValue(model)}) is worse than the seasonal-naive baseline (${formatPercentValue(naive)}): read the forecast with care.`;
  return `The model and the seasonal-naive baseline are equally accurate (${formatPercentValue(model)}).`;
}

/** Back-test accuracy: model MAPE against the seasonal-naive MAPE, overall and per series. */
export default function Backtest({ doc }) {
  const bt = doc?.backtest || {};
  const metrics = doc?.metrics || {};
  if (bt.available === false || (!bt.available && !metrics.backtest_mape)) {
    return <p className="muted">No back-test: {bt.reason || metrics.backtest_mape?.reason || "not enough history"}.</p>;
  }
  const modelMape = metrics.backtest_mape?.value ?? bt.mape;
  const naiveMape = metrics.seasonal_naive_mape?.value ?? bt.baseline_mape;
  const series = ["inflow", "outflow"].filter((s) => bt[s]);
  const text = verdict(modelMape, naiveMape);
  return (
    <div className="stack">
      <div className="tiles">
        <MetricTile label="Model MAPE (back-test)" metric={metrics.backtest_mape} />
        <MetricTile label="Seasonal-naive MAPE" metric={metrics.seasonal_naive_mape} />
      </div>
      {text && <p>{text}</p>}
      {(series.length > 0 || bt.net) && (
        <div className="table-scroll" role="region" aria-label="Back-test by series" tabIndex={0}>
          <table>
            <caption className="visually-hidden">Back-test errors by series</caption>
            <thead>
              <tr>
                <th scope="col">Series</th>
                <th scope="col" className="num">Model MAPE</th>
                <th scope="col" className="num">Naive MAPE</th>
                <th scope="col" className="num">Model MAE</th>
                <th scope="col" className="num">Naive MAE</th>
              </tr>
            </thead>
            <tbody>
              {series.map((s) => (
                <tr key={s}>
                  <th scope="row">{s === "inflow" ? "Inflow" : "Outflow"}</th>
                  <td className="num">{formatPercentValue(bt[s].model_errors?.mape)}</td>
                  <td className="num">{formatPercentValue(bt[s].baseline_errors?.mape)}</td>
                  <td className="num">{formatINR(bt[s].model_errors?.mae)}</td>
                  <td className="num">{formatINR(bt[s].baseline_errors?.mae)}</td>
                </tr>
              ))}
              {bt.net && (
                <tr>
                  <th scope="row">Net</th>
                  <td className="num" colSpan={2}>{bt.net.note ? <span className="muted">{bt.net.note}</span> : "—"}</td>
                  <td className="num">{formatINR(bt.net.model_mae)}</td>
                  <td className="num">{formatINR(bt.net.baseline_mae)}</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {bt.method && <p className="muted">Method: {bt.method}. Baseline: {bt.baseline || "seasonal naive"}.</p>}
    </div>
  );
}
