import Badge from "../../../components/Badge.jsx";

/**
 * Quarantined lines: each with its line number in the raw file, every reason (code, field, message) and the
 * original raw line exactly as delivered.
 */
export default function QuarantineList({ page }) {
  const items = page.items || [];
  return (
    <ol className="quarantine-list">
      {items.map((item, index) => (
        <li key={`${item.line}-${index}`} className="quarantine-item">
          <p className="quarantine-line">Raw line {item.line ?? "—"}</p>
          <ul className="quarantine-reasons" aria-label={`Why line ${item.line ?? "—"} was quarantined`}>
            {(item.reasons || []).map((reason, i) => (
              <li key={`${reason.code}-${reason.field}-${i}`}>
                <Badge tone="warning">{reason.code}</Badge>{" "}
                <span className="reason-field">field <code>{reason.field}</code>:</span>{" "}
                <span className="reason-message">{reason.message}</span>
              </li>
            ))}
          </ul>
          <p className="quarantine-raw-label">Original raw line</p>
          <pre className="quarantine-raw"><code>{typeof item.raw === "string" ? item.raw : JSON.stringify(item.raw)}</code></pre>
        </li>
      ))}
    </ol>
  );
}
