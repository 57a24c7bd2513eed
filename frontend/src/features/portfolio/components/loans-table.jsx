import { useState } from "react";
import Badge from "../../../components/Badge.jsx";
import { formatDateTime, formatINR, formatNumber, formatPct, humanize } from "../../../lib/format.js";
import { formatPoints, nextSort, sortLoans } from "../model.js";

const COLUMNS = [
  { key: "customer_id", header: "Customer" },
  { key: "loan_id", header: "Loan ID" },
  { key: "principal", header: "Amount", num: true },
  { key: "pd", header: "PD", num: true },
  { key: "band", header: "Band" },
  { key: "pd_change", header: "Change today", num: true },
  { key: "last_event", header: "Last event" },
  { key: "dpd_now", header: "DPD", num: true },
];
const PAGE = 25;

function changeTone(change) {
  if (typeof change !== "number" || Math.abs(change) < 5e-4) return "";
  return change > 0 ? "pf-up" : "pf-down";
}

/** The last event in words: its status and due date when known (else its id), and when it happened. */
function LastEvent({ row }) {
  const event = row.last_event;
  if (!event) return <span className="muted">{row.pd_source === "booking" ? "None yet (booking score)" : "—"}</span>;
  return (
    <span className="pf-event">
      {event.status ? <Badge tone={event.status === "PAID" ? "good" : event.status === "BOUNCED" ? "danger" : "warning"}>{humanize(event.status)}</Badge>
        : <span className="mono small" title="Event id; its status shows after Refresh">{event.event_id}</span>}
      {event.due_date && <span className="muted"> EMI due {event.due_date}</span>}
      {event.ts && <span className="pf-event-time muted">{formatDateTime(event.ts)}</span>}
    </span>
  );
}

/**
 * The monitored loans, sortable by every column (click a header; `aria-sort` says how it is sorted). A row is
 * selected by clicking it or its loan id button; rows a live update touched are marked.
 */
export default function LoansTable({ rows, bands, selectedId, onSelect }) {
  const [sort, setSort] = useState({ key: "pd", order: "desc" });
  const [showAll, setShowAll] = useState(false);
  const sorted = sortLoans(rows, sort, bands);
  const visible = showAll ? sorted : sorted.slice(0, PAGE);

  return (
    <div className="pf-loans">
      <div className="table-scroll" role="region" aria-labelledby="pf-loans-caption" tabIndex={0}>
        <table className="pf-table">
          <caption id="pf-loans-caption" className="visually-hidden">Monitored loans</caption>
          <thead>
            <tr>
              {COLUMNS.map((col) => {
                const direction = sort.key === col.key ? sort.order : null;
                return (
                  <th key={col.key} scope="col" className={col.num ? "num" : undefined}
                    aria-sort={direction ? (direction === "asc" ? "ascending" : "descending") : undefined}>
                    <button type="button" className="sort-button" onClick={() => setSort(nextSort(sort, col.key))}>
                      {col.header}
                      <span aria-hidden="true" className="sort-mark">{direction === "asc" ? "▲" : direction === "desc" ? "▼" : "↕"}</span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {visible.length === 0 ? (
              <tr><td colSpan={COLUMNS.length} className="empty-cell">No monitored loans.</td></tr>
            ) : visible.map((row) => {
              const selected = row.loan_id === selectedId;
              return (
                <tr key={row.loan_id} data-loan-id={row.loan_id} onClick={() => onSelect(row.loan_id)}
                  className={["pf-row", selected ? "pf-selected" : "", row.live ? "pf-live" : ""].join(" ").trim()}>
                  <td className="mono">{row.customer_id}</td>
                  <td>
                    <button type="button" className="link-button mono" aria-pressed={selected}
                      aria-label={`${row.loan_id}: show PD history`}
                      onClick={(e) => { e.stopPropagation(); onSelect(row.loan_id); }}>
                      {row.loan_id}
                    </button>
                  </td>
                  <td className="num">{formatINR(row.principal)}</td>
                  <td className="num pf-pd">{formatPct(row.pd, 2)}</td>
                  <td>{row.band ? <Badge>{row.band}</Badge> : "—"}</td>
                  <td className={`num ${changeTone(row.pd_change)}`.trim()}>{formatPoints(row.pd_change, 2)}</td>
                  <td><LastEvent row={row} /></td>
                  <td className="num">{formatNumber(row.dpd_now)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="row pf-table-foot">
        <p className="muted">{formatNumber(visible.length)} of {formatNumber(sorted.length)} loans · click a row for its PD history</p>
        {sorted.length > PAGE && (
          <button type="button" className="button button-secondary" onClick={() => setShowAll((v) => !v)}>
            {showAll ? `Show the first ${PAGE}` : `Show all ${formatNumber(sorted.length)} loans`}
          </button>
        )}
      </div>
    </div>
  );
}
