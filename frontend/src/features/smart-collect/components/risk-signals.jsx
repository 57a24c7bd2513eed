import Badge from "../../../components/Badge.jsx";

/** Collection risk signals and the action each calls for. */
export default function RiskSignals({ signals }) {
  const list = (signals || []).filter(Boolean);
  if (!list.length) return <p className="muted">No collection risk signals.</p>;
  return (
    <ul className="list-plain" aria-label="Collection risk signals">
      {list.map((s, i) => (
        <li key={i}>
          <Badge>{String(s.severity || "INFO").toUpperCase()}</Badge>{" "}
          {s.lender && <strong>{s.lender}: </strong>}
          {s.signal}
          {s.action && <div className="sc-action">Action: {s.action}</div>}
        </li>
      ))}
    </ul>
  );
}
