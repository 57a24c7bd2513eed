import { useState } from "react";
import Badge, { toneFor } from "../../../components/Badge.jsx";
import StateView from "../../../components/StateView.jsx";
import { formatDateTime } from "../../../lib/format.js";
import { useCaseHistory, useDecision, useIdentity } from "../api.js";
import { useCaseVersion } from "../events.js";
import { decisionLabel, riskGradeText, scorecardValue } from "../labels.js";
import "../casefile.css";
import IdentityLine from "./identity-line.jsx";
import MemoButton from "./memo-button.jsx";
import ModelDetails from "./model-details.jsx";
import OfferTerms from "./offer-terms.jsx";
import Reasons from "./reasons.jsx";

/** The officer's latest decision on the case, and whether it departs from the engine's. */
function OfficerLine({ latest }) {
  if (!latest) return <p className="muted officer-line">No officer decision recorded yet.</p>;
  return (
    <p className="officer-line" data-testid="officer-decision">
      <span className="muted">Officer decision: </span>
      <Badge tone={toneFor(latest.decision)}>{decisionLabel(latest.decision)}</Badge>
      {latest.differs ? <Badge tone="warning">Differs from the engine</Badge> : <span className="muted"> agrees with the engine</span>}
      <span className="muted"> · {latest.by || "—"}, {formatDateTime(latest.ts)}</span>
    </p>
  );
}

/** Everything the engine decided, as an officer reads it above every tab of the case. */
function Decision({ decision, latest, customerId }) {
  const [details, setDetails] = useState(false);
  const grade = decision.risk_grade || {};
  const score = scorecardValue(grade);
  const conditions = (decision.conditions || []).filter(Boolean);
  return (
    <div className="stack decision-body">
      <div className="decision-headline">
        <span className="decision-label">Engine decision</span>
        <Badge tone={toneFor(decision.decision)} className="decision-badge">{decisionLabel(decision.decision)}</Badge>
        <span className="risk-grade">
          <span className="muted">Risk grade </span>
          <strong data-testid="risk-grade">{riskGradeText(grade)}</strong>
        </span>
        {score !== null && (
          <span className="scorecard" title="The explainable credit score behind the grade">
            <span className="muted">Credit score </span><strong>{score}</strong>
            <span className="muted"> (300–900)</span>
          </span>
        )}
        {decision.policy?.version && <span className="muted">Policy {decision.policy.version}</span>}
      </div>
      {decision.offer ? <OfferTerms offer={decision.offer} /> : <p className="muted">No offer: the engine did not approve a loan.</p>}
      {conditions.length > 0 && (
        <div>
          <h3>Conditions</h3>
          <ul className="reason-list" aria-label="Conditions">{conditions.map((c) => <li key={c}>{c}</li>)}</ul>
        </div>
      )}
      <Reasons decision={decision} />
      <OfficerLine latest={latest} />
      <div className="row">
        <button type="button" className="button button-secondary" aria-expanded={details}
          aria-controls={`decision-details-${customerId}`} onClick={() => setDetails((d) => !d)}>
          {details ? "Hide details" : "Details"}
        </button>
        <MemoButton customerId={customerId} />
      </div>
      {details && <div id={`decision-details-${customerId}`}><ModelDetails decision={decision} /></div>}
    </div>
  );
}

/**
 * The case header under the customer's name: registrations (PAN, GSTIN, Udyam), then the engine's decision —
 * the decision, ONE risk grade (PD band and PD, the 300–900 score beside it), the offer with its rate build-up,
 * conditions, the top reasons for and against, the latest officer decision, model statistics behind "Details"
 * and the credit memo download.
 */
export default function DecisionHeader({ customerId }) {
  const version = useCaseVersion(customerId);
  const decision = useDecision(customerId, version);
  const identity = useIdentity(customerId);
  const history = useCaseHistory(customerId, version);
  if (!customerId) return null;
  return (
    <section className="decision-header" aria-label="Credit decision">
      <IdentityLine identity={identity.data} />
      <StateView compact loading={decision.loading && !decision.data} error={decision.error} onRetry={decision.reload}
        loadingText="Loading the credit decision…" empty={!decision.loading && !decision.error && !decision.data}
        emptyText="No credit decision yet: the engine decides when the pipeline's models step runs for this customer.">
        {() => <Decision decision={decision.data} latest={history.data?.latest_officer} customerId={customerId} />}
      </StateView>
    </section>
  );
}
