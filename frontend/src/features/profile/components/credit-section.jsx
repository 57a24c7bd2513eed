import Badge from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import DataTable from "../../../components/DataTable.jsx";
import MetricGrid from "../../../components/MetricGrid.jsx";
import { formatDate, formatINR, humanize } from "../../../lib/format.js";
import DpdGrid from "./dpd-grid.jsx";
import SectionEmpty from "./section-empty.jsx";

const SUMMARY = ["bureau_score", "worst_dpd_3m", "worst_dpd_12m", "worst_dpd_24m", "dpd_30_plus_count", "dpd_90_plus_count",
  "active_tradelines", "total_outstanding", "total_overdue", "total_emi_burden", "revolving_utilisation", "enquiries_3m",
  "written_off", "suit_filed"];

/** The bureau report: headline figures, tradelines, the DPD grid and recent enquiries. */
export default function CreditSection({ credit }) {
  const tradelines = Array.isArray(credit?.tradelines) ? credit.tradelines : [];
  const enquiries = Array.isArray(credit?.enquiries) ? credit.enquiries : [];
  if (!credit || (tradelines.length === 0 && !credit.metrics)) return <SectionEmpty what="credit bureau" />;
  return (
    <div className="stack">
      <Card title="Bureau figures" headingLevel={3}>
        <MetricGrid metrics={credit.metrics} only={SUMMARY.filter((k) => credit.metrics?.[k])} />
      </Card>
      <Card title="Tradelines" headingLevel={3}>
        <DataTable
          caption="Bureau tradelines"
          captionHidden
          rows={tradelines}
          rowKey={(r, i) => `${r.accountNumber}-${i}`}
          pageSize={0}
          emptyText="No tradelines reported."
          columns={[
            { key: "lender", header: "Lender" },
            { key: "accountType", header: "Type", render: (r) => humanize(r.accountType) },
            { key: "ownership", header: "Ownership", render: (r) => humanize(r.ownership) },
            { key: "dateOpened", header: "Opened", render: (r) => formatDate(r.dateOpened) },
            { key: "sanctionedAmount", header: "Sanctioned / limit", align: "right",
              render: (r) => formatINR(r.sanctionedAmount ?? r.creditLimit, { compact: true }) },
            { key: "currentBalance", header: "Outstanding", align: "right", render: (r) => formatINR(r.currentBalance) },
            { key: "amountOverdue", header: "Overdue", align: "right", render: (r) => formatINR(r.amountOverdue) },
            { key: "emiAmount", header: "EMI", align: "right", render: (r) => formatINR(r.emiAmount) },
            { key: "status", header: "Status", render: (r) => (
              <span className="row">
                <Badge>{r.status}</Badge>
                {r.suitFiled && <Badge tone="danger">Suit filed</Badge>}
                {r.writtenOffStatus && r.writtenOffStatus !== "NONE" && <Badge tone="danger">{humanize(r.writtenOffStatus)}</Badge>}
              </span>
            ) },
          ]}
        />
      </Card>
      <Card title="Payment history (DPD grid)" headingLevel={3} subtitle="Months × tradelines, newest first">
        <DpdGrid tradelines={tradelines} />
      </Card>
      <Card title="Enquiries" headingLevel={3}>
        <DataTable
          caption="Bureau enquiries"
          captionHidden
          rows={enquiries}
          rowKey={(r, i) => `${r.enquiryDate}-${i}`}
          initialSort={{ key: "enquiryDate", order: "desc" }}
          pageSize={10}
          emptyText="No enquiries."
          columns={[
            { key: "enquiryDate", header: "Date", render: (r) => formatDate(r.enquiryDate) },
            { key: "lender", header: "Lender" },
            { key: "purpose", header: "Purpose", render: (r) => humanize(r.purpose) },
            { key: "amount", header: "Amount", align: "right", render: (r) => formatINR(r.amount) },
          ]}
        />
      </Card>
    </div>
  );
}
