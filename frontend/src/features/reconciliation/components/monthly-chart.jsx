import {
  Bar, CartesianGrid, ChartFrame, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis, inrTick, inrTooltip, monthTick,
} from "../../../components/charts.jsx";

const NAMES = {
  gst_value: "GST declared (GSTR-3B)", bank_business_credits: "Bank business credits",
  ondc_settled: "ONDC settled", ondc_in_bank: "ONDC found in bank",
};

/** GST declared vs bank business credits (bars) and ONDC settled vs found in the bank (lines), by month. */
export default function MonthlyChart({ rows }) {
  const data = (rows || []).filter((r) => r?.month);
  if (!data.length) return <p className="muted">No monthly rows to draw.</p>;
  const summary = `${data.length} months from ${monthTick(data[0].month)} to ${monthTick(data[data.length - 1].month)}; the table below lists every figure.`;
  return (
    <ChartFrame label="GST vs bank vs ONDC by month" summary={summary} height={300}>
      <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="month" tickFormatter={monthTick} minTickGap={12} />
        <YAxis tickFormatter={inrTick} width={80} />
        <Tooltip formatter={(v, name) => [inrTooltip(v), NAMES[name] || name]} labelFormatter={monthTick} />
        <Legend formatter={(name) => NAMES[name] || name} />
        <Bar dataKey="gst_value" fill="var(--chart-1)" isAnimationActive={false} />
        <Bar dataKey="bank_business_credits" fill="var(--chart-2)" isAnimationActive={false} />
        <Line dataKey="ondc_settled" stroke="var(--chart-3)" strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} />
        <Line dataKey="ondc_in_bank" stroke="var(--chart-4)" strokeWidth={2} strokeDasharray="5 4" dot={false} isAnimationActive={false} />
      </ComposedChart>
    </ChartFrame>
  );
}
