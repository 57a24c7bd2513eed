import Card from "../../../components/Card.jsx";
import MetricTile from "../../../components/MetricTile.jsx";

/** How each key metric reads best: shares as percentages, cover ratios as multiples. */
const LAYOUT = [
  { key: "abb" },
  { key: "avg_monthly_business_credits" },
  { key: "surplus_ratio", as: "percent" },
  { key: "foir", as: "percent" },
  { key: "dscr", as: "multiple" },
  { key: "avg_monthly_turnover" },
  { key: "turnover_trend", trend: true },
  { key: "yoy_growth", as: "percent" },
  { key: "worst_dpd_12m" },
  { key: "bureau_score" },
  { key: "income_cv" },
];

/** The word before the first colon of a trend's explanation ("stable: the fitted line…" → "stable"). */
function trendWord(metric) {
  const match = /^([a-z ]+):/i.exec(metric?.explanation || "");
  return match ? match[1] : undefined;
}

/** Key metrics of the overall summary as tiles; each opens its calculation. */
export default function KeyMetrics({ metrics }) {
  const all = metrics && typeof metrics === "object" ? metrics : {};
  const known = LAYOUT.filter((item) => all[item.key]);
  const extra = Object.keys(all).filter((key) => !LAYOUT.some((item) => item.key === key)).map((key) => ({ key }));
  const items = [...known, ...extra];
  return (
    <Card title="Key metrics" subtitle="Select a figure to see how it was calculated">
      {items.length === 0 ? (
        <p className="muted">No key metrics computed yet.</p>
      ) : (
        <div className="tiles">
          {items.map((item) => {
            const metric = all[item.key];
            return (
              <MetricTile
                key={item.key}
                label={metric?.label || item.key}
                metric={metric}
                as={item.as}
                hint={item.trend ? trendWord(metric) : undefined}
              />
            );
          })}
        </div>
      )}
    </Card>
  );
}
