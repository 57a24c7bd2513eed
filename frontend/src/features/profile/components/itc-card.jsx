import Badge from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import { formatINR, formatMonth, formatNumber, formatPct } from "../../../lib/format.js";

const TITLE = "ITC claimed vs available (GSTR-2B)";

/**
 * ITC claimed in GSTR-3B against what suppliers' filings make available in GSTR-2B (gst_summary.itc_check):
 * the months claiming well above it, each with claimed, available and excess, so an officer sees the excess-ITC
 * red flag on the figures behind it. Says why when there is no GSTR-2B to check against.
 */
export default function ItcCard({ check }) {
  if (!check) return null;
  if (check.value === null || check.value === undefined) {
    return (
      <Card title={TITLE} headingLevel={3}>
        <p className="state state-compact">Not checked: {check.reason || "no GSTR-2B in the data"}.</p>
      </Card>
    );
  }
  const inputs = check.inputs || {};
  const months = inputs.months || [];
  const assessed = formatNumber(inputs.months_assessed);
  const limits = `more than ${formatPct(inputs.min_excess_ratio, 0)} and ${formatINR(inputs.min_excess_inr)}`;
  return (
    <Card title={TITLE} headingLevel={3} subtitle={check.formula}>
      {months.length === 0 ? (
        <p>No month claims ITC {limits} above GSTR-2B ({assessed} months checked).</p>
      ) : (
        <>
          <p>
            <Badge tone="warning">{formatNumber(months.length)} of {assessed} months claim ITC above GSTR-2B</Badge>{" "}
            (flagged when the excess is {limits}).
          </p>
          <table>
            <caption className="visually-hidden">Months claiming ITC above GSTR-2B</caption>
            <thead>
              <tr><th>Return period</th><th className="num">Claimed (3B)</th><th className="num">Available (2B)</th>
                <th className="num">Excess</th><th className="num">Excess %</th></tr>
            </thead>
            <tbody>
              {months.map((month, i) => (
                <tr key={month}>
                  <td>{formatMonth(month)}</td>
                  <td className="num">{formatINR(inputs.claimed?.[i])}</td>
                  <td className="num">{formatINR(inputs.available?.[i])}</td>
                  <td className="num"><strong>{formatINR(inputs.excess?.[i])}</strong></td>
                  <td className="num">{formatPct(inputs.excess_ratio?.[i])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Card>
  );
}
