import { formatNumber } from "../../../lib/format.js";

const PREVIEW = 8;

/** A plain number at up to four places (inputs have no unit of their own, so no currency is assumed). */
export function inputNumber(value) {
  const rounded = Number(value.toFixed(4));
  const places = (String(rounded).split(".")[1] || "").length;
  return formatNumber(rounded, { decimals: Math.min(places, 4) });
}

function scalar(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return inputNumber(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * One input of a calculation: a number, a text, a list (the first values, the rest behind a disclosure) or
 * a small object (its fields).
 */
export default function InputValue({ value }) {
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    const shown = value.slice(0, PREVIEW).map(scalar).join(", ");
    if (value.length <= PREVIEW) return <span>{shown}</span>;
    return (
      <details className="input-list">
        <summary>{shown}, … ({formatNumber(value.length)} values)</summary>
        <p className="input-all">{value.map(scalar).join(", ")}</p>
      </details>
    );
  }
  if (value !== null && typeof value === "object") {
    return (
      <dl className="input-object">
        {Object.entries(value).map(([k, v]) => (
          <div key={k}><dt>{k}</dt><dd><InputValue value={v} /></dd></div>
        ))}
      </dl>
    );
  }
  return <span>{scalar(value)}</span>;
}
