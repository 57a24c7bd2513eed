/**
 * `useApi(fetcher, deps)`: run `fetcher({signal})` when `deps` change and expose `{data, error, loading, reload}`.
 *
 * A newer request supersedes an older one (the older result is dropped and its fetch aborted), so fast
 * customer switching never shows one customer's data under another's name.
 */
import { useCallback, useEffect, useRef, useState } from "react";

export function useApi(fetcher, deps = []) {
  const [state, setState] = useState({ data: null, error: null, loading: Boolean(fetcher) });
  const [tick, setTick] = useState(0);
  const reloading = useRef(false);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;

  useEffect(() => {
    const run = fetcherRef.current;
    if (!run) {
      setState({ data: null, error: null, loading: false });
      return undefined;
    }
    const controller = new AbortController();
    let live = true;
    const keep = reloading.current; // a reload keeps the old data on screen; new deps never do
    reloading.current = false;
    setState((prev) => ({ data: keep ? prev.data : null, error: null, loading: true }));
    Promise.resolve()
      .then(() => run({ signal: controller.signal }))
      .then(
        (data) => live && setState({ data: data ?? null, error: null, loading: false }),
        (error) => {
          if (!live || error?.name === "AbortError") return;
          setState({ data: null, error, loading: false });
        },
      );
    return () => {
      live = false;
      controller.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);

  const reload = useCallback(() => {
    reloading.current = true;
    setTick((t) => t + 1);
  }, []);
  return { ...state, reload };
}

/** The message to show a person for any thrown value (ApiError carries the server's words). */
export function errorMessage(error) {
  if (!error) return "";
  if (typeof error === "string") return error;
  return error.message || "Something went wrong";
}
