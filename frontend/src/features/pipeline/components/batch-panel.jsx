import { useState } from "react";
import Badge from "../../../components/Badge.jsx";
import Banner from "../../../components/Banner.jsx";
import { formatNumber, humanize } from "../../../lib/format.js";
import { errorMessage } from "../../../lib/useApi.js";
import { BATCH_STEPS, batchProgress, parseCustomerIds, useBatchJob } from "../batch.js";
import LogPanel from "./log-panel.jsx";

const TONE = { pending: "warning", running: "info", done: "good", error: "danger" };

/** Progress of the followed batch: a bar, the counts, and the customers that failed with why. */
function BatchProgress({ job, lines }) {
  if (!job) return null;
  const progress = batchProgress(job, lines);
  const finished = progress.done + progress.failed;
  return (
    <div className="stack" data-testid="batch-progress">
      <p className="pipeline-job">
        <span>Batch of <strong>{formatNumber(progress.total)}</strong> customer(s)</span>
        <Badge tone={TONE[job.status] || "neutral"}>{humanize(job.status || "pending")}</Badge>
        <span className="muted">job {job.job_id}</span>
      </p>
      <progress max={progress.total || 1} value={finished} aria-label="customers finished">
        {finished} of {progress.total}
      </progress>
      <p className="muted" role="status">
        {formatNumber(progress.done)} done, {formatNumber(progress.failed)} failed of {formatNumber(progress.total)}
      </p>
      {progress.failures.length > 0 && (
        <ul className="batch-failures" aria-label="customers that failed">
          {progress.failures.map((f) => <li key={f.customer_id}><strong>{f.customer_id}</strong>: {f.error}</li>)}
        </ul>
      )}
    </div>
  );
}

/**
 * Run the pipeline for many customers at once (the server's Dask workers), and watch it: one line per
 * customer as it finishes, a customer's failure shown without stopping the others.
 */
export default function BatchPanel() {
  const [text, setText] = useState("");
  const [all, setAll] = useState(false);
  const [steps, setSteps] = useState(BATCH_STEPS);
  const [workers, setWorkers] = useState(2);
  const { job, lines, error, liveError, start, active } = useBatchJob();
  const { ids, invalid } = parseCustomerIds(text);
  const ready = (all || (ids.length > 0 && invalid.length === 0)) && steps.length > 0 && !active;

  function toggle(step) {
    setSteps((current) => (current.includes(step) ? current.filter((s) => s !== step)
      : BATCH_STEPS.filter((s) => current.includes(s) || s === step)));
  }

  function submit(event) {
    event.preventDefault();
    if (!ready) return;
    start({ ...(all ? { all: true } : { customer_ids: ids }), steps, workers });
  }

  return (
    <form className="stack batch-form" onSubmit={submit} aria-label="Batch run">
      <label className="field">
        <span>Who to run: IDs, one per line or separated by commas</span>
        <textarea rows={4} value={text} disabled={all} onChange={(e) => setText(e.target.value)}
          aria-invalid={invalid.length > 0} placeholder="CUST_MSM_00001&#10;CUST_MSM_00002" />
      </label>
      {invalid.length > 0 && !all && (
        <p className="field-error" role="alert">Not customer IDs: {invalid.slice(0, 5).join(", ")}</p>
      )}
      <label className="checkbox"><input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
        {" "}Every customer in the lake</label>
      <fieldset className="batch-steps">
        <legend>Steps</legend>
        {BATCH_STEPS.map((step) => (
          <label key={step} className="checkbox">
            <input type="checkbox" checked={steps.includes(step)} onChange={() => toggle(step)} /> {humanize(step)}
          </label>
        ))}
      </fieldset>
      <label className="field batch-workers">
        <span>Workers</span>
        <select value={workers} onChange={(e) => setWorkers(Number(e.target.value))}>
          {[1, 2, 3, 4].map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
      <div>
        <button type="submit" className="button primary" disabled={!ready}>
          Run batch{all ? " for every customer" : ids.length ? ` for ${ids.length} customer(s)` : ""}
        </button>
      </div>
      {active && <p className="muted">A batch is running; another can start when it ends.</p>}
      {error && (
        <Banner tone="warning" title={error.status === 409 ? "Already running" : "The batch could not be started"} role="alert">
          <p className="pipeline-error-message">{errorMessage(error)}</p>
        </Banner>
      )}
      {liveError && <Banner tone="warning" title="Live updates are off">{liveError} The state is refreshed every few seconds instead.</Banner>}
      <BatchProgress job={job} lines={lines} />
      {job && <LogPanel lines={lines} waiting={active} label="Batch log" />}
    </form>
  );
}
