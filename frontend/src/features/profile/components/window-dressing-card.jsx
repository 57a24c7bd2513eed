import Badge from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import { formatINR } from "../../../lib/format.js";

const KINDS = [
  ["large_credit_withdrawn", "Large credit withdrawn"],
  ["cash_before_emi", "Cash before EMI"],
  ["credits_bunched", "Credits bunched"],
];

function Lines({ ids, onShowTxn }) {
  return ids.map((id) => (
    <button key={id} type="button" className="link-button mono" aria-label={`Show transaction ${id} in Transactions`}
      onClick={() => onShowTxn(id)}>{id}</button>
  ));
}

/**
 * Window dressing: large credits taken straight out again, cash paid in just before an EMI the balance could not
 * carry, and credits bunched before the balance-averaging days or at month end. Each case with why it was flagged
 * and links to the credit lines and the debits (or EMI) they are tied to, so an officer can judge it on the lines.
 */
export default function WindowDressingCard({ dressing, onShowTxn }) {
  const cases = KINDS.flatMap(([key, label]) => (dressing?.[key]?.items || []).map((item) => ({ ...item, key, label })));
  if (!dressing) {
    return <Card title="Window dressing" headingLevel={3}><p className="state state-compact">Not computed for this statement.</p></Card>;
  }
  if (!cases.length) {
    return <Card title="Window dressing" headingLevel={3}><p className="state state-compact">No window dressing found in the statement.</p></Card>;
  }
  const counts = KINDS.map(([key, label]) => `${label}: ${dressing[key]?.value ?? 0}`).join(" · ");
  return (
    <Card title="Window dressing" headingLevel={3} subtitle={counts}>
      <table>
        <caption className="visually-hidden">Window-dressing cases</caption>
        <thead>
          <tr><th>Date</th><th>Pattern</th><th className="num">Amount</th><th>Why</th><th>Credits</th><th>Related debits</th></tr>
        </thead>
        <tbody>
          {cases.map((c) => (
            <tr key={`${c.key}-${c.credit_txn_id}`}>
              <td className="nowrap">{c.date}</td>
              <td><Badge tone="warning">{c.label}</Badge></td>
              <td className="num">{formatINR(c.amount)}</td>
              <td>{c.explanation}</td>
              <td><Lines ids={c.credit_txn_ids} onShowTxn={onShowTxn} /></td>
              <td><Lines ids={c.related_txn_ids} onShowTxn={onShowTxn} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
