import { useId } from "react";
import Badge from "../../../components/Badge.jsx";
import Banner from "../../../components/Banner.jsx";
import Card from "../../../components/Card.jsx";
import LiveLog from "../../../components/LiveLog.jsx";
import StateView from "../../../components/StateView.jsx";
import { formatDateTime, humanize } from "../../../lib/format.js";
import { errorMessage } from "../../../lib/useApi.js";
import { isJobActive, jobOutcome, useAaJourney } from "../aa-journey.js";
import AaJourneyStatus from "./aa-journey-status.jsx";
import AaRequestForm from "./aa-request-form.jsx";

const JOBS = { aa_consent: "Consent request", aa_fetch: "Data fetch" };
const TONE = { pending: "warning", running: "info", done: "good", error: "danger" };
// why Fetch data is (not) possible, by the consent's status
const FETCH_HINT = {
  ACTIVE: "Fetches, decrypts, stores and cleans the consented data.",
  PENDING: "Possible once the customer approves the consent on the AA's page.",
  PAUSED: "The customer paused the consent; they can resume it on the AA's page.",
  REVOKED: "The customer revoked the consent: request a new one.",
  EXPIRED: "The consent expired: request a new one.",
  REJECTED: "The customer rejected the request: request a new one if they agree.",
};

/** The API's refusal to start a job (409 job running, 404 no consent, 400 field...), in its own words. */
function StartError({ error }) {
  if (!error) return null;
  const title = error.status === 409 ? "A job is already running for this customer" : "The Account Aggregator step was refused";
  return (
    <Banner tone="danger" title={title}>
      <p className="banner-text">{error.field ? `${error.field}: ` : ""}{errorMessage(error)}</p>
    </Banner>
  );
}

/** How the followed job ended: what was fetched (and any warnings), or the refusal with its cause. */
function JobOutcome({ job, lines }) {
  const outcome = jobOutcome(job, lines);
  if (!outcome) return null;
  const label = JOBS[job.step] || job.step;
  const warned = outcome.warnings.length;
  const title = !outcome.ok ? `${label} failed` : warned ? `${label} finished with ${warned} warning(s)` : `${label} finished`;
  return (
    <Banner tone={!outcome.ok ? "danger" : warned ? "warning" : "good"} title={title} data-testid="aa-outcome">
      <p className="banner-text">{outcome.text}</p>
      {warned > 0 && <ul className="aa-warnings">{outcome.warnings.map((w) => <li key={w}>{w}</li>)}</ul>}
    </Banner>
  );
}

/**
 * The Account Aggregator journey as a loan-operations user runs it: request consent (purpose, FI types), send
 * the customer to the AA's approval page, watch the status change as the AA notifies us, fetch the data once
 * the consent is ACTIVE and follow each job's log live. `onChanged()` is called when a job ends or the AA moves
 * the consent, so the page reloads the consent registry and the audit trail.
 */
export default function AaCard({ customerId, onChanged }) {
  const aa = useAaJourney(customerId, { onJobEnd: onChanged, onConsentStatus: onChanged });
  const { journey, job } = aa;
  const running = isJobActive(job?.status);
  const canFetch = journey?.status === "ACTIVE" && !running;
  const hintId = useId();

  return (
    <Card
      title="Account Aggregator"
      subtitle="Ask the customer's AA for consent, let them approve it there, then fetch their data under it."
      actions={<button type="button" className="button button-secondary" onClick={aa.refresh}>Refresh</button>}
    >
      <div className="stack">
        {aa.liveError && (
          <Banner tone="warning" title="Live updates are off">{aa.liveError} Use Refresh to see the latest status.</Banner>
        )}
        <StateView loading={aa.state.loading} error={aa.state.error} onRetry={aa.refresh}>
          {() => (
            <div className="stack">
              <AaRequestForm onRequest={aa.requestConsent} disabled={running} again={Boolean(journey)} />
              {journey ? <AaJourneyStatus journey={journey} />
                : <p className="muted">No consent has been requested from the Account Aggregator for {customerId} yet.</p>}
            </div>
          )}
        </StateView>
        <div className="row">
          <button type="button" className="button" disabled={!canFetch} onClick={aa.fetchData}
            aria-describedby={hintId}>
            Fetch data
          </button>
          <span id={hintId} className="muted small">
            {FETCH_HINT[journey?.status] || "Possible once a consent is requested and the customer approves it."}
          </span>
        </div>
        <StartError error={aa.startError} />
        {job && (
          <div className="stack aa-job">
            <p className="row aa-job-summary" data-testid="aa-job">
              <span>{JOBS[job.step] || job.step} for <strong>{job.customer_id}</strong></span>
              <Badge tone={TONE[job.status] || "neutral"}>{humanize(job.status)}</Badge>
              <span className="muted">job {job.job_id}</span>
              {job.finished_at && <span className="muted">ended {formatDateTime(job.finished_at)}</span>}
            </p>
            <LiveLog lines={aa.lines} waiting={running} label="Account Aggregator log" />
            <JobOutcome job={job} lines={aa.lines} />
          </div>
        )}
      </div>
    </Card>
  );
}
