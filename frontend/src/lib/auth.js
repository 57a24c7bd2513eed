/**
 * Who is signed in. A token is pasted once, verified with `GET /api/whoami`, and kept with its role in
 * sessionStorage (gone when the tab closes). Roles rank officer < analyst < admin; the server enforces
 * them — the dashboard only uses them to decide what to show. A token may be scoped to branches and
 * customers (`scope` from whoami: `["branch:BLR01", "customer:CUST_MSM_00003"]`, null for the whole book);
 * the server filters every list by it, the header shows it.
 */
import { useSyncExternalStore } from "react";
import { ApiError, apiGet } from "./api.js";
import { clearSession, readSession, saveSession, subscribeSession, takeEndReason } from "./session.js";

export { takeEndReason };

export const ROLES = ["officer", "analyst", "admin"];

/** The stored API token, or null. */
export function getToken() {
  return readSession().token;
}

/** The role of the stored token ("officer", "analyst" or "admin"), or null. */
export function getRole() {
  return readSession().role;
}

/** Rank of a role (-1 when unknown). */
export function roleRank(role) {
  return ROLES.indexOf(role);
}

/** Whether the signed-in role is at least `min`. */
export function hasRole(min, role = getRole()) {
  const need = roleRank(min);
  return need >= 0 && roleRank(role) >= need;
}

/** The header's words for a scope (`"branch:BLR01,customer:CUST_MSM_00003"` or its items), or null when unscoped. */
export function describeScope(scope) {
  const items = (Array.isArray(scope) ? scope : String(scope ?? "").split(",")).filter(Boolean);
  if (!items.length) return null;
  const names = { branch: "Branch", customer: "Customer" };
  return items.map((item) => {
    const [kind, value] = String(item).split(":");
    return names[kind] ? `${names[kind]} ${value}` : String(item);
  }).join(" · ");
}

/** Verify `token` with the server and store it; resolves to `{role, label, scope}`; throws ApiError when refused. */
export async function signIn(token) {
  const clean = String(token ?? "").trim();
  if (!clean) throw new ApiError({ status: 0, code: "missing_token", message: "Paste an API token to sign in.", field: "token" });
  const who = await apiGet("/api/whoami", null, { token: clean });
  if (!who || !ROLES.includes(who.role)) {
    throw new ApiError({ status: 0, code: "unknown_role", message: "The server returned an unknown role for this token." });
  }
  const scope = Array.isArray(who.scope) && who.scope.length ? who.scope.join(",") : null;
  saveSession({ token: clean, role: who.role, label: who.label ?? null, scope });
  return { role: who.role, label: who.label ?? null, scope };
}

/** Forget the token. */
export function signOut() {
  clearSession();
}

/** Call `listener({token, role, label})` when the session changes; returns unsubscribe. */
export function onSessionChange(listener) {
  return subscribeSession(listener);
}

/** React hook: the current `{token, role, label, scope}`, re-rendering on sign-in and sign-out. */
export function useSession() {
  return useSyncExternalStore(subscribeSession, readSession, readSession);
}
