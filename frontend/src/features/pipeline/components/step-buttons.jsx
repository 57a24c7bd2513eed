import Badge from "../../../components/Badge.jsx";
import { humanize } from "../../../lib/format.js";
import { RUN_ALL, STEPS } from "../steps.js";

const TONE = { idle: "neutral", pending: "warning", running: "info", done: "good", error: "danger" };

/** One step: its button and its status in words (colour is never the only signal). */
function StepRow({ step, index, status, disabled, onRun }) {
  const statusId = `pipeline-step-${step.id}-status`;
  return (
    <li className={`pipeline-step pipeline-step-${status}`}>
      <button
        type="button"
        className={step.id === RUN_ALL.id ? "button" : "button button-secondary"}
        onClick={() => onRun(step.id)}
        disabled={disabled}
        aria-describedby={statusId}
      >
        {index !== null && <span className="step-number" aria-hidden="true">{index + 1}</span>}
        {step.label}
      </button>
      <span id={statusId} className="step-status">
        <span className="visually-hidden">{step.label} status: </span>
        <Badge tone={TONE[status] || "neutral"}>{humanize(status)}</Badge>
      </span>
    </li>
  );
}

/** The pipeline steps in order, then Run All, each with its status (idle/pending/running/done/error). */
export default function StepButtons({ statuses, disabled, onRun }) {
  return (
    <div className="pipeline-steps">
      <ol className="pipeline-step-list" aria-label="Pipeline steps, in order">
        {STEPS.map((step, index) => (
          <StepRow key={step.id} step={step} index={index} status={statuses[step.id]} disabled={disabled} onRun={onRun} />
        ))}
      </ol>
      <ul className="pipeline-step-list pipeline-run-all" aria-label="All steps">
        <StepRow step={RUN_ALL} index={null} status={statuses[RUN_ALL.id]} disabled={disabled} onRun={onRun} />
      </ul>
    </div>
  );
}
