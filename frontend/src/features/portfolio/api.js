/**
 * Portfolio Monitor: fetchers (through lib/api.js, the one HTTP client) and the hooks that keep the page live.
 *
 * `GET /api/portfolio?since=<start of today, IST>` gives the monitored loans (purpose-104 consents only) with
 * their PD now and at the start of the day, and today's alerts; `risk_update` events over the shared socket
 * (live.js) are applied to that state as they arrive; `GET /api/loans/<id>/risk-history` draws one loan.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { apiGet } from "../../lib/api.js";
import { useApi } from "../../lib/useApi.js";
import { followPortfolio } from "./live.js";
import { applyRiskUpdate, portfolioState, startOfTodayIST } from "./model.js";

/** How many of a loan's latest scores the history chart draws. */
export const HISTORY_LIMIT = 500;

/** Every monitored loan with its current risk; with `since`, its PD then and the alerts raised since. */
export function fetchPortfolio({ since, limit = 5000, signal } = {}) {
  return apiGet("/api/portfolio", { since, limit }, { signal });
}

/** A loan's scores over time (oldest first; the last `limit`), each with the event that moved it. */
export function fetchRiskHistory(loanId, { limit = HISTORY_LIMIT, signal } = {}) {
  return apiGet(`/api/loans/${encodeURIComponent(loanId)}/risk-history`, { limit }, { signal });
}

/** The portfolio views over the warehouse (name, title, description) and when it was built (null: never). */
export function fetchPortfolioViews({ signal } = {}) {
  return apiGet("/api/portfolio/views", undefined, { signal });
}

/** One portfolio view computed now: `{name, title, description, sql, columns, rows, built_at}`. */
export function fetchPortfolioView(name, { signal } = {}) {
  return apiGet(`/api/portfolio/views/${encodeURIComponent(name)}`, undefined, { signal });
}

/** The list of portfolio views: `{data, error, loading, reload}`. */
export function usePortfolioViews() {
  return useApi(({ signal }) => fetchPortfolioViews({ signal }), []);
}

/** One view's rows, fetched again when `name` changes (nothing while `name` is null). */
export function usePortfolioView(name) {
  return useApi(name ? ({ signal }) => fetchPortfolioView(name, { signal }) : null, [name]);
}

/**
 * The portfolio, kept live: `{data, error, loading, live, refresh}`. The socket is joined before the first
 * fetch, and updates that arrive while it runs are kept and applied to its answer, so none is lost.
 * `live` is `{status: "connecting" | "live" | "off", message}`. `refresh()` fetches again from the start
 * of (the new) today.
 */
export function usePortfolio() {
  const [since, setSince] = useState(() => startOfTodayIST());
  const [tick, setTick] = useState(0);
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [live, setLive] = useState({ status: "connecting", message: null });
  const pending = useRef([]); // updates that arrived before the fetch answered
  const loaded = useRef(false);

  useEffect(() => followPortfolio({
    onUpdate: (payload) => {
      if (!loaded.current) pending.current.push(payload);
      else setState((s) => ({ ...s, data: applyRiskUpdate(s.data, payload) }));
    },
    onJoined: () => setLive({ status: "live", message: null }),
    onError: (ack) => setLive({ status: "off", message: ack?.message || "Live updates are not available." }),
  }), []);

  useEffect(() => {
    const controller = new AbortController();
    loaded.current = false;
    setState((s) => ({ data: s.data, error: null, loading: true }));
    fetchPortfolio({ since, signal: controller.signal }).then(
      (body) => {
        let data = portfolioState(body);
        pending.current.splice(0).forEach((payload) => { data = applyRiskUpdate(data, payload); });
        loaded.current = true;
        setState({ data, error: null, loading: false });
      },
      (error) => {
        if (error?.name === "AbortError") return;
        loaded.current = true;
        pending.current = [];
        setState({ data: null, error, loading: false });
      },
    );
    return () => controller.abort();
  }, [since, tick]);

  const refresh = useCallback(() => {
    setSince(startOfTodayIST());
    setTick((t) => t + 1);
  }, []);
  return { ...state, live, refresh };
}

/**
 * A loan's risk history; fetched again, keeping the chart on screen meanwhile, whenever `version` changes
 * for the same loan (a live update of that loan).
 */
export function useRiskHistory(loanId, version = 0) {
  const state = useApi(loanId ? ({ signal }) => fetchRiskHistory(loanId, { signal }) : null, [loanId]);
  const seen = useRef({ loanId, version });
  const { reload } = state;
  useEffect(() => {
    const same = seen.current.loanId === loanId;
    const moved = seen.current.version !== version;
    seen.current = { loanId, version };
    if (same && moved) reload();
  }, [loanId, version, reload]);
  return state;
}
