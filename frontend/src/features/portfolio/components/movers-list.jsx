import Badge from "../../../components/Badge.jsx";
import { formatPct } from "../../../lib/format.js";
import { formatPoints, topMovers } from "../model.js";

/** The loans whose PD moved most since the start of today, either way; each opens the loan's PD history. */
export default function MoversList({ rows, onSelect, n = 5 }) {
  const movers = topMovers(rows, n);
  if (!movers.length) return <p className="muted">No loan's PD has moved today.</p>;
  return (
    <ol className="list-plain pf-movers" aria-label="Top movers today">
      {movers.map((row) => (
        <li key={row.loan_id} className="pf-mover">
          <button type="button" className="link-button mono" onClick={() => onSelect(row.loan_id)}>{row.loan_id}</button>
          <span className="muted mono">{row.customer_id}</span>
          <span className={row.pd_change > 0 ? "pf-up" : "pf-down"}>
            <strong>{formatPoints(row.pd_change, 2)}</strong>
          </span>
          <span className="pf-mover-pd">
            {formatPct(row.start_pd, 2)} → {formatPct(row.pd, 2)}
            {row.start_band && row.band && row.start_band !== row.band && (
              <> · <Badge>{row.start_band}</Badge> → <Badge>{row.band}</Badge></>
            )}
          </span>
        </li>
      ))}
    </ol>
  );
}
