import {
  CartesianGrid, ChartFrame, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis, inrTick,
} from "../../../components/charts.jsx";
import { formatINR, formatMonth } from "../../../lib/format.js";
import { SCENARIO_LABELS, fundsChartRows } from "../model.js";

const COLOURS = { base: "var(--chart-1)", optimistic: "var(--good)", pessimistic: "var(--danger)" };
const tick = (v) => (v === "Now" ? "Now" : formatMonth(v));

/** Available funds (balance + OD/CC limit) projected under each scenario; below zero the money has run out. */
export default function FundsChart({ doc }) {
  const rows = fundsChartRows(doc);
  if (rows.length < 2) return null;
  const end = rows[rows.length - 1];
  const summary = `Available funds at the end of the horizon: base ${formatINR(end.base, { compact: true })}, `
    + `optimistic ${formatINR(end.optimistic, { compact: true })}, pessimistic ${formatINR(end.pessimistic, { compact: true })}.`;
  return (
    <ChartFrame label="Projected available funds by scenario" summary={summary} height={240}>
      <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="month" tickFormatter={tick} />
        <YAxis tickFormatter={inrTick} width={80} />
        <Tooltip formatter={(value, name) => [formatINR(value), SCENARIO_LABELS[name] || name]} labelFormatter={tick} />
        <Legend formatter={(name) => SCENARIO_LABELS[name] || name} />
        <ReferenceLine y={0} stroke="var(--danger)" strokeDasharray="4 4" label={{ value: "funds run out", position: "insideBottomLeft", fontSize: 11 }} />
        {["optimistic", "base", "pessimistic"].map((s) => (
          <Line key={s} dataKey={s} stroke={COLOURS[s]} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false}
            strokeDasharray={s === "base" ? undefined : "5 4"} />
        ))}
      </LineChart>
    </ChartFrame>
  );
}
