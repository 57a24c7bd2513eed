/**
 * A small coloured label for a severity, band, decision or status. `tone` picks the colour; without it
 * the tone is inferred from the text (HIGH → danger, band A → good, ...). Colour is never the only signal:
 * the text is always there.
 */
const TONES = {
  HIGH: "danger", CRITICAL: "danger", SEVERE: "danger", E: "danger", DECLINE: "danger", REJECTED: "danger",
  REVOKED: "danger", ERROR: "danger", FAILED: "danger", NPA: "danger", EMI_OVERDUE: "danger",
  ELEVATED: "warning", MEDIUM: "warning", MODERATE: "warning", D: "warning", C: "warning", REFER: "warning",
  PAUSED: "warning", EXPIRED: "warning", PENDING: "warning", RUNNING: "info", APPROVE_WITH_CONDITIONS: "warning",
  LOW: "good", A: "good", B: "good", APPROVE: "good", ACTIVE: "good", DONE: "good", OK: "good", GRANTED: "good",
  HEALTHY: "good", CLOSED: "neutral", INFO: "info",
};

/** The tone for a value such as "HIGH", "E", "ACTIVE" or "DECLINE" ("neutral" if unknown). */
export function toneFor(value) {
  if (value === null || value === undefined) return "neutral";
  return TONES[String(value).toUpperCase()] || "neutral";
}

export default function Badge({ tone, children, title, className = "" }) {
  const text = children ?? "—";
  const resolved = tone || (typeof text === "string" ? toneFor(text) : "neutral");
  return (
    <span className={`badge badge-${resolved} ${className}`.trim()} title={title}>
      {text}
    </span>
  );
}
