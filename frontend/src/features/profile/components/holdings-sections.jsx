import Badge from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import DataTable from "../../../components/DataTable.jsx";
import MetricGrid from "../../../components/MetricGrid.jsx";
import { formatDate, formatINR, formatNumber, humanize } from "../../../lib/format.js";
import SectionEmpty from "./section-empty.jsx";

/** Mutual funds: value, gain, lien-marked units (loan against MF) and the holdings. */
export function MutualFundsSection({ funds }) {
  if (!funds) return <SectionEmpty what="mutual fund" />;
  return (
    <div className="stack">
      <Card title="Mutual funds" headingLevel={3}><MetricGrid metrics={funds.metrics} /></Card>
      <Card title="Holdings" headingLevel={3}>
        <DataTable
          caption="Mutual fund holdings"
          captionHidden
          rows={Array.isArray(funds.holdings) ? funds.holdings : []}
          rowKey={(r, i) => `${r.folioNo}-${r.isin}-${i}`}
          initialSort={{ key: "currentValue", order: "desc" }}
          emptyText="No holdings."
          columns={[
            { key: "schemeName", header: "Scheme", render: (r) => r.schemeName || r.schemeCode },
            { key: "amc", header: "AMC" },
            { key: "schemeCategory", header: "Category", render: (r) => humanize(r.schemeCategory) },
            { key: "units", header: "Units", align: "right", render: (r) => formatNumber(r.units, { decimals: 3 }) },
            { key: "nav", header: "NAV", align: "right", render: (r) => formatINR(r.nav, { paise: true }) },
            { key: "investmentValue", header: "Invested", align: "right", render: (r) => formatINR(r.investmentValue) },
            { key: "currentValue", header: "Value", align: "right", render: (r) => formatINR(r.currentValue) },
            { key: "lienUnits", header: "Lien units", align: "right", render: (r) => formatNumber(r.lienUnits, { decimals: 3 }) },
          ]}
        />
      </Card>
    </div>
  );
}

/** Insurance: cover, premiums, lapsed policies and the policy list. */
export function InsuranceSection({ insurance }) {
  if (!insurance) return <SectionEmpty what="insurance" />;
  return (
    <div className="stack">
      <Card title="Insurance" headingLevel={3}><MetricGrid metrics={insurance.metrics} /></Card>
      <Card title="Policies" headingLevel={3}>
        <DataTable
          caption="Insurance policies"
          captionHidden
          rows={Array.isArray(insurance.policies) ? insurance.policies : []}
          rowKey={(r, i) => `${r.policyNumber}-${i}`}
          emptyText="No policies."
          columns={[
            { key: "policyName", header: "Policy", render: (r) => r.policyName || r.policyNumber },
            { key: "insurer", header: "Insurer" },
            { key: "policyType", header: "Type", render: (r) => humanize(r.policyType) },
            { key: "sumAssured", header: "Sum assured", align: "right", render: (r) => formatINR(r.sumAssured ?? r.coverAmount) },
            { key: "premiumAmount", header: "Premium", align: "right",
              render: (r) => `${formatINR(r.premiumAmount)}${r.premiumFrequency ? ` ${humanize(r.premiumFrequency).toLowerCase()}` : ""}` },
            { key: "nextPremiumDueDate", header: "Next due", render: (r) => formatDate(r.nextPremiumDueDate) },
            { key: "policyStatus", header: "Status", render: (r) => <Badge>{r.policyStatus}</Badge> },
          ]}
        />
      </Card>
    </div>
  );
}
