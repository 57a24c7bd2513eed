import { formatDate, formatINR } from "../../../lib/format.js";

/** The next dues of one obligation: amount, what the account usually holds that day, and the shortfall. */
export default function UpcomingTable({ dues, lender }) {
  const rows = (dues || []).filter(Boolean);
  if (!rows.length) return <p className="muted">No upcoming collections.</p>;
  return (
    <div className="table-scroll" role="region" aria-label={`Upcoming collections${lender ? ` — ${lender}` : ""}`} tabIndex={0}>
      <table>
        <caption className="visually-hidden">Upcoming collections{lender ? ` — ${lender}` : ""}</caption>
        <thead>
          <tr>
            <th scope="col">Due date</th>
            <th scope="col" className="num">Amount</th>
            <th scope="col" className="num">Predicted balance</th>
            <th scope="col" className="num">Shortfall</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d, i) => {
            const short = typeof d.shortfall === "number" && d.shortfall > 0;
            const basis = d.predicted_balance?.formula || d.predicted_balance?.explanation;
            return (
              <tr key={d.due_date || i}>
                <td>{formatDate(d.due_date)}</td>
                <td className="num">{formatINR(d.amount)}</td>
                <td className="num" title={basis}>{formatINR(d.predicted_balance?.value)}</td>
                <td className={`num${short ? " sc-short" : ""}`}>
                  {short ? <>{formatINR(d.shortfall)} <span className="visually-hidden">short</span></> : typeof d.shortfall === "number" ? "None" : "—"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows[0]?.predicted_balance?.formula && <p className="muted sc-note">Predicted balance: {rows[0].predicted_balance.formula}.</p>}
    </div>
  );
}
