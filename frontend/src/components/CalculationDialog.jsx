import Dialog from "./Dialog.jsx";
import { formatMetric, formatNumber } from "../lib/format.js";

const LIST_PREVIEW = 12;

function formatInput(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") {
    const rounded = Number(value.toFixed(4));
    const places = (String(rounded).split(".")[1] || "").length;
    return formatNumber(rounded, { decimals: Math.min(places, 4) });
  }
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) {
    const shown = value.slice(0, LIST_PREVIEW).map(formatInput).join(", ");
    return value.length > LIST_PREVIEW ? `${shown}, … (${value.length} values)` : shown || "none";
  }
  if (typeof value === "object") {
    return Object.entries(value).map(([k, v]) => `${k}: ${formatInput(v)}`).join("; ");
  }
  return String(value);
}

/**
 * How a figure was computed: its value, formula, inputs and explanation (every metric carries them).
 * `metric` is the `{value, unit, formula, inputs, explanation, reason?}` object.
 */
export default function CalculationDialog({ title, metric, onClose, as }) {
  const inputs = Object.entries(metric?.inputs || {});
  return (
    <Dialog title={title || "Calculation"} onClose={onClose} className="calculation">
      <p className="calc-value">
        <span className="calc-label">Value</span> <strong>{formatMetric(metric, { as })}</strong>
        {metric?.unit && <span className="muted"> ({metric.unit})</span>}
      </p>
      {typeof metric?.window?.label === "string" && metric.window.label && (
        <p><span className="muted">Window: </span>{metric.window.label}</p>
      )}
      {metric?.reason && <p className="calc-reason" role="note">Not computed: {metric.reason}</p>}
      {metric?.formula && (
        <>
          <h3>Formula</h3>
          <p><code className="formula">{metric.formula}</code></p>
        </>
      )}
      {inputs.length > 0 && (
        <>
          <h3>Inputs</h3>
          <dl className="kv calc-inputs">
            {inputs.map(([key, value]) => (
              <div className="kv-row" key={key}>
                <dt>{key}</dt>
                <dd>{formatInput(value)}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      {metric?.explanation && (
        <>
          <h3>What it means</h3>
          <p>{metric.explanation}</p>
        </>
      )}
    </Dialog>
  );
}
