import {
  Area, CartesianGrid, ChartFrame, ComposedChart, Legend, Line, ReferenceLine, Tooltip, XAxis, YAxis, inrTick, monthTick,
} from "../../../components/charts.jsx";
import { formatINR, formatMonth } from "../../../lib/format.js";
import { forecastChartRows } from "../model.js";

const NAMES = {
  inflow: "Inflow (actual)", outflow: "Outflow (actual)", net: "Net (actual)",
  inflowForecast: "Inflow (forecast)", outflowForecast: "Outflow (forecast)", netForecast: "Net (forecast, base)",
  netBand: "Net interval (pessimistic–optimistic)", inflowBand: "Inflow interval", outflowBand: "Outflow interval",
};

function tooltipValue(value, name) {
  if (Array.isArray(value)) return [`${formatINR(value[0])} to ${formatINR(value[1])}`, NAMES[name] || name];
  return [formatINR(value), NAMES[name] || name];
}

/**
 * Monthly inflow, outflow and net: actual history as solid lines, the forecast dashed, with the forecast
 * interval as a band (the net band's edges are the pessimistic and optimistic scenarios).
 */
export default function ForecastChart({ doc }) {
  const rows = forecastChartRows(doc);
  if (!rows.length) return <p className="muted">No monthly history to draw.</p>;
  const level = typeof doc?.interval_level === "number" ? `${Math.round(doc.interval_level * 100)}%` : "the";
  const first = doc?.forecast?.[0]?.month;
  const last = doc?.forecast?.[doc.forecast.length - 1]?.month;
  const summary = first
    ? `Actual monthly flows up to ${formatMonth(doc.history?.[doc.history.length - 1]?.month)}, then the forecast from ${formatMonth(first)} to ${formatMonth(last)} with ${level} intervals.`
    : "Actual monthly flows; no forecast.";
  const boundary = doc?.history?.length ? doc.history[doc.history.length - 1].month : null;
  return (
    <ChartFrame label={`Cash flow: history and forecast with ${level} interval`} summary={summary} height={320}>
      <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="month" tickFormatter={monthTick} minTickGap={16} />
        <YAxis tickFormatter={inrTick} width={80} />
        <Tooltip formatter={tooltipValue} labelFormatter={monthTick} />
        <Legend formatter={(name) => NAMES[name] || name} />
        {boundary && <ReferenceLine x={boundary} stroke="var(--muted)" strokeDasharray="2 4" label={{ value: "forecast →", position: "insideTopRight", fontSize: 11 }} />}
        <ReferenceLine y={0} stroke="var(--border)" />
        <Area dataKey="inflowBand" stroke="none" fill="var(--chart-1)" fillOpacity={0.08} isAnimationActive={false} legendType="none" />
        <Area dataKey="outflowBand" stroke="none" fill="var(--chart-2)" fillOpacity={0.08} isAnimationActive={false} legendType="none" />
        <Area dataKey="netBand" stroke="none" fill="var(--chart-3)" fillOpacity={0.22} isAnimationActive={false} />
        <Line dataKey="inflow" stroke="var(--chart-1)" dot={false} strokeWidth={2} isAnimationActive={false} connectNulls={false} />
        <Line dataKey="outflow" stroke="var(--chart-2)" dot={false} strokeWidth={2} isAnimationActive={false} connectNulls={false} />
        <Line dataKey="net" stroke="var(--chart-3)" dot={false} strokeWidth={2} isAnimationActive={false} connectNulls={false} />
        <Line dataKey="inflowForecast" stroke="var(--chart-1)" strokeDasharray="6 4" dot={{ r: 2 }} isAnimationActive={false} />
        <Line dataKey="outflowForecast" stroke="var(--chart-2)" strokeDasharray="6 4" dot={{ r: 2 }} isAnimationActive={false} />
        <Line dataKey="netForecast" stroke="var(--chart-3)" strokeDasharray="6 4" dot={{ r: 2 }} isAnimationActive={false} />
      </ComposedChart>
    </ChartFrame>
  );
}
