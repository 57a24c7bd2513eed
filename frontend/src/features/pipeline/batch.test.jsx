import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import BatchPanel from "./components/batch-panel.jsx";
import { batchProgress, parseCustomerIds } from "./batch.js";

// The shared socket is replaced by a fake that records handlers, so a test can play the server's events.
const handlers = new Map();
const emitted = [];
const fakeSocket = {
  connected: true,
  on: (event, fn) => { if (!handlers.has(event)) handlers.set(event, new Set()); handlers.get(event).add(fn); },
  off: (event, fn) => handlers.get(event)?.delete(fn),
  emit: (event, payload, ack) => { emitted.push(event); ack?.({ ok: true, room: "batch" }); },
};
vi.mock("../../lib/socket.js", () => ({ getSocket: () => fakeSocket }));

function serverSays(event, payload) {
  act(() => handlers.get(event)?.forEach((fn) => fn(payload)));
}

const line = (message, level = "info") => ({ job_id: "job_b1", customer_id: null, step: "batch", level, message,
  ts: new Date().toISOString() });

describe("parseCustomerIds", () => {
  it("reads ids from lines, commas and spaces, each once, and lists what is not an id", () => {
    expect(parseCustomerIds("CUST_MSM_00001\nCUST_MSM_00002, CUST_MSM_00001 cust_x ../etc")).toEqual({
      ids: ["CUST_MSM_00001", "CUST_MSM_00002"], invalid: ["cust_x", "../etc"] });
    expect(parseCustomerIds("")).toEqual({ ids: [], invalid: [] });
  });
});

describe("batchProgress", () => {
  it("counts finished customers from the log lines and keeps each failure's reason", () => {
    const job = { job_id: "job_b1", customers: 3, progress: { done: 0, failed: 0, total: 3 } };
    const lines = [line("batch of 3 customer(s) on 2 worker(s): clean"), line("[1/3] CUST_MSM_00001 done in 0.50s"),
      line("[2/3] CUST_NEW_00001 error: no raw data", "error")];
    expect(batchProgress(job, lines)).toEqual({ done: 1, failed: 1, total: 3,
      failures: [{ customer_id: "CUST_NEW_00001", error: "no raw data" }] });
  });

  it("takes the server's count when it knows more (a reload shows only the last lines)", () => {
    const job = { progress: { done: 40, failed: 2, total: 50 }, failed: [{ customer_id: "CUST_A_1", error: "x" }] };
    expect(batchProgress(job, [line("[50/50] CUST_MSM_00001 done in 1.00s")])).toMatchObject({ done: 40, failed: 2 });
  });
});

describe("BatchPanel", () => {
  let fetchMock;
  beforeEach(() => {
    handlers.clear();
    emitted.length = 0;
    sessionStorage.clear();
    fetchMock = vi.fn(async (url, init = {}) => new Response(JSON.stringify({ job_id: "job_b1", status: "pending",
      step: "batch", steps: JSON.parse(init.body).steps, customers: 2, workers: 2 }), { status: 202,
      headers: { "Content-Type": "application/json" } }));
    vi.stubGlobal("fetch", fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("refuses what is not a customer id before anything is sent", async () => {
    render(<BatchPanel />);
    await userEvent.type(screen.getByLabelText(/Who to run/), "CUST_MSM_00001, nope");
    expect(screen.getByRole("alert")).toHaveTextContent("Not customer IDs: nope");
    expect(screen.getByRole("button", { name: /Run batch/ })).toBeDisabled();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("starts a batch and shows each customer's outcome as the server reports it", async () => {
    render(<BatchPanel />);
    expect(emitted).toContain("join_batch");
    await userEvent.type(screen.getByLabelText(/Who to run/), "CUST_MSM_00001\nCUST_NEW_00001");
    await userEvent.click(screen.getByLabelText(/Models/));
    await userEvent.click(screen.getByRole("button", { name: "Run batch for 2 customer(s)" }));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    const [url, init] = fetchMock.mock.calls[0];
    expect(String(url)).toContain("/api/pipeline/batch");
    expect(JSON.parse(init.body)).toEqual({ customer_ids: ["CUST_MSM_00001", "CUST_NEW_00001"],
      steps: ["generate", "clean", "analyze", "score"], workers: 2 });
    await screen.findByText("job job_b1");
    serverSays("pipeline_status", { job_id: "job_b1", step: "batch", status: "running", customers: 2 });
    serverSays("pipeline_log", line("[1/2] CUST_MSM_00001 done in 0.80s", "success"));
    serverSays("pipeline_log", { ...line("[1/1] CUST_OTHER_1 done"), job_id: "job_other" }); // not ours
    serverSays("pipeline_log", line("[2/2] CUST_NEW_00001 error: no raw data for this customer", "error"));
    expect(screen.getByText(/1 done, 1 failed of 2/)).toBeInTheDocument();
    expect(screen.getByRole("list", { name: "customers that failed" })).toHaveTextContent(
      "CUST_NEW_00001: no raw data for this customer");
    serverSays("pipeline_status", { job_id: "job_b1", step: "batch", status: "error", customers: 2,
      progress: { done: 1, failed: 1, total: 2 } });
    expect(within(screen.getByTestId("batch-progress")).getByText("Error")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /Run batch/ })).toBeEnabled();
  });
});
