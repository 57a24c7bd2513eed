import Badge from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import { formatINR, formatPct } from "../../../lib/format.js";
import SectionEmpty from "./section-empty.jsx";
import TxnLinks from "./txn-links.jsx";

/** The signals in the order an analyst reads them, with a plain title each (`signals.metrics.<key>`). */
export const SIGNALS = [
  { key: "round_tripping", title: "Round-tripping (combined)" },
  { key: "multi_hop_circular", title: "Multi-hop round trips" },
  { key: "related_party_flows", title: "Related-party flows" },
  { key: "window_dressing", title: "Window dressing" },
  { key: "loan_stacking", title: "Loan stacking" },
  { key: "bounce_attribution", title: "Bounces by mandate" },
  { key: "itc_check", title: "ITC claimed vs GSTR-2B" },
  { key: "od_cc_conduct", title: "OD/CC conduct" },
  { key: "self_credits", title: "Owner's own money" },
];

/** Every transaction id a case names, in order, once. */
export function caseLines(item) {
  const ids = [item.txn_id, item.credit_txn_id, item.disbursal_txn_id, ...(item.txn_ids || []), ...(item.related_txn_ids || []),
    ...((item.legs || []).map((l) => l.txn_id))];
  return [...new Set(ids.filter(Boolean))];
}

function describe(item) {
  if (item.facility) {
    return `${item.facility} limit ${formatINR(item.limit)} · average use ${Math.round((item.avg_utilisation || 0) * 100)}% · peak ${Math.round((item.peak_utilisation || 0) * 100)}% · ${item.days_over_drawing_power ?? 0} day(s) over drawing power`;
  }
  if (item.legs) return item.legs.map((l) => `${l.type === "CREDIT" ? "in from" : "out to"} ${l.counterparty} ${formatINR(l.amount)} (${l.date})`).join(" → ");
  const parts = [item.date || item.dateOpened, item.kind, item.relation, item.counterparty || item.lender, item.attribution,
    item.amount != null ? formatINR(item.amount) : null, item.explanation];
  return parts.filter(Boolean).join(" · ");
}

function valueText(m) {
  if (m.value === null || m.value === undefined) return m.reason || "not computed";
  if (typeof m.value === "boolean") return m.value ? "yes" : "no";
  if (m.unit === "INR") return formatINR(m.value);
  if (m.unit === "ratio") return formatPct(m.value);
  return String(m.value);
}

/**
 * Profile > Signals: each behavioural signal (`GET /api/customer-profile` → `signals`) with whether it needs
 * attention, how it was computed and the cases behind it; each case's lines open in Transactions.
 */
export default function SignalsSection({ signals, onShowTxn }) {
  const metrics = signals?.metrics;
  if (!metrics) return <SectionEmpty what="signals" />;
  const flagged = SIGNALS.filter((s) => metrics[s.key]?.flagged);
  return (
    <div className="stack">
      <Card title="Signals" headingLevel={3} subtitle={flagged.length ? `${flagged.length} need attention: ${flagged.map((s) => s.title).join(", ")}` : "Nothing flagged"}>
        <table>
          <caption className="visually-hidden">Signals summary</caption>
          <thead><tr><th>Signal</th><th>Status</th><th>Value</th><th>How it is computed</th></tr></thead>
          <tbody>
            {SIGNALS.filter((s) => metrics[s.key]).map((s) => (
              <tr key={s.key}>
                <th scope="row">{s.title}</th>
                <td><Badge tone={metrics[s.key].flagged ? "danger" : "good"}>{metrics[s.key].flagged ? "Flagged" : "Clear"}</Badge></td>
                <td>{valueText(metrics[s.key])}</td>
                <td className="muted">{metrics[s.key].formula}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      {SIGNALS.filter((s) => metrics[s.key]?.items?.length).map((s) => (
        <Card key={s.key} title={s.title} headingLevel={3} subtitle={metrics[s.key].explanation}>
          <table>
            <caption className="visually-hidden">{`${s.title}: cases`}</caption>
            <thead><tr><th>Case</th><th>Lines</th></tr></thead>
            <tbody>
              {metrics[s.key].items.map((item, i) => (
                <tr key={`${s.key}-${i}`}>
                  <td>{describe(item)}</td>
                  <td><TxnLinks ids={caseLines(item)} onShowTxn={onShowTxn} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      ))}
    </div>
  );
}
