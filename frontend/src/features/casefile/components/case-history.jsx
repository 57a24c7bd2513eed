import Badge, { toneFor } from "../../../components/Badge.jsx";
import { formatDateTime, formatINRWords, formatPct, toNumber } from "../../../lib/format.js";
import { decisionLabel } from "../labels.js";

function OfficerEntry({ entry }) {
  const amount = toNumber(entry.amount);
  return (
    <>
      <p className="history-title">
        <strong>Officer decision</strong> <Badge tone={toneFor(entry.decision)}>{decisionLabel(entry.decision)}</Badge>
        {entry.differs && <Badge tone="warning">Differs from the engine</Badge>}
        <span className="muted"> by {entry.by || "—"}</span>
      </p>
      <p className="muted">
        Against the engine's {decisionLabel(entry.engine_decision)}
        {entry.policy_version ? ` (policy ${entry.policy_version})` : ""}
        {amount !== null ? ` · amount ${formatINRWords(amount)}` : ""}
      </p>
      {entry.reason && <p className="history-reason"><span className="muted">Reason: </span>{entry.reason}</p>}
      {entry.conditions?.length > 0 && <p><span className="muted">Conditions: </span>{entry.conditions.join("; ")}</p>}
      {entry.note && <p><span className="muted">Note: </span>{entry.note}</p>}
    </>
  );
}

function EngineEntry({ entry }) {
  const pd = toNumber(entry.probability_of_default);
  return (
    <p className="history-title">
      <strong>Engine decision</strong> <Badge tone={toneFor(entry.decision)}>{decisionLabel(entry.decision)}</Badge>
      <span className="muted">
        {entry.band ? ` ${entry.band}` : ""}{pd !== null ? ` · PD ${formatPct(pd)}` : ""}
        {entry.policy_version ? ` · policy ${entry.policy_version}` : ""}
        {entry.current ? " · current" : " · since replaced"}
      </span>
    </p>
  );
}

function RunEntry({ entry }) {
  return (
    <p className="history-title">
      <strong>Pipeline run</strong> <Badge>{String(entry.status || "unknown").toUpperCase()}</Badge>
      <span className="muted"> {(entry.steps || []).join(", ")}</span>
    </p>
  );
}

const VIEWS = { officer: OfficerEntry, engine: EngineEntry, run: RunEntry };

/** The case's history, newest first: officers' decisions, the engine's decisions and the runs that made them. */
export default function CaseHistory({ history }) {
  const entries = Array.isArray(history?.entries) ? history.entries : [];
  if (!entries.length) return <p className="muted">Nothing on this case yet.</p>;
  return (
    <ol className="case-history list-plain" aria-label="Case history">
      {entries.map((entry, i) => {
        const View = VIEWS[entry.kind];
        if (!View) return null;
        return (
          <li key={entry.decision_id || `${entry.kind}-${entry.ts}-${i}`} className={`history-${entry.kind}`}>
            <time className="muted history-time" dateTime={entry.ts}>{formatDateTime(entry.ts)}</time>
            <View entry={entry} />
          </li>
        );
      })}
    </ol>
  );
}
