import {
  Bar, BarChart, CartesianGrid, Cell, ChartFrame, Legend, Tooltip, XAxis, YAxis,
} from "../../../components/charts.jsx";
import { formatNumber } from "../../../lib/format.js";
import { binDistribution, dayMovement } from "../model.js";

const BAND_COLOURS = { LOW: "var(--good)", MODERATE: "var(--warning)", ELEVATED: "var(--warning-2)", HIGH: "var(--danger)" };
const NAMES = { start: "At the start of today", now: "Now" };
const count = (n, word) => `${formatNumber(n)} ${word}${n === 1 ? "" : "s"}`;

/** Today's movement in words: how many loans' PD rose or fell, and band crossings each way. */
export function MovementText({ rows, bands }) {
  const m = dayMovement(rows, bands);
  return (
    <p className="pf-movement" data-testid="pd-movement">
      Since the start of today: <strong className="pf-up">{count(m.up, "loan")} up</strong>,{" "}
      <strong className="pf-down">{formatNumber(m.down)} down</strong>, {formatNumber(m.same)} unchanged;{" "}
      {count(m.worseBand, "move")} into a riskier band, {count(m.betterBand, "move")} into a safer one.
    </p>
  );
}

/**
 * The PD distribution as a histogram: loans per PD bin at the start of today (grey) and now (coloured by the
 * bin's band). The bins' edges include the band cut-offs. A table under it gives the same counts.
 */
export default function DistributionChart({ rows, bands }) {
  const bins = binDistribution(rows, bands);
  const summary = bins.filter((b) => b.now || b.start)
    .map((b) => `${b.label}: ${formatNumber(b.start)} at the start of today, ${formatNumber(b.now)} now`).join("; ");
  return (
    <div className="stack pf-distribution">
      <MovementText rows={rows} bands={bands} />
      <ChartFrame label="PD distribution: start of today vs now" summary={summary || "No loan has a PD yet."} height={240}>
        <BarChart data={bins} margin={{ top: 8, right: 8, bottom: 4, left: 0 }} barGap={2}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" interval={0} tick={{ fontSize: 10 }} angle={-30} textAnchor="end" height={44} />
          <YAxis allowDecimals={false} width={32} />
          <Tooltip formatter={(v, name) => [count(v, "loan"), NAMES[name] || name]} labelFormatter={(l) => `PD ${l}`} />
          <Legend formatter={(name) => <span className="pf-legend-text">{NAMES[name] || name}</span>} />
          <Bar dataKey="start" fill="var(--muted)" fillOpacity={0.35} isAnimationActive={false} />
          <Bar dataKey="now" fill="var(--chart-1)" isAnimationActive={false}>
            {bins.map((b) => <Cell key={b.label} fill={BAND_COLOURS[b.band] || "var(--chart-1)"} />)}
          </Bar>
        </BarChart>
      </ChartFrame>
      <p className="legend" aria-hidden="true">
        “Now” bars are coloured by band:
        {bands.map((b) => (
          <span key={b.band}><span className="legend-swatch" style={{ background: BAND_COLOURS[b.band] || "var(--chart-1)" }} />{b.band}</span>
        ))}
      </p>
      <details className="pf-details">
        <summary>Counts per PD bin</summary>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Loans per PD bin</caption>
            <thead><tr><th scope="col">PD</th><th scope="col">Band</th><th scope="col" className="num">Start of today</th><th scope="col" className="num">Now</th></tr></thead>
            <tbody>
              {bins.map((b) => (
                <tr key={b.label}><td>{b.label}</td><td>{b.band}</td><td className="num">{formatNumber(b.start)}</td><td className="num">{formatNumber(b.now)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
