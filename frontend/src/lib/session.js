/**
 * The signed-in session (token, role, label and scope) in sessionStorage, with change notification.
 *
 * It sits below both api.js (which reads the token and clears the session on a 401) and auth.js (which
 * verifies a token and stores it), so neither imports the other. Features use auth.js, not this module.
 */

const TOKEN_KEY = "msme.token";
const ROLE_KEY = "msme.role";
const LABEL_KEY = "msme.label";
const SCOPE_KEY = "msme.scope"; // the token's scope items, comma-joined; absent for the whole book
const listeners = new Set();

function storage() {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // storage disabled (privacy mode): the session then lasts as long as the page
  }
}

const memory = new Map();

function read(key) {
  const store = storage();
  return store ? store.getItem(key) : memory.get(key) ?? null;
}

function write(key, value) {
  const store = storage();
  if (value === null) {
    if (store) store.removeItem(key);
    memory.delete(key);
  } else if (store) {
    store.setItem(key, value);
  } else {
    memory.set(key, value);
  }
}

let snapshot = null;

/** `{token, role, label, scope}` of the current session (a stable object until it changes), or nulls. */
export function readSession() {
  const token = read(TOKEN_KEY);
  const role = read(ROLE_KEY);
  const label = read(LABEL_KEY);
  const scope = read(SCOPE_KEY);
  if (!snapshot || snapshot.token !== token || snapshot.role !== role || snapshot.label !== label
      || snapshot.scope !== scope) {
    snapshot = { token, role, label, scope };
  }
  return snapshot;
}

function notify() {
  const current = readSession();
  listeners.forEach((listener) => listener(current));
}

/** Store a verified session and tell the listeners. */
export function saveSession({ token, role, label = null, scope = null }) {
  write(TOKEN_KEY, token);
  write(ROLE_KEY, role);
  write(LABEL_KEY, label);
  write(SCOPE_KEY, scope);
  notify();
}

let endReason = null;

/** Why the last session ended, if the server ended it (read once by the sign-in screen). */
export function takeEndReason() {
  const reason = endReason;
  endReason = null;
  return reason;
}

/** Forget the session (sign-out, or the server said 401: `reason`) and tell the listeners. */
export function clearSession(reason = null) {
  const had = read(TOKEN_KEY) !== null;
  if (had && reason) endReason = reason;
  write(TOKEN_KEY, null);
  write(ROLE_KEY, null);
  write(LABEL_KEY, null);
  write(SCOPE_KEY, null);
  if (had) notify();
}

/** Call `listener(session)` on every change; returns the unsubscribe function. */
export function subscribeSession(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
