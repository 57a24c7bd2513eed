import Badge from "../../../components/Badge.jsx";
import { DASH, formatDate, formatDateTime } from "../../../lib/format.js";

const SOURCES = { request: "our request", notification: "AA notification", poll: "AA status check" };

/** Where a status came from, in words: our request, the AA's notification, or our status check at fetch time. */
export function sourceText(source) {
  return SOURCES[source] || source || DASH;
}

/** The statuses the journey went through, newest first: status, when (IST), from which source. */
function History({ history }) {
  const entries = [...(history || [])].reverse();
  if (!entries.length) return null;
  return (
    <div>
      <h3 className="aa-subheading">Status history</h3>
      <ol className="list-plain aa-history" aria-label="Consent status history">
        {entries.map((entry, index) => (
          <li key={`${entry.at}-${entry.status}-${index}`} className="row">
            <Badge>{entry.status}</Badge>
            <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
            <span className="muted">from {sourceText(entry.source)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/**
 * Steps 2 and 3 of the AA journey: the consent handle and the AA's approval page (where the customer
 * approves, pauses or revokes), the status as the AA last reported it — it changes live when the AA notifies
 * us — what the consent covers, when data was last fetched, and the status history.
 */
export default function AaJourneyStatus({ journey }) {
  return (
    <div className="aa-journey stack">
      <div className="row aa-status-line">
        <span>Consent status</span>
        <span data-testid="aa-status"><Badge className="badge-large">{journey.status}</Badge></span>
        {journey.consent_id && <span className="muted">consent <code title={journey.consent_id}>{journey.consent_id.slice(0, 8)}…</code></span>}
      </div>
      <dl className="aa-facts">
        <dt>Consent handle</dt>
        <dd><code data-testid="aa-handle">{journey.consent_handle}</code></dd>
        <dt>Customer approves at</dt>
        <dd>
          <a href={journey.approval_url} target="_blank" rel="noopener">Open the AA approval page</a>
          <span className="muted small"> (opens in a new tab)</span>
        </dd>
        <dt>Asked for</dt>
        <dd>purpose <strong>{journey.purpose}</strong> · {(journey.fi_types || []).join(", ")}</dd>
        <dt>Data range</dt>
        <dd>{formatDate(journey.FIDataRange?.from)} – {formatDate(journey.FIDataRange?.to)}</dd>
        <dt>Requested</dt>
        <dd>{formatDateTime(journey.requested_at)}</dd>
        <dt>Last fetched</dt>
        <dd>{journey.fetched_at ? formatDateTime(journey.fetched_at) : "never"}</dd>
      </dl>
      <History history={journey.history} />
    </div>
  );
}
