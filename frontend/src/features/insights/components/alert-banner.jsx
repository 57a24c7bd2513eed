import Banner from "../../../components/Banner.jsx";
import Badge from "../../../components/Badge.jsx";

const ORDER = { HIGH: 0, MEDIUM: 1, LOW: 2 };

/**
 * Fraud and anomaly alerts of the overall summary. HIGH alerts are a red `role="alert"` banner at the top
 * of the page (a fraud flag must be impossible to miss); the others follow as a warning list.
 */
export default function AlertBanner({ alerts }) {
  const list = Array.isArray(alerts) ? alerts.filter(Boolean) : [];
  if (list.length === 0) return null;
  const sorted = list.slice().sort((a, b) => (ORDER[a.severity] ?? 3) - (ORDER[b.severity] ?? 3));
  const high = sorted.filter((a) => a.severity === "HIGH");
  const other = sorted.filter((a) => a.severity !== "HIGH");
  const fraud = high.some((a) => a.kind === "fraud");
  return (
    <div className="stack">
      {high.length > 0 && (
        <Banner
          tone="danger"
          title={fraud ? "Fraud alert — HIGH severity: do not proceed without fraud control review" : `${high.length} HIGH-severity alert${high.length === 1 ? "" : "s"}`}
        >
          <ul>
            {high.map((a, i) => (
              <li key={`${a.source || a.kind}-${i}`}>{a.message || "Alert without a message"}</li>
            ))}
          </ul>
        </Banner>
      )}
      {other.length > 0 && (
        <Banner tone="warning" title={`${other.length} other alert${other.length === 1 ? "" : "s"}`}>
          <ul>
            {other.map((a, i) => (
              <li key={`${a.source || a.kind}-${i}`}>
                <Badge>{a.severity || "INFO"}</Badge> {a.message || "Alert without a message"}
              </li>
            ))}
          </ul>
        </Banner>
      )}
    </div>
  );
}
