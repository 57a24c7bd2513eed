/**
 * The dashboard's state in the address bar: `/?customer_id=CUST_MSM_00001&tab=risk`, so a link can be shared,
 * a reload keeps the view, and Back/Forward walk through customers and tabs.
 */
import { useCallback, useEffect, useState } from "react";

const EVENT = "msme:urlstate";

/** `{customerId, tab}` from a query string (null when absent). */
export function readUrlState(search = globalThis.location?.search ?? "") {
  const params = new URLSearchParams(search);
  const customerId = (params.get("customer_id") || "").trim() || null;
  const tab = (params.get("tab") || "").trim() || null;
  return { customerId, tab };
}

/** Write `{customerId, tab}` (merged over the current URL) as a new history entry, or replace the current one. */
export function writeUrlState(next, { replace = false } = {}) {
  const params = new URLSearchParams(globalThis.location.search);
  const set = (key, value) => (value ? params.set(key, value) : params.delete(key));
  if ("customerId" in next) set("customer_id", next.customerId);
  if ("tab" in next) set("tab", next.tab);
  const query = params.toString();
  const url = `${globalThis.location.pathname}${query ? `?${query}` : ""}${globalThis.location.hash}`;
  if (url === `${globalThis.location.pathname}${globalThis.location.search}${globalThis.location.hash}`) return;
  globalThis.history[replace ? "replaceState" : "pushState"](null, "", url);
  globalThis.dispatchEvent(new Event(EVENT));
}

/** React hook: `[state, update(next, {replace})]`, following pushState and Back/Forward. */
export function useUrlState() {
  const [state, setState] = useState(() => readUrlState());
  useEffect(() => {
    const sync = () => {
      const next = readUrlState();
      setState((prev) => (prev.customerId === next.customerId && prev.tab === next.tab ? prev : next));
    };
    globalThis.addEventListener("popstate", sync);
    globalThis.addEventListener(EVENT, sync);
    return () => {
      globalThis.removeEventListener("popstate", sync);
      globalThis.removeEventListener(EVENT, sync);
    };
  }, []);
  const update = useCallback((next, options) => writeUrlState(next, options), []);
  return [state, update];
}
