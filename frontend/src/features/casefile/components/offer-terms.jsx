import { formatINR, formatMetric, formatPct, humanize, toNumber } from "../../../lib/format.js";
import { buildUpParts, buildUpTotal, valueOf } from "../labels.js";

/** A term of the offer: label, value and, where the metric states one, its window. */
function Term({ label, value, title, window: win }) {
  return (
    <div className="term">
      <dt>{label}</dt>
      <dd title={title}>
        {value}
        {win?.label && <span className="metric-window">{win.label}</span>}
      </dd>
    </div>
  );
}

/**
 * The headline offer: amount in lakh/crore (exact rupees on hover), tenure, EMI and the annual rate with its
 * risk-based build-up (benchmark + cost of funds + operating cost + expected loss + capital charge).
 */
export default function OfferTerms({ offer }) {
  if (!offer) return null;
  const amount = toNumber(valueOf(offer.amount));
  const tenure = toNumber(valueOf(offer.tenure_months));
  const rate = offer.annual_rate;
  const parts = buildUpParts(rate);
  const total = toNumber(valueOf(rate));
  const built = buildUpTotal(rate);
  return (
    <div className="offer-terms">
      <p className="offer-name">
        <strong>{offer.name || humanize(offer.product_id)}</strong>
        {offer.structure && <span className="muted"> · {humanize(offer.structure)}</span>}
      </p>
      <dl className="terms">
        <Term label="Amount" value={formatINR(amount, { compact: true })} title={amount === null ? undefined : formatINR(amount)}
          window={offer.amount?.window} />
        <Term label="Tenure" value={tenure === null ? "—" : `${tenure} months`} />
        <Term label="EMI" value={formatMetric(offer.emi, { compact: true })} window={offer.emi?.window} />
        <Term label="Rate" value={total === null ? "—" : `${formatPct(total, 2)} a year`} />
      </dl>
      {parts.length > 0 && (
        <p className="build-up" aria-label="Rate build-up">
          <span className="muted">Rate build-up: </span>
          {parts.map((p, i) => (
            <span key={p.key} className="build-up-part">
              {i > 0 && " + "}
              {p.label} <strong>{formatPct(p.value, 2)}</strong>
            </span>
          ))}
          {" = "}<strong>{formatPct(built.sum, 2)}</strong>
          {built.rounded && <>, charged <strong>{formatPct(total, 2)}</strong> (rounded up to the next 0.05%)</>}
        </p>
      )}
      {offer.basis && <p className="muted offer-basis">{offer.basis}</p>}
    </div>
  );
}
