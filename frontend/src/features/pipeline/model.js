/**
 * Pipeline Monitor, pure: log lines and job states merged as events arrive, the runs (jobs) of this tab kept
 * one after another, and each step's last status read from them. No fetching here (that is api.js).
 *
 * A run is `{job, lines}`: a job's state as the API reports it and its log lines in time order. The monitor
 * keeps the tab's runs oldest first, the followed job last, so an analyst running the steps one by one reads
 * the whole story in one log and every step keeps the status of its last run.
 */
import { RUN_ALL, STEPS } from "./steps.js";

const ACTIVE = new Set(["pending", "running"]);
const RANK = { idle: 0, pending: 1, running: 2, done: 3, error: 3 };
/** Runs kept in the log (older ones are dropped first; the followed job always stays). */
export const MAX_RUNS = 10;
/** Log lines kept over all runs (whole older runs are dropped first to stay under it). */
export const MAX_LINES = 3000;

/** Whether a job status still changes. */
export function isActive(status) {
  return ACTIVE.has(status);
}

const lineKey = (line) => `${line.ts}|${line.level}|${line.message}`;

/** Log lines of both lists, each once, in time order. */
export function mergeLines(current, incoming) {
  if (!incoming?.length) return current;
  const seen = new Set(current.map(lineKey));
  const added = incoming.filter((line) => {
    const key = lineKey(line);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (!added.length) return current;
  return [...current, ...added].sort((a, b) => String(a.ts).localeCompare(String(b.ts)));
}

/** A job state merged with a newer report; a late "pending" (the 202) never overwrites "running" or "done". */
export function mergeJob(current, update) {
  if (!current || current.job_id !== update.job_id) return { ...update };
  const { log, ...rest } = update;
  if ((RANK[rest.status] ?? 0) < (RANK[current.status] ?? 0)) {
    return { ...rest, ...current };
  }
  return { ...current, ...rest };
}

/** Drop the oldest runs until at most MAX_RUNS runs and MAX_LINES lines remain; the last run always stays. */
function capRuns(runs) {
  let kept = runs.slice(-MAX_RUNS);
  let total = kept.reduce((n, run) => n + run.lines.length, 0);
  while (kept.length > 1 && total > MAX_LINES) {
    total -= kept[0].lines.length;
    kept = kept.slice(1);
  }
  return kept;
}

/**
 * The runs after a report about job `state` with `lines`: merged into the last run when it is the same job,
 * else appended as the newest run (earlier runs stay, capped).
 */
export function addReport(runs, state, lines = []) {
  const last = runs[runs.length - 1];
  if (last && last.job.job_id === state.job_id) {
    return [...runs.slice(0, -1), { job: mergeJob(last.job, state), lines: mergeLines(last.lines, lines) }];
  }
  return capRuns([...runs, { job: mergeJob(null, state), lines: mergeLines([], lines) }]);
}

/** The runs with `lines` added to the last run when they belong to its job (else unchanged). */
export function addLines(runs, jobId, lines) {
  const last = runs[runs.length - 1];
  if (!last || last.job.job_id !== jobId) return runs;
  const merged = mergeLines(last.lines, lines);
  return merged === last.lines ? runs : [...runs.slice(0, -1), { ...last, lines: merged }];
}

const STEP_LINE = /^\[\d+\/\d+\] (\w+): (started|done|failed)/;

/**
 * The statuses one job sets: its own button shows the job's status; under Run All each step it runs reads
 * its own "[i/n] step: started / done / failed" log lines. Buttons the job does not touch are absent.
 */
export function jobStepStatuses(job, lines = []) {
  if (!job) return {};
  const statuses = { [job.step]: job.status || "pending" };
  if (job.step !== RUN_ALL.id) return statuses;
  const active = isActive(job.status);
  STEPS.forEach((button) => {
    const name = button.runs[0];
    if (!(job.steps || RUN_ALL.runs).includes(name)) return;
    let status = active ? "pending" : "idle";
    lines.forEach((line) => {
      const match = STEP_LINE.exec(line.message || "");
      if (!match || match[1] !== name) return;
      status = { started: "running", done: "done", failed: "error" }[match[2]];
    });
    if (status === "running" && !active) status = job.status === "error" ? "error" : "done";
    if (status !== "idle") statuses[button.id] = status;
  });
  return statuses;
}

/**
 * Status of each button (idle / pending / running / done / error) for `customerId`: the runs of that
 * customer read in order, so each step keeps the status of the last job that ran it (cleaning after a
 * fetch leaves the fetch "Done"). All runs count when no customer is given.
 */
export function stepStatuses(runs, customerId = null) {
  const statuses = Object.fromEntries([...STEPS, RUN_ALL].map((s) => [s.id, "idle"]));
  runs.filter((run) => !customerId || run.job.customer_id === customerId)
    .forEach((run) => Object.assign(statuses, jobStepStatuses(run.job, run.lines)));
  return statuses;
}
