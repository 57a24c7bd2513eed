import MetricTile from "./MetricTile.jsx";

const PERCENT = /(share|_rate$|^rate|utilisation|utilization|punctuality|growth|cagr|^foir$|surplus_ratio|itc_ratio$|approval_rate)/;
const MULTIPLE = /(^dscr$|_to_monthly|gst_to_bank_ratio)/;

const WORDS = {
  abb: "ABB", eod: "EOD", emi: "EMI", gst: "GST", dpd: "DPD", foir: "FOIR", dscr: "DSCR", cv: "CV", itc: "ITC", gmv: "GMV",
  rto: "RTO", sip: "SIP", od: "OD", cc: "CC", gstr1: "GSTR-1", "3b": "3B", yoy: "YoY", pct: "%", nav: "NAV", mf: "MF",
  ocen: "OCEN", ondc: "ONDC", npa: "NPA", "12m": "12 months", "3m": "3 months", "6m": "6 months", "24m": "24 months",
  "30d": "30 days", "90d": "90 days", avg: "Avg", vs: "vs", upi: "UPI", b2b: "B2B", atm: "ATM", nach: "NACH",
};

/** A readable label for a metric key: `avg_eod_balance` → "Avg EOD balance", `gstr1_vs_3b_gap_pct` → "GSTR-1 vs 3B gap %". */
export function metricLabel(key) {
  const words = String(key || "").split("_").filter(Boolean).map((w) => WORDS[w.toLowerCase()] ?? w.toLowerCase());
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How a ratio metric reads best, from its key: shares as percentages, covers as multiples, else plain. */
export function ratioStyle(key, metric) {
  if (metric?.unit !== "ratio") return undefined;
  if (MULTIPLE.test(key)) return "multiple";
  if (PERCENT.test(key)) return "percent";
  return undefined;
}

/**
 * A grid of MetricTiles for a `{key: metric}` object (an analytics document's `metrics`).
 * `only` picks and orders keys; `labels` overrides labels (default: the metric's label or the humanised key);
 * `as` overrides formatting per key. Amounts are compact (₹12.35 L); each tile opens its calculation.
 */
export default function MetricGrid({ metrics, only, labels = {}, as = {}, compact = true }) {
  const all = metrics && typeof metrics === "object" ? metrics : {};
  const keys = (only || Object.keys(all)).filter((key) => all[key] && typeof all[key] === "object");
  if (keys.length === 0) return <p className="muted">No figures computed.</p>;
  return (
    <div className="tiles">
      {keys.map((key) => (
        <MetricTile
          key={key}
          label={labels[key] || all[key].label || metricLabel(key)}
          metric={all[key]}
          as={as[key] ?? ratioStyle(key, all[key])}
          compact={compact}
        />
      ))}
    </div>
  );
}
