import { beforeEach, describe, expect, it, vi } from "vitest";

const sockets = [];
vi.mock("socket.io-client", () => ({
  io: vi.fn((opts) => {
    const handlers = {};
    const socket = {
      opts, connected: false, emitted: [],
      on: (event, fn) => { (handlers[event] ||= []).push(fn); },
      emit: (...args) => socket.emitted.push(args),
      fire: (event, payload) => (handlers[event] || []).forEach((fn) => fn(payload)),
      removeAllListeners: () => Object.keys(handlers).forEach((k) => delete handlers[k]),
      disconnect: vi.fn(() => { socket.connected = false; }),
    };
    sockets.push(socket);
    return socket;
  }),
}));

const { closeSocket, followCustomer, getSocket } = await import("./socket.js");
const { clearSession, saveSession } = await import("./session.js");

describe("socket.js", () => {
  beforeEach(() => {
    closeSocket();
    sockets.length = 0;
    saveSession({ token: "analyst-token", role: "analyst" });
  });

  it("opens one connection lazily with the token, on /socket.io", () => {
    expect(sockets).toHaveLength(0);
    const a = getSocket();
    const b = getSocket();
    expect(a).toBe(b);
    expect(sockets).toHaveLength(1);
    expect(a.opts).toMatchObject({ path: "/socket.io", auth: { token: "analyst-token" } });
  });

  it("joins on connect, delivers only the followed customer's events, and leaves when the last follower goes", () => {
    const logs = [];
    const statuses = [];
    const stop = followCustomer("CUST_MSM_00001", { onLog: (l) => logs.push(l), onStatus: (s) => statuses.push(s) });
    const socket = sockets[0];
    socket.connected = true;
    socket.fire("connect");
    expect(socket.emitted[0][0]).toBe("join");
    expect(socket.emitted[0][1]).toEqual({ customer_id: "CUST_MSM_00001" });
    socket.fire("pipeline_log", { customer_id: "CUST_MSM_00001", message: "[1/1] analyze: started" });
    socket.fire("pipeline_log", { customer_id: "CUST_MSM_00002", message: "someone else" });
    socket.fire("pipeline_status", { customer_id: "CUST_MSM_00001", status: "done" });
    expect(logs.map((l) => l.message)).toEqual(["[1/1] analyze: started"]);
    expect(statuses.map((s) => s.status)).toEqual(["done"]);
    stop();
    expect(socket.emitted.at(-1)).toEqual(["leave", { customer_id: "CUST_MSM_00001" }]);
  });

  it("delivers the AA's consent status changes of the followed customer to onConsentStatus", () => {
    const changes = [];
    const logs = [];
    const stop = followCustomer("CUST_MSM_00007", { onLog: (l) => logs.push(l), onConsentStatus: (c) => changes.push(c) });
    const socket = sockets[0];
    socket.fire("aa_consent_status", { customer_id: "CUST_MSM_00007", consent_handle: "h-1", status: "ACTIVE", at: "2026-11-21T06:40:00Z" });
    socket.fire("aa_consent_status", { customer_id: "CUST_MSM_00001", consent_handle: "h-2", status: "PAUSED", at: "2026-11-21T06:41:00Z" });
    expect(changes.map((c) => `${c.consent_handle} ${c.status}`)).toEqual(["h-1 ACTIVE"]);
    expect(logs).toEqual([]); // a status change is not a log line
    stop();
  });

  it("reports a refused join to onError", () => {
    const errors = [];
    followCustomer("CUST_MSM_00001", { onError: (e) => errors.push(e) });
    const socket = sockets[0];
    socket.connected = true;
    socket.fire("connect");
    const ack = socket.emitted[0][2];
    ack({ ok: false, error: "forbidden", message: "following pipeline jobs needs the analyst role" });
    expect(errors[0].message).toMatch(/analyst role/);
  });

  it("closes the connection on sign-out", () => {
    const socket = getSocket();
    clearSession();
    expect(socket.disconnect).toHaveBeenCalled();
    saveSession({ token: "admin-token", role: "admin" });
    expect(getSocket()).not.toBe(socket);
    expect(sockets.at(-1).opts.auth.token).toBe("admin-token");
  });
});
