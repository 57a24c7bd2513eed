import Badge from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import DataTable from "../../../components/DataTable.jsx";
import MetricGrid from "../../../components/MetricGrid.jsx";
import {
  Bar, BarChart, CartesianGrid, ChartFrame, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis, inrTick, inrTooltip, monthTick,
} from "../../../components/charts.jsx";
import { formatDate, formatINR, formatNumber, formatPct, humanize } from "../../../lib/format.js";
import SectionEmpty from "./section-empty.jsx";

/** OCEN loan applications: counts by state, rejection reasons and each application. */
export function OcenSection({ ocen }) {
  if (!ocen) return <SectionEmpty what="OCEN" />;
  const byState = (Array.isArray(ocen.by_state) ? ocen.by_state : []).map((s) => ({ status: s.status, count: s.count?.value ?? 0 }));
  const reasons = Array.isArray(ocen.rejection_reasons) ? ocen.rejection_reasons : [];
  return (
    <div className="stack">
      <Card title="OCEN loans" headingLevel={3}><MetricGrid metrics={ocen.metrics} /></Card>
      <div className="grid-2">
        <Card title="Applications by state" headingLevel={3}>
          {byState.length === 0 ? <p className="muted">No applications.</p> : (
            <>
              <ChartFrame label="OCEN applications by state" summary={byState.map((s) => `${humanize(s.status)}: ${s.count}`).join(", ")} height={200}>
                <BarChart data={byState} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis type="number" allowDecimals={false} />
                  <YAxis type="category" dataKey="status" width={130} tickFormatter={humanize} />
                  <Tooltip labelFormatter={humanize} />
                  <Bar isAnimationActive={false} dataKey="count" name="Applications" fill="var(--chart-1)" />
                </BarChart>
              </ChartFrame>
              <DataTable caption="Applications by state" captionHidden rows={byState} rowKey="status" pageSize={0}
                columns={[
                  { key: "status", header: "State", render: (r) => <Badge>{r.status}</Badge> },
                  { key: "count", header: "Applications", align: "right", render: (r) => formatNumber(r.count) },
                ]} />
            </>
          )}
        </Card>
        <Card title="Rejection reasons" headingLevel={3}>
          {reasons.length === 0 ? <p className="muted">No rejections.</p> : (
            <ul className="list-plain">
              {reasons.map((r) => <li key={r.reason}>{humanize(r.reason)}: {formatNumber(r.count?.value)}</li>)}
            </ul>
          )}
        </Card>
      </div>
      <Card title="Applications" headingLevel={3}>
        <DataTable
          caption="OCEN loan applications"
          captionHidden
          rows={Array.isArray(ocen.applications) ? ocen.applications : []}
          rowKey="loanApplicationId"
          initialSort={{ key: "createdAt", order: "desc" }}
          emptyText="No applications."
          columns={[
            { key: "createdAt", header: "Created", render: (r) => formatDate(r.createdAt) },
            { key: "lender", header: "Lender" },
            { key: "productType", header: "Product", render: (r) => humanize(r.productType) },
            { key: "requestedAmount", header: "Requested", align: "right", render: (r) => formatINR(r.requestedAmount) },
            { key: "sanctionedAmount", header: "Sanctioned", align: "right", render: (r) => formatINR(r.sanctionedAmount) },
            { key: "status", header: "State", render: (r) => <Badge>{r.status}</Badge> },
            { key: "rejectionReason", header: "Reason", render: (r) => (r.rejectionReason ? humanize(r.rejectionReason) : null) },
          ]}
        />
      </Card>
    </div>
  );
}

/** ONDC seller orders: GMV by month, settlements, cancellations and the buyer apps. */
export function OndcSection({ ondc }) {
  if (!ondc) return <SectionEmpty what="ONDC" />;
  const monthly = Array.isArray(ondc.monthly) ? ondc.monthly : [];
  return (
    <div className="stack">
      <Card title="ONDC orders" headingLevel={3}><MetricGrid metrics={ondc.metrics} /></Card>
      <Card title="GMV by month" headingLevel={3}>
        <ChartFrame label="ONDC GMV and settlements by month" summary={`${monthly.length} months of ONDC orders.`} height={260}>
          <ComposedChart data={monthly} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" tickFormatter={monthTick} minTickGap={24} />
            <YAxis tickFormatter={inrTick} width={72} />
            <Tooltip formatter={inrTooltip} labelFormatter={monthTick} />
            <Legend />
            <Bar isAnimationActive={false} dataKey="gmv" name="GMV" fill="var(--chart-1)" />
            <Line isAnimationActive={false} dataKey="settled" name="Settled" stroke="var(--chart-3)" dot={false} />
          </ComposedChart>
        </ChartFrame>
      </Card>
      <Card title="Buyer apps" headingLevel={3}>
        <DataTable
          caption="ONDC buyer apps"
          captionHidden
          rows={Array.isArray(ondc.top_buyer_apps) ? ondc.top_buyer_apps : []}
          rowKey="bap_id"
          initialSort={{ key: "gmv", order: "desc" }}
          emptyText="No orders."
          columns={[
            { key: "bap_id", header: "Buyer app" },
            { key: "orders", header: "Orders", align: "right", render: (r) => formatNumber(r.orders) },
            { key: "completed_orders", header: "Completed", align: "right", render: (r) => formatNumber(r.completed_orders) },
            { key: "gmv", header: "GMV", align: "right", render: (r) => formatINR(r.gmv) },
            { key: "gmv_share", header: "Share", align: "right", render: (r) => formatPct(r.gmv_share) },
          ]}
        />
      </Card>
    </div>
  );
}
