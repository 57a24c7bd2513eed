import { useState } from "react";
import Badge from "../../components/Badge.jsx";
import Banner from "../../components/Banner.jsx";
import Card from "../../components/Card.jsx";
import { formatDateTime, formatTimeIST, humanize } from "../../lib/format.js";
import { errorMessage } from "../../lib/useApi.js";
import { isValidCustomerId, randomCustomerId, usePipelineJob } from "./api.js";
import BatchPanel from "./components/batch-panel.jsx";
import CustomerIdField from "./components/customer-id-field.jsx";
import DebugPanel from "./components/debug-panel.jsx";
import LogPanel from "./components/log-panel.jsx";
import StepButtons from "./components/step-buttons.jsx";
import { isActive } from "./model.js";
import { RUN_ALL, STEPS } from "./steps.js";
import "./pipeline.css";

const LABELS = Object.fromEntries([...STEPS, RUN_ALL].map((s) => [s.id, s.label]));
const TONE = { pending: "warning", running: "info", done: "good", error: "danger" };

/** What the API's refusal means for the person, with the API's own message. */
function StartError({ error }) {
  if (!error) return null;
  const title = error.status === 409 ? "A job is already running for this customer"
    : error.status === 403 ? "Not allowed"
      : error.status === 404 ? "Not found" : "The step could not be started";
  return (
    <Banner tone="warning" title={title} role="alert">
      <p className="pipeline-error-message">{errorMessage(error)}</p>
    </Banner>
  );
}

/** The followed job in one line: which step, which customer, its status and when it ended. */
function JobSummary({ job }) {
  if (!job) return null;
  return (
    <p className="pipeline-job" data-testid="job-status">
      <span>{LABELS[job.step] || job.step} for <strong>{job.customer_id}</strong></span>
      <Badge tone={TONE[job.status] || "neutral"}>{humanize(job.status)}</Badge>
      <span className="muted">job {job.job_id}</span>
      {job.finished_at && <span className="muted">ended {formatDateTime(job.finished_at)}</span>}
      {job.status === "error" && job.message && <span className="pipeline-job-message">{job.message}</span>}
    </p>
  );
}

/** One heading per job in the log: which step, for whom, when it started (IST) and how it ended. */
function runTitle({ job }) {
  const started = job.created_at ? ` · started ${formatTimeIST(job.created_at)} IST` : "";
  return `${LABELS[job.step] || job.step} for ${job.customer_id} · job ${job.job_id}${started} · ${humanize(job.status || "pending")}`;
}

/**
 * Pipeline Monitor (analysts): run the pipeline steps for a customer and watch the job's log live. Each step
 * keeps the status of its last run and the log keeps every job of the tab, so running the steps one after
 * another reads as one story. The jobs survive a page reload (their ids are kept for this tab and their
 * states fetched again).
 */
export default function PipelinePage({ customerId }) {
  const [value, setValue] = useState(customerId || "");
  const valid = isValidCustomerId(value);
  const { job, runs, error, liveError, restoring, start, statuses } = usePipelineJob(valid ? value : null,
    { contextCustomerId: customerId || null, onRestore: setValue });
  const running = isActive(job?.status);

  return (
    <div className="pipeline stack">
      <Card title="Pipeline Monitor" subtitle="Run the lake's steps for one customer; the log shows each step as it happens.">
        <div className="stack">
          <CustomerIdField value={value} onChange={setValue} onRandom={() => setValue(randomCustomerId())} />
          <StepButtons statuses={statuses} disabled={!valid || running || restoring} onRun={start} />
          {running && <p className="muted" role="status">A job is running; the steps can be started again when it ends.</p>}
          <StartError error={error} />
        </div>
      </Card>
      <Card title="Live log" subtitle={liveError ? undefined : "Lines arrive as the job runs; each job of this tab under its own heading, newest last. Times in IST."}>
        <div className="stack">
          {liveError && <Banner tone="warning" title="Live updates are off">{liveError} The state is refreshed every few seconds instead.</Banner>}
          <JobSummary job={job} />
          <LogPanel groups={runs.map((run) => ({ key: run.job.job_id, title: runTitle(run), lines: run.lines }))} waiting={running} />
          <DebugPanel job={job} />
        </div>
      </Card>
      <Card title="Batch run" subtitle="Many customers at once on the server's workers; each customer's outcome appears as it finishes.">
        <BatchPanel />
      </Card>
    </div>
  );
}
