import MetricTile from "../../../components/MetricTile.jsx";
import { humanize } from "../../../lib/format.js";
import { capLabel, ruleOutcome } from "../labels.js";

/**
 * How the amount was sized, on demand: the caps and which one binds, the EMI capacity, FOIR and DSCR after
 * the new instalment, and every eligibility rule with its outcome.
 */
export default function SizingDetails({ product }) {
  const sizing = product?.sizing || {};
  const caps = Object.entries(sizing.caps || {}).filter(([, m]) => m && typeof m === "object");
  const rules = (product?.rules || []).filter(Boolean);
  const binding = sizing.binding_constraint;
  const name = product?.name || "this product";
  if (!caps.length && !rules.length && !sizing.emi_capacity) return null;
  return (
    <details className="recs-details">
      <summary>How {name} was sized and checked</summary>
      <div className="stack">
        {binding && (
          <p>
            The amount is the smallest of the caps below, rounded down; the one that binds is <strong>{capLabel(binding)}</strong>.
            {sizing.sized_amount?.explanation && <> {sizing.sized_amount.explanation}</>}
          </p>
        )}
        {caps.length > 0 && (
          <div className="tiles" aria-label={`Caps on ${name}`} role="group">
            {caps.map(([key, metric]) => (
              <MetricTile key={key} label={`Cap: ${capLabel(key)}${key === binding ? " (binding)" : ""}`} metric={metric} tone={key === binding ? "warning" : undefined} />
            ))}
          </div>
        )}
        <div className="tiles" role="group" aria-label={`Affordability of ${name}`}>
          {sizing.emi_capacity && <MetricTile label="EMI capacity" metric={sizing.emi_capacity} />}
          {sizing.foir_after && <MetricTile label="FOIR after" metric={sizing.foir_after} as="percent" />}
          {sizing.dscr_after && <MetricTile label="DSCR after" metric={sizing.dscr_after} as="multiple" />}
          {product?.need_fit && <MetricTile label="Need fit" metric={product.need_fit} as="percent" />}
          {product?.suitability && <MetricTile label="Suitability (0–100)" metric={product.suitability} />}
        </div>
        {product?.repayment?.description && <p className="muted">Repayment: {product.repayment.description}</p>}
        {rules.length > 0 && (
          <>
            <h4>Eligibility rules</h4>
            <ul className="list-plain recs-rules" aria-label={`Eligibility rules for ${name}`}>
              {rules.map((r, i) => {
                const outcome = ruleOutcome(r.status);
                return (
                  <li key={r.id || i} className={`rule-${outcome.tone}`}>
                    <span className={`badge badge-${outcome.tone}`}><span aria-hidden="true">{outcome.mark}</span> {outcome.text}</span>{" "}
                    {r.text || r.rule || humanize(r.id)}
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </div>
    </details>
  );
}
