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
import { addLines, addReport, isActive, mergeLines, stepStatuses } from "./model.js";

export const CUSTOMER_ID_PATTERN = /^CUST_[A-Z]{3}_\d{5}$/;
export const CUSTOMER_ID_HINT = "A customer ID is CUST_, three capital letters, an underscore and five digits, e.g. CUST_MSM_00001.";
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

/**
 * Remember the followed job (and the customer selected in the dashboard at the time) for a reload, with the
 * ids of the tab's `earlier` jobs, so a reload shows the whole log again.
 */
export function saveJobRef(job, contextCustomerId = null, earlier = []) {
  try {
    globalThis.sessionStorage?.setItem(STORAGE_KEY, JSON.stringify({
      job_id: job.job_id, customer_id: job.customer_id, context: contextCustomerId ?? null, earlier,
    }));
  } catch {
    /* storage disabled: the job is still followed until the page goes away */
  }
}

/** A job's state without its log (the log is kept as the run's lines). */
const withoutLog = ({ log, ...state }) => state;

/** The tab's earlier jobs again after a reload (each fetched; one the server no longer knows is left out). */
function fetchEarlier(ids, signal) {
  return Promise.all((ids || []).map((id) => fetchJob(id, { signal }).catch(() => null)))
    .then((states) => states.filter(Boolean));
}

/**
 * Everything the Pipeline Monitor shows about a customer's jobs: the followed `job` (restored after a
 * reload) and its log `lines`; `runs`, every job of this tab oldest first with its lines (the followed job
 * last), so the log tells the whole story; `statuses`, each step's status from the last run that ran it;
 * a `start(step)` that POSTs for `customerId`, the `error` of the last start (409, 403, ...) and the
 * `liveError` when the socket refuses. `contextCustomerId` is the customer selected in the dashboard (it
 * tells a reload from a new pick); `onRestore(customerId)` is told whose job a reload brought back. Events of
 * a job that arrive before the POST that started it has returned are kept aside, so no early line is lost.
 */
export function usePipelineJob(customerId, { contextCustomerId = null, onRestore } = {}) {
  const [runs, setRuns] = useState([]);
  const [error, setError] = useState(null);
  const [liveError, setLiveError] = useState(null);
  const [restoring, setRestoring] = useState(() => Boolean(loadJobRef(contextCustomerId)));
  const jobIdRef = useRef(null);
  const contextRef = useRef(contextCustomerId);
  contextRef.current = contextCustomerId;
  const onRestoreRef = useRef(onRestore);
  onRestoreRef.current = onRestore;
  const pending = useRef(new Map()); // job_id -> {lines, status} that arrived before we knew the job
  const current = runs[runs.length - 1] || null;
  const job = current?.job || null;

  const adopt = useCallback((state) => {
    jobIdRef.current = state.job_id;
    const early = pending.current.get(state.job_id);
    pending.current.clear();
    setRuns((list) => {
      const next = addReport(list, state, mergeLines(state.log || [], early?.lines || []));
      return early?.status ? addReport(next, early.status) : next;
    });
  }, []);

  // Remember the tab's jobs for a reload (the followed one and the earlier ones, in order).
  const runIds = runs.map((run) => run.job.job_id).join(",");
  useEffect(() => {
    if (!job) return;
    saveJobRef(job, contextRef.current, runIds.split(",").slice(0, -1));
  }, [runIds]); // eslint-disable-line react-hooks/exhaustive-deps

  // After a reload: fetch the jobs of this tab, show their logs again and follow the last one.
  useEffect(() => {
    const ref = loadJobRef(contextRef.current);
    if (!ref) return undefined;
    const controller = new AbortController();
    Promise.all([fetchEarlier(ref.earlier, controller.signal), fetchJob(ref.job_id, { signal: controller.signal })]).then(
      ([earlier, state]) => {
        setRuns(earlier.reduce((list, old) => addReport(list, withoutLog(old), old.log || []), []));
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
        if (line.job_id === jobIdRef.current) setRuns((list) => addLines(list, line.job_id, [line]));
        else stash(line.job_id).lines.push(line);
      },
      onStatus: (state) => {
        if (state.job_id === jobIdRef.current) setRuns((list) => addReport(list, state));
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
        setRuns((list) => (list[list.length - 1]?.job.job_id === state.job_id
          ? addReport(list, withoutLog(state), state.log || []) : list));
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

  return {
    job, lines: current?.lines || [], runs, error, liveError, restoring, start,
    statuses: stepStatuses(runs, isValidCustomerId(customerId) ? customerId : job?.customer_id),
  };
}
