/**
 * Smart Collect: for each obligation, the upcoming dues with predicted balance and shortfall, the optimal
 * window, the success probability and its basis, the recommended method and why, the 12-month repayment
 * history, and the risk signals with their actions.
 */
import Card from "../../components/Card.jsx";
import StateView from "../../components/StateView.jsx";
import { isNotComputed, useSmartCollect } from "./api.js";
import CollectSummary from "./components/collect-summary.jsx";
import { HistoryLegend } from "./components/history-grid.jsx";
import ObligationCard from "./components/obligation-card.jsx";
import RiskSignals from "./components/risk-signals.jsx";
import "./smart-collect.css";

export default function SmartCollectPage({ customerId }) {
  const { data, error, loading, reload } = useSmartCollect(customerId);
  const notComputed = isNotComputed(error);
  const obligations = (data?.obligations || []).filter(Boolean);
  return (
    <StateView
      loading={loading}
      error={notComputed ? null : error}
      onRetry={reload}
      empty={notComputed || (!loading && !error && (!data || obligations.length === 0))}
      emptyText={notComputed || !data
        ? "The collection plan has not been computed for this customer yet. Run the pipeline's analyze step to compute it."
        : `No obligations to collect: ${data.reason || "no active loans were found in the bank statement or the bureau"}.`}
    >
      {() => (
        <div className="stack">
          <Card title="Collection plan" subtitle={`${obligations.length} obligation${obligations.length === 1 ? "" : "s"}`}>
            <CollectSummary doc={data} />
          </Card>
          <Card title="Risk signals">
            <RiskSignals signals={data.risk_signals} />
          </Card>
          <section aria-labelledby="sc-obligations" className="stack">
            <div className="row">
              <h2 id="sc-obligations">Obligations</h2>
              <HistoryLegend />
            </div>
            {obligations.map((o, i) => <ObligationCard key={`${o.lender}|${o.amount}|${i}`} obligation={o} />)}
          </section>
        </div>
      )}
    </StateView>
  );
}
