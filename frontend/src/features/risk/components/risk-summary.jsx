import { toneFor } from "../../../components/Badge.jsx";
import KeyValueList from "../../../components/KeyValueList.jsx";
import MetricTile from "../../../components/MetricTile.jsx";
import { formatDateTime, formatNumber } from "../../../lib/format.js";
import { meanStd } from "../model.js";

/**
 * PD and its band (the one risk grade), with the model's version and its cross-validated validation metrics.
 * The model's internal 0–100 risk score is not shown: a third scale beside the PD and the 300–900 score.
 */
export default function RiskSummary({ doc }) {
  const metrics = doc?.metrics || {};
  const model = doc?.model || {};
  const validation = model.metrics || {};
  const band = metrics.risk_band?.value;
  const folds = validation.folds ? `${validation.folds}-fold cross-validation` : "cross-validation";
  return (
    <div className="stack">
      <div className="tiles">
        <MetricTile label="Probability of default" metric={metrics.probability_of_default} tone={toneFor(band) === "neutral" ? undefined : toneFor(band)} />
        <MetricTile label="Risk band" metric={metrics.risk_band} tone={toneFor(band) === "neutral" ? undefined : toneFor(band)} />
      </div>
      <div>
        <h3>
          Model {model.version ? <code>{model.version}</code> : <span className="muted">version not recorded</span>}
        </h3>
        <KeyValueList
          items={[
            { label: "ROC AUC", value: meanStd(validation.roc_auc) },
            { label: "KS", value: meanStd(validation.ks) },
            { label: "Gini", value: meanStd(validation.gini) },
            {
              label: "Brier score",
              value: validation.brier
                ? `${meanStd(validation.brier)}${typeof validation.base_rate_brier === "number" ? ` (base-rate forecast ${formatNumber(validation.base_rate_brier, { decimals: 3 })}; lower is better)` : ""}`
                : null,
            },
            { label: "Validated on", value: validation.held_out_rows ? `${formatNumber(validation.held_out_rows)} held-out rows, ${folds}` : null },
            { label: "Training", value: model.training_rows ? `${formatNumber(model.training_rows)} rows (${model.training_source || "unknown source"}), ${model.family || "model"}` : null },
            { label: "Trained", value: model.trained_at ? formatDateTime(model.trained_at) : null },
            { label: "Scored as of", value: doc?.as_of ? formatDateTime(doc.as_of) : null },
          ]}
        />
      </div>
    </div>
  );
}
