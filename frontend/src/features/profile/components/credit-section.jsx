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

/** New loans of the last year's busiest 90 days, each with its enquiry and the bank credit that disbursed it. */
function StackingCard({ stacking }) {
  if (!stacking) return null;
  const items = stacking.items || [];
  return (
    <Card title="Loan stacking" headingLevel={3} subtitle={stacking.formula}>
      <p>
        {stacking.value
          ? <Badge tone="warning">Stacking: {items.length} new loans from {stacking.inputs?.lenders?.length} lenders within 90 days</Badge>
          : <span>No stacking: {items.length ? `at most ${stacking.inputs?.lenders?.length} lender(s) lent within any 90 days of the last year` : "no new loan in the last year"}.</span>}
      </p>
      {items.length > 0 && (
        <DataTable
          caption="New loans in the window"
          captionHidden
          rows={items}
          rowKey={(r) => r.accountNumber}
          columns={[
            { key: "dateOpened", header: "Opened", render: (r) => formatDate(r.dateOpened) },
            { key: "lender", header: "Lender" },
            { key: "sanctionedAmount", header: "Sanctioned", align: "right", render: (r) => formatINR(r.sanctionedAmount) },
            { key: "enquiry_date", header: "Enquiry", render: (r) => (r.enquiry_date ? formatDate(r.enquiry_date) : "none found") },
            { key: "disbursal_txn_id", header: "Disbursal in bank", render: (r) => (r.disbursal_txn_id ? <code>{r.disbursal_txn_id}</code> : "not seen") },
          ]}
        />
      )}
    </Card>
  );
}

/** The bureau report: headline figures, tradelines, the DPD grid, recent enquiries and loan stacking. */
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
              render: (r) => formatINR(r.sanctionedAmount ?? r.creditLimit) },
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
      <StackingCard stacking={credit.loan_stacking} />
    </div>
  );
}
