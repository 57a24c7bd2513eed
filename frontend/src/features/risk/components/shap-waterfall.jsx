import {
  Bar, BarChart, CartesianGrid, Cell, ChartFrame, ReferenceLine, Tooltip, XAxis, YAxis,
} from "../../../components/charts.jsx";
import { formatNumber, formatPct } from "../../../lib/format.js";
import { signed, waterfall, wrapLabel } from "../model.js";

const FILL = { up: "var(--danger)", down: "var(--good)", other: "var(--muted)" };
const FONT_PX = 11;
const LINE_PX = 13;
const CHAR_PX = 6.6; // a generous average width of an 11 px character, so the widest line always fits
const LINE_CHARS = 26;

/** A feature's name on the y-axis: wrapped between words onto up to three lines, the full name as tooltip. */
function DriverTick({ x, y, payload }) {
  const full = String(payload?.value ?? "");
  const lines = wrapLabel(full, LINE_CHARS);
  const first = -((lines.length - 1) * LINE_PX) / 2;
  return (
    <g className="risk-driver-tick">
      <title>{full}</title>
      <text x={x} y={y} textAnchor="end" dominantBaseline="central" fontSize={FONT_PX} fill="var(--muted)">
        {lines.map((line, i) => <tspan key={i} x={x} dy={i === 0 ? first : LINE_PX}>{line}</tspan>)}
      </text>
    </g>
  );
}

/** The y-axis width that holds the longest wrapped line of `labels`, and the row height that holds the most lines. */
export function axisFit(labels) {
  const wrapped = labels.map((label) => wrapLabel(label, LINE_CHARS));
  const chars = Math.max(0, ...wrapped.flat().map((line) => line.length));
  const lines = Math.max(1, ...wrapped.map((w) => w.length));
  return { width: Math.ceil(chars * CHAR_PX) + 14, rowHeight: Math.max(28, lines * LINE_PX + 8) };
}

function TooltipBody({ active, payload }) {
  const row = active && payload?.[0]?.payload;
  if (!row) return null;
  const what = row.kind === "up" ? "raised risk" : row.kind === "down" ? "lowered risk" : null;
  return (
    <div className="risk-tooltip">
      <strong>{row.label}</strong>
      <div>{`${signed(row.delta)} log-odds${what ? `: ${what}` : ""}`}</div>
    </div>
  );
}

/**
 * SHAP waterfall: from the portfolio's base log-odds (a marked line), each top driver pushes the customer's
 * log-odds up (red, raises risk) or down (green, lowers risk), then the rest of the inputs together, ending
 * at the customer's prediction (the second marked line).
 */
export default function ShapWaterfall({ doc }) {
  const w = waterfall(doc);
  if (!w || !w.rows.length) return <p className="muted">No SHAP attributions to draw.</p>;
  const fit = axisFit(w.rows.map((r) => r.label));
  const pd = doc?.metrics?.probability_of_default?.value;
  const up = w.rows.filter((r) => r.kind === "up").length;
  const down = w.rows.filter((r) => r.kind === "down").length;
  const summary = `From a base of ${formatNumber(w.base, { decimals: 2 })} log-odds to ${formatNumber(w.prediction, { decimals: 2 })}`
    + `${typeof pd === "number" ? ` (probability of default ${formatPct(pd)})` : ""}; ${up} driver(s) raised risk and ${down} lowered it.`;
  // Two labels at the top of the plot; the prediction's sits one line higher so they never overlap, and each
  // reads away from the nearer edge so a narrow screen does not clip it.
  const anchor = (x) => ((x - w.domain[0]) / (w.domain[1] - w.domain[0]) > 0.5
    ? { textAnchor: "end", dx: 4 } : { textAnchor: "start", dx: -4 });
  return (
    <ChartFrame label="Risk drivers: SHAP waterfall from base value to prediction (log-odds)" summary={summary} height={Math.max(240, w.rows.length * fit.rowHeight + 80)}>
      <BarChart data={w.rows} layout="vertical" margin={{ top: 36, right: 24, bottom: 4, left: 4 }}>
        <CartesianGrid horizontal={false} strokeDasharray="3 3" />
        <XAxis type="number" domain={w.domain} allowDataOverflow tickFormatter={(v) => formatNumber(v, { decimals: 1 })} />
        <YAxis type="category" dataKey="label" width={fit.width} tick={<DriverTick />} interval={0} />
        <ReferenceLine x={w.base} stroke="var(--chart-1)" strokeDasharray="4 3"
          label={{ value: `Base ${formatNumber(w.base, { decimals: 2 })}`, position: "top", fontSize: 11, fill: "var(--chart-1)", ...anchor(w.base) }} />
        <ReferenceLine x={w.prediction} stroke="var(--chart-4)" strokeWidth={2}
          label={{ value: `Prediction ${formatNumber(w.prediction, { decimals: 2 })}`, position: "top", dy: -14, fontSize: 11, fill: "var(--chart-4)", ...anchor(w.prediction) }} />
        <Tooltip content={<TooltipBody />} />
        <Bar dataKey="range" isAnimationActive={false}>
          {w.rows.map((r) => <Cell key={r.key} fill={FILL[r.kind]} />)}
        </Bar>
      </BarChart>
    </ChartFrame>
  );
}
