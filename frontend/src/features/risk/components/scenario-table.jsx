import MetricTile from "../../../components/MetricTile.jsx";
import { formatINR, formatMonth } from "../../../lib/format.js";
import { SCENARIO_LABELS, SCENARIO_ORDER, runwayText } from "../model.js";

/**
 * The three scenarios side by side: monthly net, total, funds at the end of the horizon, and the runway in
 * words (a null runway is "beyond the horizon", not zero).
 */
export default function ScenarioTable({ doc }) {
  const scenarios = doc?.scenarios || {};
  const runway = doc?.runway || {};
  const present = SCENARIO_ORDER.filter((s) => scenarios[s] || runway[s]);
  if (!present.length) return <p className="muted">No scenarios were computed.</p>;
  const months = scenarios.base?.months || present.map((s) => scenarios[s]?.months).find(Boolean) || [];
  const horizon = doc?.horizon_months;
  return (
    <div className="stack">
      <div className="tiles">
        {present.map((s) => {
          const metric = runway[s] || doc?.metrics?.[`runway_months_${s}`];
          const words = runwayText(metric, horizon);
          const tone = typeof metric?.value === "number" ? (metric.value < (horizon ?? 3) ? "danger" : "warning") : undefined;
          // A null runway is a result ("beyond the horizon"), so the tile shows it in words, not as "—".
          const shown = metric ? { ...metric, value: words } : undefined;
          return <MetricTile key={s} label={`Runway — ${SCENARIO_LABELS[s]}`} metric={shown} tone={tone} />;
        })}
      </div>
      <div className="table-scroll" role="region" aria-label="Scenarios" tabIndex={0}>
        <table>
          <caption className="visually-hidden">Forecast scenarios: monthly net, total and projected funds</caption>
          <thead>
            <tr>
              <th scope="col">Scenario</th>
              {months.map((m) => <th key={m} scope="col" className="num">Net {formatMonth(m)}</th>)}
              <th scope="col" className="num">Total net</th>
              <th scope="col" className="num">Funds at end</th>
              <th scope="col">Runway</th>
            </tr>
          </thead>
          <tbody>
            {present.map((s) => {
              const plan = scenarios[s] || {};
              const funds = plan.projected_funds || [];
              return (
                <tr key={s}>
                  <th scope="row" title={plan.definition}>{SCENARIO_LABELS[s]}</th>
                  {months.map((m, i) => <td key={m} className="num">{formatINR(plan.monthly_net?.[i])}</td>)}
                  <td className="num">{formatINR(plan.total_net)}</td>
                  <td className="num">{formatINR(funds[funds.length - 1])}</td>
                  <td>{runwayText(runway[s], horizon)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
