import Badge from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import DataTable from "../../../components/DataTable.jsx";
import KeyValueList from "../../../components/KeyValueList.jsx";
import { formatDate, formatINR, formatNumber, humanize } from "../../../lib/format.js";

const SOURCE_NAMES = {
  transaction_summary: "Bank transactions", gst_summary: "GST returns", credit_summary: "Credit bureau",
  mutual_funds_summary: "Mutual funds", insurance_summary: "Insurance", ocen_summary: "OCEN loans", ondc_summary: "ONDC orders",
};

/** Who the customer is, their accounts, the consent on record and which sources were delivered. */
export default function OverviewSection({ overview, transactionCount }) {
  const customer = overview?.customer || {};
  const overall = overview?.overall || null;
  const accounts = Array.isArray(overview?.accounts) ? overview.accounts : [];
  const coverage = overall?.data_coverage || {};
  const consent = overall?.consent || null;
  return (
    <div className="stack">
      <div className="grid-2">
        <Card title="Business" headingLevel={3}>
          <KeyValueList items={[
            { label: "Business name", value: customer.business_name },
            { label: "Owner", value: customer.owner_name },
            { label: "Industry", value: customer.industry },
            { label: "Constitution", value: customer.constitution },
            { label: "Location", value: [customer.city, customer.state].filter(Boolean).join(", ") },
            { label: "Incorporated", value: customer.incorporation_date ? formatDate(customer.incorporation_date) : null },
            { label: "PAN", value: customer.pan ? <code>{customer.pan}</code> : null },
            { label: "GSTIN", value: customer.gstin ? <code>{customer.gstin}</code> : null },
            { label: "Udyam number", value: customer.udyam_number ? <code>{customer.udyam_number}</code> : null },
            { label: "Clean transactions", value: transactionCount ? formatNumber(transactionCount) : null },
          ]} />
        </Card>
        <Card title="Consent and data" headingLevel={3}>
          <KeyValueList items={[
            { label: "Consent", value: consent ? <Badge>{consent.status}</Badge> : "none on record" },
            { label: "Consent id", value: consent?.consentId ? <code>{consent.consentId}</code> : null },
            { label: "Purpose", value: consent?.purpose },
            { label: "FI types", value: Array.isArray(consent?.fiTypes) ? consent.fiTypes.join(", ") : null },
            { label: "Analysed as of", value: overall?.as_of ? formatDate(overall.as_of) : null },
          ]} />
          {Object.keys(coverage).length > 0 && (
            <ul className="list-plain" aria-label="Sources delivered">
              {Object.entries(coverage).map(([key, present]) => (
                <li key={key} className="row">
                  <Badge tone={present ? "good" : "neutral"}>{present ? "Delivered" : "Missing"}</Badge>
                  {SOURCE_NAMES[key] || humanize(key)}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <Card title="Bank accounts" headingLevel={3}>
        <DataTable
          caption="Bank accounts"
          captionHidden
          rows={accounts}
          rowKey={(row, i) => `${row.maskedAccNumber}-${i}`}
          pageSize={0}
          emptyText="No bank account delivered."
          columns={[
            { key: "maskedAccNumber", header: "Account", render: (r) => <code>{r.maskedAccNumber || "—"}</code> },
            { key: "type", header: "Type" },
            { key: "facility", header: "Facility" },
            { key: "ifscCode", header: "IFSC" },
            { key: "currentBalance", header: "Balance", align: "right", render: (r) => formatINR(r.currentBalance) },
          ]}
        />
      </Card>
    </div>
  );
}
