import { formatMetric } from "../../../lib/format.js";
import InputValue from "./input-value.jsx";

/**
 * One metric worked through for this customer: what it means, the formula, this customer's inputs and the
 * result (value and unit). A metric that could not be computed says why instead of showing a number.
 */
export default function MetricDetail({ item, customerId }) {
  const { metric } = item;
  const inputs = Object.entries(metric.inputs || {});
  const missing = metric.value === null || metric.value === undefined;
  return (
    <article className="metric-detail" aria-labelledby="metric-detail-title">
      <header>
        <h3 id="metric-detail-title">{item.label}</h3>
        <p className="muted">
          <code>{item.document}.{item.key}</code> · {item.documentLabel}
        </p>
      </header>
      <dl className="kv metric-facts">
        <div className="kv-row"><dt>Value</dt><dd className="metric-detail-value">{formatMetric(metric)}</dd></div>
        <div className="kv-row"><dt>Unit</dt><dd>{metric.unit || "—"}</dd></div>
      </dl>
      {missing && metric.reason && <p className="calc-reason" role="note">Not computed: {metric.reason}</p>}
      {metric.explanation && (
        <section aria-label="What it means">
          <h4>What it means</h4>
          <p>{metric.explanation}</p>
        </section>
      )}
      <section aria-label="Worked example">
        <h4>Worked example for {customerId}</h4>
        <ol className="worked-example">
          <li>
            <span className="step-title">Formula</span>
            <code className="formula">{metric.formula || "—"}</code>
          </li>
          <li>
            <span className="step-title">This customer's inputs</span>
            {inputs.length === 0 ? (
              <p className="muted">No inputs are recorded for this metric.</p>
            ) : (
              <div className="table-scroll">
                <table className="inputs-table">
                  <caption className="visually-hidden">Inputs of {item.label}</caption>
                  <thead><tr><th scope="col">Input</th><th scope="col">Value</th></tr></thead>
                  <tbody>
                    {inputs.map(([name, value]) => (
                      <tr key={name}><th scope="row"><code>{name}</code></th><td><InputValue value={value} /></td></tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </li>
          <li>
            <span className="step-title">Result</span>
            <p className="worked-result">
              {item.label} = <strong>{formatMetric(metric)}</strong>
              {metric.unit ? <span className="muted"> ({metric.unit})</span> : null}
            </p>
          </li>
        </ol>
      </section>
    </article>
  );
}
