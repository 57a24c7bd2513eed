/**
 * The one HTTP client of the dashboard — the only module that calls `fetch`.
 *
 * It adds `Authorization: Bearer <token>`, parses JSON, and turns every failure into an `ApiError` carrying
 * the API's own `{error, message, field}` so a view can show the person the server's words. A 401 ends the
 * session (the token was revoked or is wrong), which brings the sign-in screen back.
 */
import { clearSession, readSession } from "./session.js";

/** A failed request: HTTP `status` (0 when the server could not be reached), machine `code`, human `message`. */
export class ApiError extends Error {
  constructor({ status = 0, code = "error", message = "The request failed", field = null } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** `path?params` with empty values (null, undefined, "") left out. */
export function buildUrl(path, params) {
  if (!params) return path;
  const query = new URLSearchParams();
  Object.entries(params).forEach(([key, value]) => {
    if (value === null || value === undefined || value === "") return;
    query.append(key, String(value));
  });
  const text = query.toString();
  if (!text) return path;
  return `${path}${path.includes("?") ? "&" : "?"}${text}`;
}

function statusMessage(response) {
  const reason = response.statusText ? ` ${response.statusText}` : "";
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    return `The API server is not answering (${response.status}${reason}). Is it running?`;
  }
  return `The request failed (${response.status}${reason})`;
}

async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null; // not JSON (a proxy's HTML page): fall back to the status line
  }
  const message = body && typeof body.message === "string" && body.message ? body.message : statusMessage(response);
  const code = body && typeof body.error === "string" ? body.error : `http_${response.status}`;
  return new ApiError({ status: response.status, code, message, field: body?.field ?? null });
}

const ACCEPT = { json: "application/json", text: "text/plain, text/markdown, */*", blob: "*/*" };

/** The file name a `Content-Disposition: attachment; filename=...` header gives (null when none). */
export function filenameFrom(disposition) {
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition || "");
  if (!match) return null;
  try {
    return decodeURIComponent(match[1].trim());
  } catch {
    return match[1].trim();
  }
}

/**
 * Send one request. `options.token` overrides the session token (sign-in verifies a token before storing
 * it, and a 401 then must not clear anything); `options.as` is "json" (default), "text" or "blob" (a file:
 * resolves to `{blob, filename}`).
 */
export async function request(method, path, { params, body, signal, token, as = "json" } = {}) {
  const bearer = token ?? readSession().token;
  const headers = { Accept: ACCEPT[as] || ACCEPT.json };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const init = { method, headers, signal };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(buildUrl(path, params), init);
  } catch (exc) {
    if (exc?.name === "AbortError") throw exc; // the caller cancelled: not an error to show
    throw new ApiError({ status: 0, code: "network_error", message: "Cannot reach the API server. Check your connection and that the server is running." });
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && token === undefined) clearSession(`You were signed out: ${error.message}`);
    throw error;
  }
  if (as === "text") return response.text();
  if (as === "blob") {
    return { blob: await response.blob(), filename: filenameFrom(response.headers.get("Content-Disposition")) };
  }
  if (response.status === 204) return null;
  try {
    return await response.json();
  } catch {
    throw new ApiError({ status: response.status, code: "invalid_response", message: "The server sent a response that is not JSON." });
  }
}

/** GET `path` with query `params`; resolves to the parsed JSON. */
export function apiGet(path, params, options = {}) {
  return request("GET", path, { ...options, params });
}

/** POST `body` (JSON) to `path`; resolves to the parsed JSON. */
export function apiPost(path, body, options = {}) {
  return request("POST", path, { ...options, body: body ?? {} });
}

/** GET `path` as a file (the credit memo PDF): resolves to `{blob, filename}`; errors are JSON as always. */
export function apiGetFile(path, params, options = {}) {
  return request("GET", path, { ...options, params, as: "blob" });
}

/** GET `path` as text (the Markdown methodology, NDJSON downloads). */
export function apiGetText(path, params, options = {}) {
  return request("GET", path, { ...options, params, as: "text" });
}
