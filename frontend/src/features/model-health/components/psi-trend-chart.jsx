import {
  CartesianGrid, ChartFrame, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis, monthTick,
} from "../../../components/charts.jsx";
import { formatNumber } from "../../../lib/format.js";
import { trendPoints } from "../model.js";

const psi = (v) => (v === null || v === undefined ? "—" : formatNumber(v, { decimals: 3 }));

/** Score PSI and the largest top-driver CSI by month, with the watch and act thresholds as dashed rules. */
export default function PsiTrendChart({ months, thresholds }) {
  const points = trendPoints(months);
  if (!points.length) return <p className="muted">No customer has been scored by this model yet.</p>;
  const highest = Math.max(thresholds.act * 1.4, ...points.map((p) => Math.max(p.score ?? 0, p.driver ?? 0)));
  const top = Math.ceil(highest * 20) / 20;
  const last = points[points.length - 1];
  const latest = last.status === "insufficient" ? "too few customers scored to judge" : `score PSI ${psi(last.score)}`;
  const summary = `${points.length} month${points.length === 1 ? "" : "s"}; latest ${last.month}: ${latest}, `
    + `watch from ${thresholds.watch}, act from ${thresholds.act}.`;
  return (
    <ChartFrame label="Population stability by month" summary={summary} height={260}>
      <LineChart data={points} margin={{ top: 12, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="month" tickFormatter={monthTick} />
        <YAxis domain={[0, top]} width={48} tickFormatter={(v) => formatNumber(v, { decimals: 2 })} />
        <Tooltip formatter={(v, name) => [psi(v), name]} labelFormatter={monthTick} />
        <Legend />
        <ReferenceLine y={thresholds.watch} stroke="var(--warning)" strokeDasharray="4 4"
          label={{ value: `watch ${thresholds.watch}`, position: "insideTopLeft", fontSize: 10 }} />
        <ReferenceLine y={thresholds.act} stroke="var(--danger)" strokeDasharray="4 4"
          label={{ value: `act ${thresholds.act}`, position: "insideTopLeft", fontSize: 10 }} />
        <Line name="Score PSI" dataKey="score" stroke="var(--chart-1)" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} connectNulls />
        <Line name="Largest top-driver CSI" dataKey="driver" stroke="var(--chart-2)" strokeDasharray="2 2" dot={{ r: 2 }} isAnimationActive={false} connectNulls />
      </LineChart>
    </ChartFrame>
  );
}
