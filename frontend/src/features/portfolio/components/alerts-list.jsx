import Badge from "../../../components/Badge.jsx";
import { formatDateTime, formatPct } from "../../../lib/format.js";
import { alertKey } from "../model.js";

/**
 * Band crossings raised today, newest first: the loan, the bands, the PD, and the reasons the model gives
 * (the inputs that moved the score most). `aria-live` announces a new one politely.
 */
export default function AlertsList({ alerts, onSelect }) {
  return (
    <div aria-live="polite" className="pf-alerts">
      {!alerts.length ? (
        <p className="muted">No band crossings today.</p>
      ) : (
        <ol className="list-plain" aria-label="Alerts today">
          {alerts.map((a) => (
            <li key={alertKey(a)} className={`pf-alert pf-alert-${a.direction === "improved" ? "improved" : "worsened"}`}>
              <p className="pf-alert-head">
                <Badge tone={a.direction === "improved" ? "good" : "danger"}>{a.direction === "improved" ? "Improved" : "Worsened"}</Badge>
                <button type="button" className="link-button mono" onClick={() => onSelect(a.loan_id)}>{a.loan_id}</button>
                <span className="muted mono">{a.customer_id}</span>
                <span><Badge>{a.from_band}</Badge> → <Badge>{a.to_band}</Badge></span>
                <span>PD {formatPct(a.previous_pd, 2)} → {formatPct(a.pd, 2)}</span>
                <time className="muted" dateTime={a.ts}>{formatDateTime(a.ts)}</time>
              </p>
              {Array.isArray(a.reasons) && a.reasons.length > 0 && (
                <ul className="reason-list" aria-label={`Why ${a.loan_id} moved`}>
                  {a.reasons.map((r, i) => <li key={`${r.feature}-${i}`}>{r.text || r.description || r.feature}</li>)}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
