/**
 * Pipeline Monitor: start pipeline steps, follow the job live, and find it again after a page reload.
 *
 * A step is `POST /api/pipeline/<step>` (202 with a job id); progress arrives as `pipeline_log` /
 * `pipeline_status` over the one shared socket (`followCustomer`); `GET /api/jobs/<id>` returns the state and
 * the last log lines, which is what a reloaded page (and the poll that covers a dropped socket) reads.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { apiGet, apiPost } from "../../lib/api.js";
import { followCustomer } from "../../lib/socket.js";

/** The buttons, in pipeline order. `runs` names the runner steps the API runs for it. */
export const STEPS = [
  { id: "generate", label: "Validate Consent & Fetch Data", runs: ["generate"] },
  { id: "clean", label: "Clean & Validate", runs: ["clean"] },
  { id: "analyze", label: "Generate Analytics", runs: ["analyze"] },
  { id: "calculate_score", label: "Calculate Credit Score", runs: ["score"] },
  { id: "models", label: "Models", runs: ["models"] },
];
export const RUN_ALL = { id: "run_all", label: "Run All", runs: ["generate", "clean", "analyze", "score", "models"] };

export const CUSTOMER_ID_PATTERN = /^CUST_[A-Z]{3}_\d{5}$/;
export const CUSTOMER_ID_HINT = "A customer ID is CUST_, three capital letters, an underscore and five digits, e.g. CUST_MSM_00001.";
const ACTIVE = new Set(["pending", "running"]);
const RANK = { idle: 0, pending: 1, running: 2, done: 3, error: 3 };
const STORAGE_KEY = "msme.pipeline.job";
const POLL_MS = 2000;

/** Whether `value` is a customer id the API accepts. */
export function isValidCustomerId(value) {
  return CUSTOMER_ID_PATTERN.test(String(value ?? ""));
}

/** A fresh random id in the API's format (a new customer for the simulated AA journey). */
export function randomCustomerId(random = Math.random) {
  const letters = Array.from({ length: 3 }, () => String.fromCharCode(65 + Math.floor(random() * 26))).join("");
  const digits = String(Math.floor(random() * 100000)).padStart(5, "0");
  return `CUST_${letters}_${digits}`;
}

/** Start `step` for a customer; resolves to the 202 body `{job_id, status, step, steps, customer_id}`. */
export function startStep(step, customerId) {
  return apiPost(`/api/pipeline/${encodeURIComponent(step)}`, { customer_id: customerId });
}

/** A job's state with its last log lines. */
export function fetchJob(jobId, options) {
  return apiGet(`/api/jobs/${encodeURIComponent(jobId)}`, null, options);
}

/** Whether a job status still changes. */
export function isActive(status) {
  return ACTIVE.has(status);
}

/**
 * The job to show again when the page opens: the job this tab followed last (sessionStorage, so it survives
 * a reload but not the tab), if the page is opened for the same selected customer — a reload — rather than
 * because another customer was picked. Null when there is none.
 */
export function loadJobRef(contextCustomerId = null) {
  try {
    const text = globalThis.sessionStorage?.getItem(STORAGE_KEY);
    const ref = text ? JSON.parse(text) : null;
    if (!ref || typeof ref.job_id !== "string") return null;
    return (ref.context ?? null) === (contextCustomerId ?? null) ? ref : null;
  } catch {
    return null; // storage disabled or a damaged entry: start fresh
  }
}

/** Remember the followed job (and the customer selected in the dashboard at the time) for a reload. */
export function saveJobRef(job, contextCustomerId = null) {
  try {
    globalThis.sessionStorage?.setItem(STORAGE_KEY, JSON.stringify({
      job_id: job.job_id, customer_id: job.customer_id, context: contextCustomerId ?? null,
    }));
  } catch {
    /* storage disabled: the job is still followed until the page goes away */
  }
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

/**
 * Status of each button for the followed job: the button of the job's own step shows the job's status; under
 * Run All each runner step reads its own "[i/n] step: started / done / failed" log lines.
 */
export function stepStatuses(job, lines) {
  const statuses = Object.fromEntries([...STEPS, RUN_ALL].map((s) => [s.id, "idle"]));
  if (!job) return statuses;
  statuses[job.step] = job.status || "pending";
  if (job.step === RUN_ALL.id) {
    const active = isActive(job.status);
    STEPS.forEach((button) => {
      const name = button.runs[0];
      if (!(job.steps || RUN_ALL.runs).includes(name)) return;
      let status = active ? "pending" : "idle";
      lines.forEach((line) => {
        const match = /^\[\d+\/\d+\] (\w+): (started|done|failed)/.exec(line.message || "");
        if (!match || match[1] !== name) return;
        status = { started: "running", done: "done", failed: "error" }[match[2]];
      });
      if (status === "running" && !active) status = job.status === "error" ? "error" : "done";
      statuses[button.id] = status;
    });
  }
  return statuses;
}

/**
 * Everything the Pipeline Monitor shows about a customer's jobs: the followed `job` (restored after a
 * reload), its log `lines`, a `start(step)` that POSTs for `customerId`, the `error` of the last start
 * (409, 403, ...) and the `liveError` when the socket refuses. `contextCustomerId` is the customer selected
 * in the dashboard (it tells a reload from a new pick); `onRestore(customerId)` is told whose job a reload
 * brought back. Events of a job that arrive before the POST that
 * started it has returned are kept aside, so no early line is lost.
 */
export function usePipelineJob(customerId, { contextCustomerId = null, onRestore } = {}) {
  const [job, setJob] = useState(null);
  const [lines, setLines] = useState([]);
  const [error, setError] = useState(null);
  const [liveError, setLiveError] = useState(null);
  const [restoring, setRestoring] = useState(() => Boolean(loadJobRef(contextCustomerId)));
  const jobIdRef = useRef(null);
  const contextRef = useRef(contextCustomerId);
  contextRef.current = contextCustomerId;
  const onRestoreRef = useRef(onRestore);
  onRestoreRef.current = onRestore;
  const pending = useRef(new Map()); // job_id -> {lines, status} that arrived before we knew the job

  const adopt = useCallback((state) => {
    jobIdRef.current = state.job_id;
    const early = pending.current.get(state.job_id);
    pending.current.clear();
    setJob((current) => {
      let next = mergeJob(current, state);
      if (early?.status) next = mergeJob(next, early.status);
      return next;
    });
    setLines((current) => mergeLines(current[0]?.job_id === state.job_id ? current : [],
      mergeLines(state.log || [], early?.lines || [])));
    saveJobRef(state, contextRef.current);
  }, []);

  // After a reload: fetch the last job of this tab and follow it again.
  useEffect(() => {
    const ref = loadJobRef(contextRef.current);
    if (!ref) return undefined;
    const controller = new AbortController();
    fetchJob(ref.job_id, { signal: controller.signal }).then(
      (state) => {
        adopt(state);
        setRestoring(false);
        if (state.customer_id) onRestoreRef.current?.(state.customer_id);
      },
      (exc) => {
        if (exc?.name === "AbortError") return;
        setRestoring(false);
        if (exc?.status === 404) return; // a job of a server that has since been reset: nothing to restore
        setError(exc);
      },
    );
    return () => controller.abort();
  }, [adopt]);

  // Live events over the shared socket: of the customer in the input, and of the followed job's customer.
  // (keyed by the set of ids, so adopting a job of the customer already followed does not leave and re-join
  // the room — events sent in between would be lost)
  const followKey = [...new Set([customerId, job?.customer_id])].filter(isValidCustomerId).sort().join(",");
  useEffect(() => {
    const followed = followKey ? followKey.split(",") : [];
    if (!followed.length) return undefined;
    setLiveError(null);
    const stash = (jobId) => {
      if (!pending.current.has(jobId)) pending.current.set(jobId, { lines: [], status: null });
      return pending.current.get(jobId);
    };
    const handlers = {
      onLog: (line) => {
        if (line.job_id === jobIdRef.current) setLines((current) => mergeLines(current, [line]));
        else stash(line.job_id).lines.push(line);
      },
      onStatus: (state) => {
        if (state.job_id === jobIdRef.current) setJob((current) => mergeJob(current, state));
        else stash(state.job_id).status = state;
      },
      onError: (ack) => setLiveError(ack?.message || "Live updates are not available."),
    };
    const stops = followed.map((id) => followCustomer(id, handlers));
    return () => stops.forEach((stop) => stop());
  }, [followKey]);

  // A poll while the job runs: covers a socket that dropped or joined after the job's first events.
  const status = job?.status;
  const jobId = job?.job_id;
  useEffect(() => {
    if (!jobId || !isActive(status)) return undefined;
    const timer = setInterval(() => {
      fetchJob(jobId).then((state) => {
        setJob((current) => mergeJob(current, state));
        setLines((current) => mergeLines(current, state.log || []));
      }, () => {});
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [jobId, status]);

  const start = useCallback(async (step) => {
    setError(null);
    if (!isValidCustomerId(customerId)) return null;
    try {
      const state = await startStep(step, customerId);
      adopt({ ...state, log: [] });
      return state;
    } catch (exc) {
      setError(exc);
      return null;
    }
  }, [customerId, adopt]);

  return { job, lines, error, liveError, restoring, start, statuses: stepStatuses(job, lines) };
}
