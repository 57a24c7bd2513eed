import Badge from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import MetricTile from "../../../components/MetricTile.jsx";
import { instalmentFor, statusLabel, statusTone } from "../labels.js";
import SizingDetails from "./sizing-details.jsx";

/**
 * One product: status, what it is for, the offer (amount, rate, tenure, instalment, fee, total interest)
 * when eligible, the reasons when not eligible or not assessed, its conditions, and the sizing on demand.
 */
export default function ProductCard({ product, position }) {
  const status = product?.status;
  const eligible = status === "ELIGIBLE" || product?.eligible === true;
  const reasons = (product?.reasons || []).filter(Boolean);
  const conditions = (product?.conditions || []).filter(Boolean);
  const instalment = instalmentFor(product?.repayment);
  const name = product?.name || product?.id || "Product";
  return (
    <Card
      title={name}
      headingLevel={3}
      subtitle={product?.purpose}
      className={`recs-card recs-${statusTone(status)}`}
      actions={(
        <>
          {position && <span className="muted">#{position}</span>}
          <Badge tone={statusTone(status)}>{statusLabel(status)}</Badge>
        </>
      )}
    >
      <div className="stack">
        {eligible ? (
          <div className="tiles">
            <MetricTile label="Amount" metric={product.amount} />
            <MetricTile label="Annual rate" metric={product.annual_rate} as="percent" />
            <MetricTile label="Tenure" metric={product.tenure_months} />
            <MetricTile label={instalment.label} metric={product.emi} hint={instalment.hint} />
            {product.processing_fee && <MetricTile label="Processing fee" metric={product.processing_fee} hint="GST extra" />}
            {product.total_interest && <MetricTile label="Total interest" metric={product.total_interest} />}
          </div>
        ) : (
          <div>
            <h4>{status === "NOT_ASSESSED" ? "Why it could not be assessed" : "Why not eligible"}</h4>
            {reasons.length ? (
              <ul className="reason-list" aria-label={`Reasons: ${name}`}>
                {reasons.map((r, i) => <li key={i}>{r}</li>)}
              </ul>
            ) : (
              <p className="muted">No reason recorded.</p>
            )}
          </div>
        )}
        {conditions.length > 0 && (
          <div>
            <h4>Conditions</h4>
            <ul className="reason-list" aria-label={`Conditions: ${name}`}>
              {conditions.map((c, i) => <li key={i}>{c}</li>)}
            </ul>
          </div>
        )}
        <SizingDetails product={product} />
      </div>
    </Card>
  );
}
