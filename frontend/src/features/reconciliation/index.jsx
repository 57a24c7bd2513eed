/**
 * Reconciliation: GST returns vs bank credits vs ONDC settlements, month by month; the headline rates and
 * risk level with reasons; the matched items and what did not reconcile on either side.
 */
import Card from "../../components/Card.jsx";
import StateView from "../../components/StateView.jsx";
import { isNotComputed, useReconciliation } from "./api.js";
import MatchGroupsTable from "./components/match-groups-table.jsx";
import MatchesTable from "./components/matches-table.jsx";
import MonthlyChart from "./components/monthly-chart.jsx";
import MonthlyTable from "./components/monthly-table.jsx";
import ReconHeadline from "./components/recon-headline.jsx";
import UnmatchedTables from "./components/unmatched-tables.jsx";
import "./reconciliation.css";

export default function ReconciliationPage({ customerId }) {
  const { data, error, loading, reload } = useReconciliation(customerId);
  const notComputed = isNotComputed(error);
  return (
    <StateView
      loading={loading}
      error={notComputed ? null : error}
      onRetry={reload}
      empty={notComputed || (!loading && !error && !data)}
      emptyText="The reconciliation has not been computed for this customer yet. Run the pipeline's models step to compute it."
    >
      {() => (
        <div className="stack recon-page">
          <Card title="Reconciliation summary" subtitle="GST returns, ONDC settlements and bank credits">
            <ReconHeadline doc={data} />
          </Card>
          <Card title="GST vs bank vs ONDC by month">
            <div className="stack">
              <MonthlyChart rows={data.monthly} />
              <MonthlyTable rows={data.monthly} columnsHelp={data.monthly_columns} />
            </div>
          </Card>
          <Card title="Matched items" subtitle="Each declared item paired with the bank credit that paid it">
            <MatchesTable matches={data.matches} />
          </Card>
          <Card title="Combined, part and net payments" subtitle="Less TDS, net of credit notes, several invoices in one credit, paid in parts; what is still short and why">
            <MatchGroupsTable groups={data.match_groups} />
          </Card>
          <Card title="Unmatched items" subtitle="What did not reconcile, on both sides">
            <UnmatchedTables items={data.unmatched_items} credits={data.unmatched_bank_credits} />
          </Card>
        </div>
      )}
    </StateView>
  );
}
