/**
 * Test helper: replace global fetch with a router over API paths. `routes` maps a path (no query) to a body,
 * `{status, body}`, or a function `(url: URL, init) => body | {status, body}`; unknown paths answer 404 JSON.
 * Returns the vi.fn so tests can inspect calls (`calls[i][0]` is the requested URL string).
 */
import { vi } from "vitest";

export function jsonResponse(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

export function stubFetch(routes) {
  const mock = vi.fn(async (input, init = {}) => {
    const url = new URL(String(input), "http://localhost");
    let route = routes[`${init.method || "GET"} ${url.pathname}`] ?? routes[url.pathname];
    if (typeof route === "function") route = await route(url, init);
    if (route === undefined) return jsonResponse(404, { error: "not_found", message: `no endpoint ${url.pathname}` });
    if (route instanceof Response) return route;
    if (route && typeof route === "object" && "status" in route && "body" in route) return jsonResponse(route.status, route.body);
    return jsonResponse(200, route);
  });
  vi.stubGlobal("fetch", mock);
  return mock;
}

/** A promise that never settles: keeps a view in its loading state. */
export function pending() {
  return new Promise(() => {});
}
