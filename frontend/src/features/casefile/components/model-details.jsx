import KeyValueList from "../../../components/KeyValueList.jsx";
import { formatDate, formatNumber, humanize, toNumber } from "../../../lib/format.js";
import { decidedByLabel } from "../labels.js";

function stat(value) {
  const number = toNumber(value && typeof value === "object" ? value.mean : value);
  return number === null ? null : formatNumber(number, { decimals: 3 });
}

/** What stands behind the decision: the policy, the rule that decided, the model and its validation. */
export default function ModelDetails({ decision }) {
  const model = decision?.model || {};
  const fired = (decision?.knockouts || []).filter((k) => k?.fired);
  return (
    <div className="decision-details">
      <KeyValueList items={[
        { label: "Decided by", value: decision?.decided_by ? decidedByLabel(decision.decided_by) || humanize(decision.decided_by) : null },
        { label: "Policy", value: decision?.policy?.version
          ? `${decision.policy.version}${decision.policy.effective_from ? `, effective ${formatDate(decision.policy.effective_from)}` : ""}` : null },
        { label: "Knock-outs fired", value: fired.length ? fired.map((k) => k.text || k.rule || k.id).join("; ") : "none" },
        { label: "Model version", value: model.version ? <code>{model.version}</code> : null },
        { label: "AUC", value: stat(model.roc_auc) },
        { label: "KS", value: stat(model.ks) },
        { label: "Gini", value: stat(model.gini) },
        { label: "Brier", value: stat(model.brier) },
      ]} />
    </div>
  );
}
