import Badge from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import { formatINR } from "../../../lib/format.js";
import TxnLinks from "./txn-links.jsx";

const HOW = {
  mandate_reference: "Mandate reference (UMRN)",
  named_lender: "Lender named on the return",
  amount_date: "Same EMI amount, one lender",
  date: "Only lender debiting after it",
  unattributed: "Not attributable",
};

/**
 * Every returned cheque or mandate, with the lender it is booked to and the evidence for it, so an officer
 * can see why a bounce counts against one lender and open the lines behind it.
 */
export default function BouncesCard({ bounces, onShowTxn }) {
  if (!bounces?.length) {
    return <Card title="Bounces" headingLevel={3}><p className="state state-compact">No returned cheque or mandate in the statement.</p></Card>;
  }
  return (
    <Card title="Bounces" headingLevel={3} subtitle="Each return with the lender it belongs to and how that was decided">
      <table>
        <caption className="visually-hidden">Bounces by lender</caption>
        <thead>
          <tr><th>Date</th><th>Direction</th><th>Instrument</th><th>Lender / party</th><th>Attributed by</th>
            <th>Reference</th><th className="num">Amount</th><th>Reason</th><th>Lines</th></tr>
        </thead>
        <tbody>
          {bounces.map((b) => (
            <tr key={b.txn_ids.join("-")}>
              <td className="nowrap">{b.date}</td>
              <td>{b.direction}</td>
              <td>{b.instrument}</td>
              <td>{b.counterparty || "—"}</td>
              <td>{b.attribution ? <Badge tone={b.attribution === "unattributed" ? "warning" : "neutral"}>{HOW[b.attribution] || b.attribution}</Badge> : "—"}</td>
              <td>{b.mandate_reference ? <code>{b.mandate_reference}</code> : "—"}</td>
              <td className="num">{b.amount == null ? "—" : formatINR(b.amount)}</td>
              <td>{b.reason || "—"}</td>
              <td><TxnLinks ids={b.txn_ids} onShowTxn={onShowTxn} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
