/**
 * The recharts pieces the dashboard uses, re-exported from one place. Only lazily loaded feature pages
 * import this module, so recharts lands in a lazy chunk and never in the first view's bundle.
 * Do NOT import it from src/app/* or from components/index.js.
 */
import { ResponsiveContainer } from "recharts";
import { formatINR, formatMonth } from "../lib/format.js";

export {
  Area, AreaChart, Bar, BarChart, Brush, CartesianGrid, Cell, ComposedChart, Legend, Line, LineChart, Pie, PieChart,
  ReferenceArea, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis,
} from "recharts";

/** Chart colours (CSS variables from app.css), in series order. */
export const SERIES_COLOURS = ["var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)", "var(--chart-5)"];

/** Axis tick for rupee amounts: `₹12.3 L`, `₹1.2 Cr`. */
export const inrTick = (value) => formatINR(value, { compact: true, decimals: 1 });
/** Tooltip formatter for rupee amounts: `₹12,34,567`. */
export const inrTooltip = (value) => formatINR(value);
/** Axis tick for `YYYY-MM` months: `Jan 2024`. */
export const monthTick = (value) => formatMonth(value);

/**
 * A chart in a `<figure>` with a text alternative: `label` names it (role="img" aria-label), `summary` is the
 * sentence a screen reader gets instead of the picture, `height` in px. Put a table of the same data next to
 * charts whose numbers matter.
 */
export function ChartFrame({ label, summary, height = 260, children }) {
  return (
    <figure className="chart" aria-label={label}>
      <div role="img" aria-label={summary ? `${label}. ${summary}` : label} style={{ width: "100%", height }}>
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 640, height }}>
          {children}
        </ResponsiveContainer>
      </div>
      <figcaption className="chart-caption">{label}</figcaption>
    </figure>
  );
}
