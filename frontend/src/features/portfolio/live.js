/**
 * The portfolio's live feed over the dashboard's ONE socket (`getSocket` from lib/socket.js): emit
 * `join_portfolio` (the server acks `{ok}`; officers are refused), receive `risk_update` for every re-score,
 * join again after a reconnect, and `leave_portfolio` when the page goes away. Only this page watches the
 * portfolio, so its listeners live here; the socket itself stays shared.
 */
import { getSocket } from "../../lib/socket.js";

export const JOIN = "join_portfolio";
export const LEAVE = "leave_portfolio";
export const RISK_UPDATE = "risk_update";

/**
 * Follow the portfolio: `onUpdate(payload)` for each `risk_update`, `onJoined()` when the server accepted
 * the join, `onError({error, message})` when it refused or the socket cannot connect. Returns unsubscribe.
 */
export function followPortfolio({ onUpdate, onJoined, onError } = {}) {
  const socket = getSocket();
  let active = true;
  const join = () => {
    socket.emit(JOIN, {}, (ack) => {
      if (!active) return;
      if (ack && ack.ok === false) onError?.(ack);
      else onJoined?.(ack);
    });
  };
  const update = (payload) => {
    if (active) onUpdate?.(payload);
  };
  const failed = (err) => {
    if (active) onError?.({ ok: false, error: "connect_error", message: err?.message || "cannot connect to live updates" });
  };
  socket.on(RISK_UPDATE, update);
  socket.on("connect", join); // a reconnect starts a new server session: join the room again
  socket.on("connect_error", failed);
  if (socket.connected) join();
  return () => {
    active = false;
    socket.off(RISK_UPDATE, update);
    socket.off("connect", join);
    socket.off("connect_error", failed);
    if (socket.connected) socket.emit(LEAVE, {});
  };
}
