import Badge from "../components/Badge.jsx";
import { formatDateTime } from "../lib/format.js";

/**
 * Who is on screen: the customer's name and id, consent status and last pipeline run — shown above every
 * tab so an officer never reads one customer's figures under another's name.
 */
export default function CustomerHeader({ customerId, customer, listLoaded }) {
  if (!customerId) return null;
  const consent = customer?.consent_status || null;
  const run = customer?.last_run || null;
  return (
    <section className="customer-header" aria-label="Selected customer">
      <h2 className="customer-name">{customer?.name || customerId}</h2>
      <div className="meta">
        {customer?.name && (
          <span>
            <span className="visually-hidden">Customer id </span>
            <code>{customerId}</code>
          </span>
        )}
        <span>
          Consent: <Badge>{consent || (listLoaded ? "NONE ON RECORD" : "—")}</Badge>
        </span>
        <span>
          Last run: {run ? `${run.status || "unknown"}, ${formatDateTime(run.ts)}` : "never"}
        </span>
        {listLoaded && !customer && <Badge tone="warning">Not in the customer list</Badge>}
      </div>
    </section>
  );
}
