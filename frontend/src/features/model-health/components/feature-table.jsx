import Badge from "../../../components/Badge.jsx";
import { formatNumber } from "../../../lib/format.js";
import { statusOf } from "../model.js";

const fixed = (v, decimals = 3) => (v === null || v === undefined ? "—" : formatNumber(v, { decimals }));
const signed = (v) => (v === null || v === undefined ? "—" : `${v > 0 ? "+" : ""}${formatNumber(v, { decimals: 3 })}`);

/** The top drivers' CSI with the shift of the log-odds their movement explains. */
export function DriversTable({ month }) {
  return (
    <div className="table-scroll" role="region" aria-label={`Top drivers in ${month.month}`} tabIndex={0}>
      <table>
        <caption className="visually-hidden">Characteristic stability of the model's top drivers in {month.month}</caption>
        <thead>
          <tr><th scope="col">Input</th><th scope="col" className="num">CSI</th><th scope="col">Status</th>
            <th scope="col" className="num" title="sum of (month share − training share) × mean SHAP of the bin">Score shift (log-odds)</th></tr>
        </thead>
        <tbody>
          {month.top_drivers.map((d) => (
            <tr key={d.feature}>
              <td>{d.description}</td>
              <td className="num">{fixed(d.csi)}</td>
              <td><Badge tone={statusOf(d.status).tone}>{statusOf(d.status).label}</Badge></td>
              <td className="num">{signed(d.attribution_shift)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every model input's PSI in a month, largest first. */
export function FeatureTable({ month }) {
  return (
    <div className="table-scroll" role="region" aria-label={`Input stability in ${month.month}`} tabIndex={0}>
      <table>
        <caption className="visually-hidden">PSI of every model input in {month.month}, largest first</caption>
        <thead>
          <tr><th scope="col">Input</th><th scope="col" className="num">PSI</th><th scope="col">Status</th></tr>
        </thead>
        <tbody>
          {month.features.map((f) => (
            <tr key={f.feature} data-feature={f.feature}>
              <td>{f.description}</td>
              <td className="num">{fixed(f.psi)}</td>
              <td><Badge tone={statusOf(f.status).tone}>{statusOf(f.status).label}</Badge></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
