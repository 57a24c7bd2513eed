import Badge from "../../../components/Badge.jsx";
import { humanize } from "../../../lib/format.js";

/** The forecast's risk flags (negative net, short runway, declining inflows, ...) with their severity. */
export default function RiskFlags({ flags }) {
  const list = (flags || []).filter(Boolean);
  if (!list.length) return <p className="muted">No cash-flow risk flags.</p>;
  return (
    <ul className="list-plain" aria-label="Cash-flow risk flags">
      {list.map((f, i) => (
        <li key={f.code || i}>
          <Badge>{String(f.severity || "info").toUpperCase()}</Badge>{" "}
          <strong>{humanize(f.code)}</strong>: {f.reason || "no reason given"}
        </li>
      ))}
    </ul>
  );
}
