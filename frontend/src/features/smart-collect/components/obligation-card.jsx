import Badge from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import KeyValueList from "../../../components/KeyValueList.jsx";
import MetricTile from "../../../components/MetricTile.jsx";
import { formatINR, formatNumber } from "../../../lib/format.js";
import { ordinal, sourceLabel, windowText } from "../labels.js";
import HistoryGrid from "./history-grid.jsx";
import UpcomingTable from "./upcoming-table.jsx";

const probabilityTone = (p) => (typeof p !== "number" ? undefined : p >= 0.8 ? "good" : p >= 0.5 ? "warning" : "danger");

/** The presentation day, and whether the contractual due day falls inside the optimal window. */
function presentOn(o) {
  if (typeof o.recommended_presentation_day !== "number") return null;
  const day = `${ordinal(o.recommended_presentation_day)} of the month`;
  if (o.due_day_in_window === false) return `${day} (the due day, the ${ordinal(o.day_of_month)}, is outside the window)`;
  if (o.due_day_in_window === true) return `${day} (the due day is inside the window)`;
  return day;
}

/** One obligation's collection plan: dues, window, success probability and its basis, method, history. */
export default function ObligationCard({ obligation }) {
  const o = obligation || {};
  const lender = o.lender || "Unknown lender";
  const p = o.success_probability;
  const windowNote = o.optimal_window
    ? `${windowText(o.optimal_window)}${typeof o.optimal_window.median_available_balance === "number" ? ` (median available balance ${formatINR(o.optimal_window.median_available_balance, { compact: true })})` : ""}`
    : null;
  return (
    <Card
      title={lender}
      headingLevel={3}
      subtitle={`${formatINR(o.amount)} a month, due on the ${ordinal(o.day_of_month)}`}
      actions={<Badge tone="info">{sourceLabel(o.source)}</Badge>}
      className="sc-obligation"
    >
      <div className="stack">
        {o.assumption && <p className="muted" role="note">Assumption: {o.assumption}.</p>}
        <div className="grid-2">
          <div className="sc-plan">
            <UpcomingTable dues={o.next_dues} lender={lender} />
            <div className="tiles">
              <MetricTile label="Success probability" metric={p} tone={probabilityTone(p?.value)} hint={p?.explanation} />
            </div>
          </div>
          <div>
            <KeyValueList
              items={[
                { label: "Recommended method", value: o.recommended_method ? <strong>{o.recommended_method}</strong> : null },
                { label: "Why", value: o.method_reason },
                { label: "Optimal window", value: windowNote },
                { label: "Present on", value: presentOn(o) },
                { label: "Current mandate", value: o.mandate },
                { label: "Seen in statement", value: typeof o.months_seen === "number" ? `${formatNumber(o.months_seen)} month(s)` : null },
              ]}
            />
          </div>
        </div>
        <div>
          <h4>Last 12 months</h4>
          <HistoryGrid history={o.history} lender={lender} />
        </div>
      </div>
    </Card>
  );
}
