import { useState } from "react";
import CalculationDialog from "./CalculationDialog.jsx";
import { formatMetric } from "../lib/format.js";

const UNIT = /^(.*?\d.*?)(\/(?:month|year))$/;
const HYPHENATED = /([^\s()]+-[^\s()]+)/;

/** A formatted value as its number and its unit (`+0.63%` and `/month`), so each stays whole on screen. */
export function splitUnit(text) {
  const match = UNIT.exec(String(text));
  return match ? [match[1], match[2]] : [String(text), null];
}

/**
 * Text that may wrap at spaces but never inside a hyphenated word or an ISO date (`3-month`, `2025-12`,
 * never `3-` / `month`): each such word is kept on one line.
 */
function Whole({ text }) {
  return String(text).split(HYPHENATED).map((part, i) => (i % 2 ? <span key={i} className="nowrap">{part}</span> : part));
}

/**
 * One figure: label, value (through formatMetric), the period it covers (`metric.window.label`, where the
 * analysis states one) and an optional hint. The tile is a button whose
 * tooltip is the formula; activating it opens the calculation (formula, inputs, explanation).
 * `as` ("percent" | "multiple") and `compact` are passed to formatMetric (amounts in lakh/crore unless
 * `compact={false}`, the dashboard's convention for tiles); `tone` colours the value.
 */
export default function MetricTile({ label, metric, as, compact = true, hint, tone }) {
  const [open, setOpen] = useState(false);
  const title = label || metric?.label || "Metric";
  const value = formatMetric(metric, { as, compact });
  const [number, unit] = splitUnit(value);
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
        <span className="metric-value">
          <span className="metric-number"><Whole text={number} /></span>
          {unit && <><wbr /><span className="metric-unit">{unit}</span></>}
        </span>
        {period && <span className="metric-window"><Whole text={period} /></span>}
        {(hint || (missing && metric?.reason)) && <span className="metric-hint">{hint || metric.reason}</span>}
      </button>
      {open && <CalculationDialog title={title} metric={metric} as={as} onClose={() => setOpen(false)} />}
    </>
  );
}
