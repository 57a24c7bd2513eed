import {
  CartesianGrid, ChartFrame, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis,
} from "../../../components/charts.jsx";
import Badge from "../../../components/Badge.jsx";
import { formatDate, formatDateTime, formatPct, humanize } from "../../../lib/format.js";
import { historyPoints } from "../model.js";

const pctTick = (v) => formatPct(v, 0);
const TABLE_ROWS = 12;

function eventText(point) {
  if (point.kind === "baseline") return "Booking score";
  const what = point.status ? humanize(point.status) : "Event";
  const many = point.events > 1 ? ` (${point.events} events)` : "";
  return `${what}${point.dueDate ? `, EMI due ${formatDate(point.dueDate)}` : ""}${many}`;
}

/**
 * A loan's PD over its scores (oldest first): a line with the band cut-offs as dashed rules (each labelled
 * with the band that starts there), and a table of
 * every score with the event that moved it. The x axis is the loan's own date at each score (its disbursal
 * for the booking score, else the day of the latest event).
 */
export default function HistoryChart({ loanId, history, bands }) {
  const points = historyPoints(history);
  if (!points.length) {
    return <p className="muted">No score stored for {loanId} yet: its PD is the booking score until its first repayment event.</p>;
  }
  const last = points[points.length - 1];
  const top = Math.min(1, Math.max(0.3, Math.ceil(Math.max(...points.map((p) => p.pd)) * 11.5) / 10));
  const cutoffs = bands.slice(0, -1).map((b, i) => ({ at: b.max_pd, next: bands[i + 1].band })).filter((c) => c.at < top);
  const summary = `${points.length} score${points.length === 1 ? "" : "s"}, from ${formatPct(points[0].pd, 2)} to ${formatPct(last.pd, 2)} (${last.band}).`;
  return (
    <div className="stack">
      <ChartFrame label={`PD history of ${loanId}`} summary={summary} height={240}>
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="n" tickFormatter={(n) => formatDate(points[n - 1]?.clock)} minTickGap={24} interval="preserveStartEnd" />
          <YAxis domain={[0, top]} ticks={[0, ...cutoffs.map((c) => c.at), top]} tickFormatter={pctTick} width={44} />
          <Tooltip formatter={(v) => [formatPct(v, 2), "PD"]}
            labelFormatter={(n) => (points[n - 1] ? `${eventText(points[n - 1])} · ${formatDate(points[n - 1].clock)}` : "")} />
          {cutoffs.map((c) => (
            <ReferenceLine key={c.next} y={c.at} stroke="var(--muted)" strokeDasharray="4 4"
              label={{ value: `${c.next} from ${formatPct(c.at, 0)}`, position: "insideTopLeft", fontSize: 10 }} />
          ))}
          <Line dataKey="pd" stroke="var(--chart-1)" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
        </LineChart>
      </ChartFrame>
      <div className="table-scroll" role="region" aria-label={`Scores of ${loanId}`} tabIndex={0}>
        <table className="pf-history-table">
          <caption className="visually-hidden">Scores of {loanId}, newest first</caption>
          <thead>
            <tr><th scope="col">Loan date</th><th scope="col">What moved it</th><th scope="col" className="num">PD</th><th scope="col">Band</th><th scope="col">Scored</th></tr>
          </thead>
          <tbody>
            {points.slice(-TABLE_ROWS).reverse().map((p) => (
              <tr key={p.n}>
                <td className="nowrap">{formatDate(p.clock)}</td>
                <td>{eventText(p)}{p.alert && <> <Badge tone={p.alert.direction === "improved" ? "good" : "danger"}>{`${p.alert.from_band} → ${p.alert.to_band}`}</Badge></>}</td>
                <td className="num">{formatPct(p.pd, 2)}</td>
                <td><Badge>{p.band}</Badge></td>
                <td className="nowrap muted">{formatDateTime(p.ts)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {points.length > TABLE_ROWS && <p className="muted small">The newest {TABLE_ROWS} of {points.length} scores; the chart shows them all.</p>}
    </div>
  );
}
