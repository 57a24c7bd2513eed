import { formatMonth } from "../../../lib/format.js";
import { HISTORY_STATUS, historyDetail, historyStatus } from "../labels.js";

/** The last 12 months of one obligation as a compact grid: colour, symbol and word per month. */
export default function HistoryGrid({ history, lender }) {
  const rows = (history || []).filter(Boolean);
  if (!rows.length) return <p className="muted">No repayment history.</p>;
  const counts = rows.reduce((acc, r) => ({ ...acc, [r.status]: (acc[r.status] || 0) + 1 }), {});
  const tally = Object.entries(counts).map(([s, n]) => `${n} ${historyStatus(s).short.toLowerCase()}`).join(", ");
  return (
    <div className="sc-history">
      <ol className="sc-grid" aria-label={`Repayment history${lender ? ` of ${lender}` : ""}, last ${rows.length} months: ${tally}`}>
        {rows.map((r, i) => {
          const s = historyStatus(r.status);
          const detail = historyDetail(r);
          return (
            <li key={r.month || i} className={`sc-cell sc-${s.tone}`} title={`${formatMonth(r.month)}: ${s.label}${detail ? ` (${detail})` : ""}`}>
              <span className="sc-month">{formatMonth(r.month)}</span>
              <span className="sc-mark" aria-hidden="true">{s.symbol}</span>
              <span className="sc-status">{s.short}</span>
              {detail && <span className="visually-hidden">, {s.label}: {detail}</span>}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** The key to the grid's colours and symbols. */
export function HistoryLegend() {
  return (
    <ul className="legend sc-legend" aria-label="History legend">
      {Object.entries(HISTORY_STATUS).map(([key, s]) => (
        <li key={key}><span className={`sc-key sc-${s.tone}`} aria-hidden="true">{s.symbol}</span> {s.label}</li>
      ))}
    </ul>
  );
}
