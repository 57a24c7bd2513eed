/**
 * `usePagedList(customerId, document, list, stub)`: the rows of a long analytics list served in pages
 * (`GET /api/analytics/<document>/<list>` → `{items, total, limit, offset}`), first page on mount, the next on
 * `loadMore()`. `stub` is what the document holds in the list's place, `{total, href}`; a plain array (an older
 * document) is used as it is. Exposes `{rows, total, loading, error, loadMore}`.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { apiGet } from "./api.js";

export const LIST_PAGE = 250;

/** One page of a document's long list. */
export function fetchListPage(customerId, document, list, { limit = LIST_PAGE, offset = 0 } = {}, { signal } = {}) {
  return apiGet(`/api/analytics/${encodeURIComponent(document)}/${encodeURIComponent(list)}`,
    { customer_id: customerId, limit, offset }, { signal });
}

export function usePagedList(customerId, document, list, stub) {
  const inline = Array.isArray(stub) ? stub : null;
  const total = inline ? inline.length : Number(stub?.total) || 0;
  const [state, setState] = useState({ rows: inline || [], loading: false, error: null });
  const controller = useRef(null);

  const load = useCallback((offset) => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setState((prev) => ({ ...prev, loading: true, error: null }));
    fetchListPage(customerId, document, list, { offset }, { signal: current.signal }).then(
      (page) => {
        if (current.signal.aborted) return;
        const items = Array.isArray(page?.items) ? page.items : [];
        setState((prev) => ({ rows: offset === 0 ? items : [...prev.rows, ...items], loading: false, error: null }));
      },
      (error) => {
        if (current.signal.aborted || error?.name === "AbortError") return;
        setState((prev) => ({ ...prev, loading: false, error }));
      },
    );
  }, [customerId, document, list]);

  useEffect(() => {
    if (inline) {
      setState({ rows: inline, loading: false, error: null });
      return undefined;
    }
    setState({ rows: [], loading: false, error: null });
    if (customerId && total > 0) load(0);
    return () => controller.current?.abort();
  }, [customerId, document, list, total, inline, load]);

  const loadMore = useCallback(() => load(state.rows.length), [load, state.rows.length]);
  return { ...state, total, loadMore };
}
