import { useState } from "react";
import { formatMonth, formatNumber } from "../../../lib/format.js";

const RECENT_MONTHS = 36; // what a bureau report shows by default

/** The colour class of a month's days past due (asset classes arrive as DPD equivalents in `dpd`). */
export function dpdClass(cell) {
  if (!cell || cell.dpd === null || cell.dpd === undefined || cell.code === "XXX") return "dpd-na";
  if (cell.dpd >= 90) return "dpd-90";
  if (cell.dpd >= 60) return "dpd-60";
  if (cell.dpd >= 1) return "dpd-30";
  return "dpd-0";
}

function shortName(t) {
  return `${t.lender || "Lender"} · ${(t.accountType || "").replace(/_/g, " ").toLowerCase()}`;
}

/**
 * The bureau payment history as a grid: one row per month (newest first), one column per tradeline, each
 * cell the reported code (000, 030, STD, SUB, XXX…) coloured by days past due — the code is always printed.
 */
export default function DpdGrid({ tradelines }) {
  const lines = (Array.isArray(tradelines) ? tradelines : []).filter((t) => Array.isArray(t.dpd_grid));
  if (lines.length === 0) return <p className="muted">No payment history reported.</p>;
  return <Grid lines={lines} />;
}

function Grid({ lines }) {
  const [all, setAll] = useState(false);
  const allMonths = Array.from(new Set(lines.flatMap((t) => t.dpd_grid.map((c) => c.month)))).sort().reverse();
  const months = all ? allMonths : allMonths.slice(0, RECENT_MONTHS);
  const byLine = lines.map((t) => new Map(t.dpd_grid.map((c) => [c.month, c])));
  return (
    <div className="stack">
      <div className="legend" aria-hidden="true">
        <span><span className="legend-swatch dpd-0" />On time</span>
        <span><span className="legend-swatch dpd-30" />1–59 days</span>
        <span><span className="legend-swatch dpd-60" />60–89 days</span>
        <span><span className="legend-swatch dpd-90" />90+ days / NPA</span>
        <span><span className="legend-swatch dpd-na" />Not reported</span>
      </div>
      <div className="table-scroll" role="region" aria-label="Payment history by month" tabIndex={0}>
        <table className="dpd-grid">
          <caption className="visually-hidden">Days past due by month and tradeline</caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              {lines.map((t, i) => (
                <th scope="col" key={`${t.accountNumber}-${i}`} title={t.accountNumber}>{shortName(t)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {months.map((month) => (
              <tr key={month}>
                <th scope="row">{formatMonth(month)}</th>
                {byLine.map((cells, i) => {
                  const cell = cells.get(month);
                  const label = cell ? `${cell.code}${typeof cell.dpd === "number" && cell.dpd > 0 ? ` (${cell.dpd} days past due)` : ""}` : "";
                  return (
                    <td key={i} className={cell ? dpdClass(cell) : undefined} aria-label={label || "no record"}>
                      {cell ? cell.code : ""}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {allMonths.length > RECENT_MONTHS && (
        <button type="button" className="button button-secondary" onClick={() => setAll((v) => !v)} aria-expanded={all}>
          {all ? `Show the last ${RECENT_MONTHS} months` : `Show all ${formatNumber(allMonths.length)} months`}
        </button>
      )}
    </div>
  );
}
