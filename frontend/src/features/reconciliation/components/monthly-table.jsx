import Badge from "../../../components/Badge.jsx";
import DataTable from "../../../components/DataTable.jsx";
import { formatINR, formatMonth, formatPercentValue } from "../../../lib/format.js";
import { monthStatusLabel, monthStatusTone } from "../labels.js";

/** Every month's figures behind the chart (also its accessible alternative). */
export default function MonthlyTable({ rows, columnsHelp }) {
  const help = columnsHelp || {};
  const columns = [
    { key: "month", header: "Month", render: (r) => formatMonth(r.month) },
    { key: "gst_value", header: <span title={help.gst_value}>GST declared</span>, align: "right", render: (r) => formatINR(r.gst_value) },
    { key: "bank_business_credits", header: <span title={help.bank_business_credits}>Bank business credits</span>, align: "right", render: (r) => formatINR(r.bank_business_credits) },
    { key: "discrepancy_pct", header: <span title={help.discrepancy_pct}>Discrepancy</span>, align: "right", render: (r) => formatPercentValue(r.discrepancy_pct) },
    { key: "status", header: <span title={help.status}>GST vs bank</span>, render: (r) => <Badge tone={monthStatusTone(r.status)}>{monthStatusLabel(r.status)}</Badge> },
    { key: "ondc_settled", header: <span title={help.ondc_settled}>ONDC settled</span>, align: "right", render: (r) => formatINR(r.ondc_settled) },
    { key: "ondc_in_bank", header: <span title={help.ondc_in_bank}>ONDC in bank</span>, align: "right", render: (r) => formatINR(r.ondc_in_bank) },
    { key: "ondc_status", header: "ONDC", render: (r) => (r.ondc_status ? <Badge tone={monthStatusTone(r.ondc_status)}>{monthStatusLabel(r.ondc_status)}</Badge> : "—") },
    { key: "invoices_raised", header: <span title={help.invoices_raised}>Invoices raised</span>, align: "right", render: (r) => formatINR(r.invoices_raised) },
    { key: "invoices_collected", header: <span title={help.invoices_collected}>Invoices collected</span>, align: "right", render: (r) => formatINR(r.invoices_collected) },
  ];
  return (
    <DataTable
      caption="Monthly reconciliation"
      columns={columns}
      rows={(rows || []).slice().reverse()}
      rowKey="month"
      pageSize={12}
      emptyText="No monthly rows."
    />
  );
}
