/**
 * Reconciliation: GST returns vs bank credits vs ONDC settlements, month by month; the headline rates and
 * risk level with reasons; the matched items and what did not reconcile on either side. The document holds
 * its long lists as `{total, href}`: each table loads them page by page (`useReconciliationList`).
 */
import Card from "../../components/Card.jsx";
import LoadMore from "../../components/LoadMore.jsx";
import StateView from "../../components/StateView.jsx";
import { isNotComputed, useReconciliation, useReconciliationList } from "./api.js";
import MatchGroupsTable from "./components/match-groups-table.jsx";
import MatchesTable from "./components/matches-table.jsx";
import MonthlyChart from "./components/monthly-chart.jsx";
import MonthlyTable from "./components/monthly-table.jsx";
import ReconHeadline from "./components/recon-headline.jsx";
import UnmatchedTables from "./components/unmatched-tables.jsx";
import "./reconciliation.css";

function ReconciliationLists({ customerId, doc }) {
  const matches = useReconciliationList(customerId, "matches", doc.matches);
  const groups = useReconciliationList(customerId, "match_groups", doc.match_groups);
  const items = useReconciliationList(customerId, "unmatched_items", doc.unmatched_items);
  const credits = useReconciliationList(customerId, "unmatched_bank_credits", doc.unmatched_bank_credits);
  return (
    <>
      <Card title="Matched items" subtitle="Each declared item paired with the bank credit that paid it">
        <MatchesTable matches={matches.rows} />
        <LoadMore label="matched items" list={matches} />
      </Card>
      <Card title="Combined, part and net payments" subtitle="Less TDS, net of credit notes, several invoices in one credit, paid in parts; what is still short and why">
        <MatchGroupsTable groups={groups.rows} />
        <LoadMore label="match groups" list={groups} />
      </Card>
      <Card title="Unmatched items" subtitle="What did not reconcile, on both sides">
        <UnmatchedTables items={items.rows} credits={credits.rows} />
        <LoadMore label="unmatched declared items" list={items} />
        <LoadMore label="unmatched bank credits" list={credits} />
      </Card>
    </>
  );
}

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
          <ReconciliationLists customerId={customerId} doc={data} />
        </div>
      )}
    </StateView>
  );
}
