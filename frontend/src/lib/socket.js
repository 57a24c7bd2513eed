/**
 * The ONE Socket.IO connection of the dashboard, opened on first use with the session's token and closed on
 * sign-out. Components follow a customer's pipeline jobs (and the AA's consent notifications) through
 * `followCustomer`, never their own socket.
 */
import { io } from "socket.io-client";
import { readSession, subscribeSession } from "./session.js";

let socket = null;
let socketToken = null;
const followers = new Map(); // customerId -> Set of {onLog, onStatus, onConsentStatus, onError}
// the events of a customer's room, and the follower's handler each goes to
const HANDLER_OF = { pipeline_log: "onLog", pipeline_status: "onStatus", aa_consent_status: "onConsentStatus" };

function dispatch(event, payload) {
  const customerId = payload?.customer_id;
  const set = followers.get(customerId);
  if (!set) return;
  const key = HANDLER_OF[event];
  set.forEach((handlers) => handlers[key]?.(payload));
}

function join(customerId) {
  socket.emit("join", { customer_id: customerId }, (ack) => {
    if (ack && ack.ok === false) {
      followers.get(customerId)?.forEach((handlers) => handlers.onError?.(ack));
    }
  });
}

/** The shared socket, connected lazily with `auth: {token}`; a new token (another sign-in) reconnects. */
export function getSocket() {
  const { token } = readSession();
  if (socket && socketToken === token) return socket;
  closeSocket();
  socketToken = token;
  socket = io({ path: "/socket.io", auth: { token }, transports: ["websocket", "polling"] });
  Object.keys(HANDLER_OF).forEach((event) => socket.on(event, (payload) => dispatch(event, payload)));
  socket.on("connect", () => followers.forEach((_, customerId) => join(customerId))); // rejoin after a reconnect
  socket.on("connect_error", (err) => {
    const message = err?.message || "cannot connect to live updates";
    followers.forEach((set) => set.forEach((handlers) => handlers.onError?.({ ok: false, error: "connect_error", message })));
  });
  return socket;
}

/** Disconnect and forget the socket (sign-out). */
export function closeSocket() {
  if (socket) {
    socket.removeAllListeners();
    socket.disconnect();
  }
  socket = null;
  socketToken = null;
}

/**
 * Follow a customer's jobs: `onLog(line)` for each `pipeline_log`, `onStatus(job)` for each `pipeline_status`,
 * `onConsentStatus(change)` for each `aa_consent_status` (the AA notified a consent's new status),
 * `onError({error, message})` if the server refuses (officers may not follow jobs). Returns unsubscribe.
 */
export function followCustomer(customerId, { onLog, onStatus, onConsentStatus, onError } = {}) {
  const handlers = { onLog, onStatus, onConsentStatus, onError };
  const s = getSocket();
  let set = followers.get(customerId);
  const first = !set;
  if (!set) {
    set = new Set();
    followers.set(customerId, set);
  }
  set.add(handlers);
  if (first && s.connected) join(customerId); // otherwise the "connect" handler joins
  return () => {
    const current = followers.get(customerId);
    if (!current) return;
    current.delete(handlers);
    if (current.size === 0) {
      followers.delete(customerId);
      if (socket?.connected) socket.emit("leave", { customer_id: customerId });
    }
  };
}

subscribeSession(({ token }) => {
  if (socket && token !== socketToken) {
    closeSocket();
    followers.clear();
  }
});
