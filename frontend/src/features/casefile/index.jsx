/**
 * Case File: the officer's own decision on the case (recorded against the engine's, with a reason whenever it
 * departs from it) and the case's history, newest first. The engine's decision itself is in the header above
 * the tabs (components/decision-header.jsx).
 */
import Card from "../../components/Card.jsx";
import StateView from "../../components/StateView.jsx";
import { useCaseHistory, useDecision } from "./api.js";
import "./casefile.css";
import CaseHistory from "./components/case-history.jsx";
import DecisionForm from "./components/decision-form.jsx";
import { useCaseVersion } from "./events.js";

export default function CaseFilePage({ customerId }) {
  const version = useCaseVersion(customerId);
  const decision = useDecision(customerId);
  const history = useCaseHistory(customerId, version);
  return (
    <div className="stack casefile">
      <h2 className="visually-hidden">Case File</h2>
      <div className="grid-2">
        <Card title="Record your decision" subtitle="Your decision goes on the case beside the engine's; say why when you differ">
          <StateView loading={decision.loading} error={decision.error} onRetry={decision.reload}
            empty={!decision.loading && !decision.error && !decision.data}
            emptyText="The engine has not decided on this customer yet: run the pipeline's models step, then record your decision against it.">
            {() => <DecisionForm key={decision.data.generated_at || "engine"} customerId={customerId} engine={decision.data} />}
          </StateView>
        </Card>
        <Card title="Case history" subtitle="Newest first">
          <StateView loading={history.loading && !history.data} error={history.error} onRetry={history.reload}>
            {() => <CaseHistory history={history.data} />}
          </StateView>
        </Card>
      </div>
    </div>
  );
}
