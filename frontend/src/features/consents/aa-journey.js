/**
 * The Account Aggregator journey as the Consents tab runs it: the journey record from the API, the AA's
 * notifications applied as they arrive (`aa_consent_status` over the one shared socket), and the consent
 * request / fetch jobs followed live (`pipeline_log` / `pipeline_status`), like the Pipeline Monitor does.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { followCustomer } from "../../lib/socket.js";
import { fetchJobState, requestAaConsent, startAaFetch, useAaJourneyData } from "./api.js";

const RANK = { pending: 1, running: 2, done: 3, error: 3 };

/** Whether a job status still changes. */
export function isJobActive(status) {
  return status === "pending" || status === "running";
}

const lineKey = (line) => `${line.ts}|${line.level}|${line.message}`;

/** The log lines of both lists, each once, in time order. */
export function mergeLines(current, incoming) {
  if (!incoming?.length) return current;
  const seen = new Set(current.map(lineKey));
  const added = [];
  incoming.forEach((line) => {
    if (seen.has(lineKey(line))) return;
    seen.add(lineKey(line));
    added.push(line);
  });
  if (!added.length) return current;
  return [...current, ...added].sort((a, b) => String(a.ts).localeCompare(String(b.ts)));
}

/** A job merged with a newer report of it; a late "pending" (the 202) never undoes "running" or "done". */
export function mergeJob(current, update) {
  if (!current || current.job_id !== update.job_id) return { ...update };
  const { log: _log, ...rest } = update;
  if ((RANK[rest.status] ?? 0) < (RANK[current.status] ?? 0)) return { ...rest, ...current };
  return { ...current, ...rest };
}

const WARNING = /^warning: /;

/**
 * How a finished job ended, for the person: `{ok, text, warnings}`. A failed job's text is its message (the
 * refusal with its cause). A job that succeeded ends its log with its summary ("fetched N account(s)…")
 * and then any `warning: …` lines; the summary is the text and the warnings are listed, not mistaken for it.
 */
export function jobOutcome(job, lines) {
  if (!job || isJobActive(job.status)) return null;
  if (job.status !== "done") return { ok: false, text: job.message || "The job ended with an error.", warnings: [] };
  const messages = lines.map((line) => line.message || "");
  let end = messages.length;
  while (end > 0 && WARNING.test(messages[end - 1])) end -= 1;
  const warnings = messages.slice(end).map((m) => m.replace(WARNING, ""));
  const text = WARNING.test(job.message || "") ? messages[end - 1] : job.message;
  return { ok: true, text: text || "Finished.", warnings };
}

const sameEntry = (a, b) => a.status === b.status && a.at === b.at;

/**
 * The journey as it stands now: the record the API returned, plus the AA's notifications pushed since it was
 * read (those of its consent handle not yet in its history), so the status changes without a reload.
 */
export function withNotices(journey, notices) {
  if (!journey) return journey;
  const history = journey.history || [];
  const fresh = notices.filter((n) => n.consent_handle === journey.consent_handle
    && !history.some((h) => sameEntry(h, n)));
  if (!fresh.length) return journey;
  const last = fresh[fresh.length - 1];
  return {
    ...journey,
    status: last.status,
    consent_id: last.consent_id ?? journey.consent_id,
    updated_at: last.at,
    history: [...history, ...fresh.map((n) => ({ status: n.status, at: n.at, source: "notification" }))],
  };
}

/**
 * Everything the Account Aggregator card needs for `customerId`: the `journey` (null before any request, the
 * AA's notifications applied live), its loading `state` (`{loading, error}`), the followed `job` and its log
 * `lines`, `requestConsent({purpose, fiTypes})`, `fetchData()`, `refresh()` (re-reads the journey and the
 * job, for a socket that dropped), the API's refusal of the last start (`startError`) and `liveError` when
 * live updates are refused. `onJobEnd(job)` is told when a job ends and `onConsentStatus(change)` when the AA
 * moves the consent, so the page can reload the consent registry and the audit trail.
 */
export function useAaJourney(customerId, { onJobEnd, onConsentStatus } = {}) {
  const data = useAaJourneyData(customerId);
  const [notices, setNotices] = useState([]);
  const [job, setJob] = useState(null);
  const [lines, setLines] = useState([]);
  const [startError, setStartError] = useState(null);
  const [liveError, setLiveError] = useState(null);
  const jobIdRef = useRef(null);
  const early = useRef(new Map()); // job_id -> {lines, status} that arrived before the POST returned
  const callbacks = useRef({ onJobEnd, onConsentStatus, reload: data.reload });
  callbacks.current = { onJobEnd, onConsentStatus, reload: data.reload };

  useEffect(() => {
    setNotices([]);
    setJob(null);
    setLines([]);
    setStartError(null);
    jobIdRef.current = null;
    early.current.clear();
    if (!customerId) return undefined;
    setLiveError(null);
    const stash = (jobId) => {
      if (!early.current.has(jobId)) early.current.set(jobId, { lines: [], status: null });
      return early.current.get(jobId);
    };
    return followCustomer(customerId, {
      onLog: (line) => {
        if (line.job_id === jobIdRef.current) setLines((current) => mergeLines(current, [line]));
        else stash(line.job_id).lines.push(line);
      },
      onStatus: (state) => {
        if (state.job_id === jobIdRef.current) setJob((current) => mergeJob(current, state));
        else stash(state.job_id).status = state;
      },
      onConsentStatus: (change) => {
        setNotices((current) => [...current, change]);
        callbacks.current.onConsentStatus?.(change);
      },
      onError: (ack) => setLiveError(ack?.message || "Live updates are not available."),
    });
  }, [customerId]);

  // A job that ended: read the journey again (the handle and approval page, the fetch time) and tell the page.
  const endedRef = useRef(null);
  useEffect(() => {
    if (!job || isJobActive(job.status) || endedRef.current === job.job_id) return;
    endedRef.current = job.job_id;
    callbacks.current.reload();
    callbacks.current.onJobEnd?.(job);
  }, [job]);

  const start = useCallback(async (post) => {
    setStartError(null);
    try {
      const state = await post();
      const before = early.current.get(state.job_id);
      early.current.clear();
      jobIdRef.current = state.job_id;
      setJob(before?.status ? mergeJob(state, before.status) : state);
      setLines(mergeLines([], before?.lines || []));
      return state;
    } catch (exc) {
      setStartError(exc);
      return null;
    }
  }, []);

  const requestConsent = useCallback((choice) => start(() => requestAaConsent(customerId, choice)), [customerId, start]);
  const fetchData = useCallback(() => start(() => startAaFetch(customerId)), [customerId, start]);

  const { reload } = data;
  const refresh = useCallback(async () => {
    reload();
    const jobId = jobIdRef.current;
    if (!jobId) return;
    try {
      const state = await fetchJobState(jobId);
      if (jobId !== jobIdRef.current) return;
      setJob((current) => mergeJob(current, state));
      setLines((current) => mergeLines(current, state.log || []));
    } catch (exc) {
      setStartError(exc);
    }
  }, [reload]);

  return {
    journey: withNotices(data.data?.journey ?? null, notices),
    aa: data.data?.aa ?? null,
    state: { loading: data.loading && !data.data, error: data.error },
    job, lines, startError, liveError, requestConsent, fetchData, refresh,
  };
}
