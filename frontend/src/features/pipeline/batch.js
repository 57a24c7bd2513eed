/**
 * Batch runs from the Pipeline Monitor: `POST /api/pipeline/batch` starts `python -m pipeline batch` for many
 * customers on the server's Dask workers; its lines arrive as `pipeline_log` / `pipeline_status` in the
 * `batch` room (emit `join_batch`), and `GET /api/jobs/<id>` returns its progress after a reload.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { apiPost } from "../../lib/api.js";
import { getSocket } from "../../lib/socket.js";
import { fetchJob, isValidCustomerId } from "./api.js";
import { isActive, mergeJob, mergeLines } from "./model.js";

export const BATCH_STEPS = ["generate", "clean", "analyze", "score", "models"];
const STORAGE_KEY = "msme.pipeline.batch";
const POLL_MS = 3000;

/** Customer ids typed or pasted one per line, or separated by commas or spaces: `{ids, invalid}`, each once. */
export function parseCustomerIds(text) {
  const tokens = String(text ?? "").split(/[\s,;]+/).map((t) => t.trim()).filter(Boolean);
  const ids = [...new Set(tokens.filter(isValidCustomerId))];
  const invalid = [...new Set(tokens.filter((t) => !isValidCustomerId(t)))];
  return { ids, invalid };
}

/** How far a batch got, from its `[i/n] CUST… done|error` lines (or the server's count when it is newer). */
export function batchProgress(job, lines) {
  let done = 0;
  let failed = 0;
  const failures = [];
  for (const line of lines) {
    const match = /^\[(\d+)\/(\d+)\] (\S+) (done|error)(?::\s*(.*))?/.exec(line.message || "");
    if (!match) continue;
    if (match[4] === "done") done += 1;
    else {
      failed += 1;
      failures.push({ customer_id: match[3], error: match[5] || "failed" });
    }
  }
  const server = job?.progress;
  if (server && server.done + server.failed > done + failed) {
    return { ...server, failures: job.failed || failures };
  }
  return { done, failed, total: server?.total ?? job?.customers ?? 0, failures };
}

function loadRef() {
  try {
    return globalThis.sessionStorage?.getItem(STORAGE_KEY) || null;
  } catch {
    return null;
  }
}

function saveRef(jobId) {
  try {
    globalThis.sessionStorage?.setItem(STORAGE_KEY, jobId);
  } catch {
    /* storage disabled: followed until the page goes away */
  }
}

/** Follow batch jobs over the shared socket; returns unsubscribe. */
export function followBatch({ onLog, onStatus, onError }) {
  const socket = getSocket();
  const join = () => socket.emit("join_batch", {}, (ack) => { if (ack && ack.ok === false) onError?.(ack); });
  const log = (line) => { if (line?.step === "batch") onLog?.(line); };
  const status = (job) => { if (job?.step === "batch") onStatus?.(job); };
  socket.on("pipeline_log", log);
  socket.on("pipeline_status", status);
  socket.on("connect", join);
  if (socket.connected) join();
  return () => {
    socket.off("pipeline_log", log);
    socket.off("pipeline_status", status);
    socket.off("connect", join);
    if (socket.connected) socket.emit("leave_batch", {});
  };
}

/** The batch this tab started (kept across a reload), its live lines, and `start(body)`. */
export function useBatchJob() {
  const [job, setJob] = useState(null);
  const [lines, setLines] = useState([]);
  const [error, setError] = useState(null);
  const [liveError, setLiveError] = useState(null);
  const jobId = useRef(loadRef());

  const refresh = useCallback(async () => {
    if (!jobId.current) return;
    try {
      const state = await fetchJob(jobId.current);
      setJob((current) => mergeJob(current, state));
      setLines((current) => mergeLines(current, state.log || []));
    } catch (err) {
      if (err?.status === 404) jobId.current = null;
    }
  }, []);

  useEffect(() => {
    refresh();
    const stop = followBatch({
      onLog: (line) => { if (line.job_id === jobId.current) setLines((current) => mergeLines(current, [line])); },
      onStatus: (state) => { if (state.job_id === jobId.current) setJob((current) => mergeJob(current, state)); },
      onError: (ack) => setLiveError(ack.message || "live updates are not available"),
    });
    return stop;
  }, [refresh]);

  const active = isActive(job?.status);
  useEffect(() => { // a poll covers a dropped socket while the batch runs
    if (!active) return undefined;
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [active, refresh]);

  const start = useCallback(async (body) => {
    setError(null);
    try {
      const started = await apiPost("/api/pipeline/batch", body);
      jobId.current = started.job_id;
      saveRef(started.job_id);
      setLines([]);
      setJob({ ...started, progress: { done: 0, failed: 0, total: started.customers } });
    } catch (err) {
      setError(err);
    }
  }, []);

  return { job, lines, error, liveError, start, active };
}
