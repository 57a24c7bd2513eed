import Badge from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import DataTable from "../../../components/DataTable.jsx";
import MetricGrid from "../../../components/MetricGrid.jsx";
import {
  CartesianGrid, ChartFrame, ComposedChart, Bar, Legend, Line, Tooltip, XAxis, YAxis, inrTick, inrTooltip, monthTick,
} from "../../../components/charts.jsx";
import { formatDate, formatINR, formatMonth, formatNumber } from "../../../lib/format.js";
import ItcCard from "./itc-card.jsx";
import SectionEmpty from "./section-empty.jsx";

const SUMMARY = ["avg_monthly_turnover", "turnover_12m", "yoy_growth", "turnover_trend", "filing_punctuality", "late_filings",
  "avg_days_late", "max_days_late", "avg_itc_ratio", "gst_to_bank_ratio", "gstr1_vs_3b_gap_pct"];

/** GST: turnover by month (GSTR-3B, GSTR-1, bank business credits), filing punctuality, red flags and ITC vs GSTR-2B. */
export default function GstSection({ gst }) {
  const monthly = Array.isArray(gst?.monthly) ? gst.monthly : [];
  if (!gst || (monthly.length === 0 && !gst.metrics)) return <SectionEmpty what="GST" />;
  const indicators = Array.isArray(gst.fraud_indicators?.indicators) ? gst.fraud_indicators.indicators : [];
  const late = monthly.filter((m) => m.late).length;
  return (
    <div className="stack">
      <Card title="GST figures" headingLevel={3}>
        <MetricGrid metrics={gst.metrics} only={SUMMARY.filter((k) => gst.metrics?.[k])} />
      </Card>
      {indicators.length > 0 && (
        <Card title="GST red flags" headingLevel={3} subtitle={`Overall severity: ${gst.fraud_indicators?.severity || "—"}`}>
          <ul className="list-plain">
            {indicators.map((ind) => (
              <li key={ind.code}>
                <Badge>{ind.severity}</Badge> <strong>{ind.title}</strong>: {ind.evidence?.explanation || ind.rule}
              </li>
            ))}
          </ul>
        </Card>
      )}
      <ItcCard check={gst.itc_check} />
      <Card title="Monthly turnover" headingLevel={3}>
        <ChartFrame
          label="GST turnover by month"
          summary={`${monthly.length} months of GSTR-3B turnover compared with GSTR-1 and bank business credits.`}
          height={280}
        >
          <ComposedChart data={monthly} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" tickFormatter={monthTick} minTickGap={24} />
            <YAxis tickFormatter={inrTick} width={72} />
            <Tooltip formatter={inrTooltip} labelFormatter={monthTick} />
            <Legend />
            <Bar isAnimationActive={false} dataKey="turnover_3b" name="GSTR-3B turnover" fill="var(--chart-1)" />
            <Line isAnimationActive={false} dataKey="turnover_gstr1" name="GSTR-1 turnover" stroke="var(--chart-2)" dot={false} />
            <Line isAnimationActive={false} dataKey="bank_business_credits" name="Bank business credits" stroke="var(--chart-3)" dot={false} />
          </ComposedChart>
        </ChartFrame>
      </Card>
      <Card title="Filing punctuality" headingLevel={3} subtitle={`${formatNumber(late)} of ${formatNumber(monthly.length)} GSTR-3B returns filed late`}>
        <DataTable
          caption="GSTR-3B filing punctuality"
          captionHidden
          rows={monthly}
          rowKey="month"
          pageSize={12}
          initialSort={{ key: "month", order: "desc" }}
          rowClassName={(r) => (r.late ? "row-highlight" : undefined)}
          columns={[
            { key: "month", header: "Return period", render: (r) => formatMonth(r.month) },
            { key: "due_date", header: "Due", render: (r) => formatDate(r.due_date) },
            { key: "dof", header: "Filed", render: (r) => formatDate(r.dof) },
            { key: "days_late", header: "Days late", align: "right",
              render: (r) => (r.days_late ? <strong>{formatNumber(r.days_late)}</strong> : formatNumber(r.days_late)) },
            { key: "status", header: "Status" },
            { key: "turnover_3b", header: "Turnover (3B)", align: "right", render: (r) => formatINR(r.turnover_3b) },
          ]}
        />
      </Card>
    </div>
  );
}
