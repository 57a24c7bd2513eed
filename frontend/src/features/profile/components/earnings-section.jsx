import Card from "../../../components/Card.jsx";
import { metricLabel } from "../../../components/MetricGrid.jsx";
import DataTable from "../../../components/DataTable.jsx";
import MetricGrid from "../../../components/MetricGrid.jsx";
import {
  Bar, BarChart, CartesianGrid, ChartFrame, Legend, Tooltip, XAxis, YAxis, inrTick, inrTooltip, monthTick,
} from "../../../components/charts.jsx";
import { formatINR, formatNumber, formatPct } from "../../../lib/format.js";
import SectionEmpty from "./section-empty.jsx";

const SUMMARY = ["avg_monthly_earnings", "avg_monthly_spendings", "business_share_of_earnings", "total_earnings",
  "total_spendings", "largest_credit", "largest_debit", "top_payer_share", "top_payee_share"];

function CounterpartyTable({ caption, rows }) {
  return (
    <DataTable
      caption={caption}
      rows={Array.isArray(rows) ? rows : []}
      rowKey="counterparty"
      pageSize={10}
      initialSort={{ key: "total", order: "desc" }}
      emptyText="None."
      columns={[
        { key: "counterparty", header: "Counterparty" },
        { key: "count", header: "Transactions", align: "right", render: (r) => formatNumber(r.count) },
        { key: "total", header: "Total", align: "right", render: (r) => formatINR(r.total) },
        { key: "share", header: "Share", align: "right", render: (r) => formatPct(r.share) },
      ]}
    />
  );
}

function CategoryTable({ caption, rows }) {
  return (
    <DataTable
      caption={caption}
      rows={Array.isArray(rows) ? rows : []}
      rowKey="category"
      pageSize={0}
      initialSort={{ key: "total", order: "desc" }}
      emptyText="None."
      columns={[
        { key: "category", header: "Category", render: (r) => metricLabel(r.category) },
        { key: "business", header: "Business", render: (r) => (r.business ? "Yes" : "No") },
        { key: "total", header: "Total", align: "right", render: (r) => formatINR(r.total) },
        { key: "share", header: "Share", align: "right", render: (r) => formatPct(r.share) },
      ]}
    />
  );
}

/** Where the money comes from and goes: monthly inflow/outflow, top counterparties, categories. */
export default function EarningsSection({ earnings }) {
  const monthly = Array.isArray(earnings?.monthly) ? earnings.monthly : [];
  if (!earnings) return <SectionEmpty what="earnings and spendings" />;
  return (
    <div className="stack">
      <Card title="Earnings and spendings" headingLevel={3}>
        <MetricGrid metrics={earnings.metrics} only={SUMMARY.filter((k) => earnings.metrics?.[k])} />
      </Card>
      <Card title="Monthly inflow and outflow" headingLevel={3}>
        <ChartFrame label="Inflow and outflow by month" summary={`${monthly.length} months of credits and debits.`} height={280}>
          <BarChart data={monthly} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" tickFormatter={monthTick} minTickGap={24} />
            <YAxis tickFormatter={inrTick} width={72} />
            <Tooltip formatter={inrTooltip} labelFormatter={monthTick} />
            <Legend />
            <Bar isAnimationActive={false} dataKey="inflow_total" name="Inflow" fill="var(--chart-3)" />
            <Bar isAnimationActive={false} dataKey="outflow_total" name="Outflow" fill="var(--chart-5)" />
          </BarChart>
        </ChartFrame>
      </Card>
      <div className="grid-2">
        <Card title="Top payers" headingLevel={3}><CounterpartyTable caption="Received from" rows={earnings.top_received_from} /></Card>
        <Card title="Top payees" headingLevel={3}><CounterpartyTable caption="Paid to" rows={earnings.top_paid_to} /></Card>
      </div>
      <div className="grid-2">
        <Card title="Earnings by category" headingLevel={3}><CategoryTable caption="Earnings by category" rows={earnings.earnings_by_category} /></Card>
        <Card title="Spendings by category" headingLevel={3}><CategoryTable caption="Spendings by category" rows={earnings.spendings_by_category} /></Card>
      </div>
    </div>
  );
}
