import { useState } from "react";
import CalculationDialog from "./CalculationDialog.jsx";
import { formatMetric } from "../lib/format.js";

/**
 * One figure: label, value (through formatMetric), the period it covers (`metric.window.label`, where the
 * analysis states one) and an optional hint. The tile is a button whose
 * tooltip is the formula; activating it opens the calculation (formula, inputs, explanation).
 * `as` ("percent" | "multiple") and `compact` are passed to formatMetric; `tone` colours the value.
 */
export default function MetricTile({ label, metric, as, compact = false, hint, tone }) {
  const [open, setOpen] = useState(false);
  const title = label || metric?.label || "Metric";
  const value = formatMetric(metric, { as, compact });
  const period = typeof metric?.window?.label === "string" && metric.window.label ? metric.window.label : null;
  const missing = metric?.value === null || metric?.value === undefined;
  const tooltip = metric?.formula ? `${metric.formula}${missing && metric?.reason ? ` — ${metric.reason}` : ""}` : undefined;
  return (
    <>
      <button
        type="button"
        className={`metric-tile${tone ? ` metric-${tone}` : ""}`}
        title={tooltip}
        onClick={() => metric && setOpen(true)}
        aria-haspopup={metric ? "dialog" : undefined}
        disabled={!metric}
        aria-label={`${title}: ${value}${period ? ` (${period})` : ""}${metric ? ". Show calculation" : ""}`}
      >
        <span className="metric-label">{title}</span>
        <span className="metric-value">{value}</span>
        {period && <span className="metric-window">{period}</span>}
        {(hint || (missing && metric?.reason)) && <span className="metric-hint">{hint || metric.reason}</span>}
      </button>
      {open && <CalculationDialog title={title} metric={metric} as={as} onClose={() => setOpen(false)} />}
    </>
  );
}
