import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import PipelinePage from "./index.jsx";
import { isValidCustomerId, randomCustomerId } from "./api.js";
import { MAX_LINES, MAX_RUNS, addReport, mergeJob, mergeLines, stepStatuses } from "./model.js";
import jobDone from "./__fixtures__/job-done.json";
import jobRunning from "./__fixtures__/job-running.json";
import jobError from "./__fixtures__/job-error.json";
import started from "./__fixtures__/start-202.json";
import conflict from "./__fixtures__/conflict-409.json";
import consentRefused from "./__fixtures__/consent-403.json";

// The one shared socket is replaced by a fake that lets a test play the server's events.
const followers = new Map();
const fakeSocket = { connected: false, on: () => {}, off: () => {}, emit: () => {} };
vi.mock("../../lib/socket.js", () => ({
  getSocket: () => fakeSocket,
  followCustomer: (customerId, handlers) => {
    if (!followers.has(customerId)) followers.set(customerId, new Set());
    followers.get(customerId).add(handlers);
    return () => followers.get(customerId)?.delete(handlers);
  },
}));

function emit(customerId, kind, payload) {
  act(() => {
    followers.get(customerId)?.forEach((h) => h[kind]?.(payload));
  });
}

function json(body, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** Stub `fetch` by "METHOD path": a `{status, body}`, or a function of the request returning a Response promise. */
function stubApi(routes) {
  const fetchMock = vi.fn((url, init = {}) => {
    const key = `${init.method || "GET"} ${String(url).split("?")[0]}`;
    const route = routes[key];
    if (typeof route === "function") return route(url, init);
    if (!route) return Promise.resolve(json({ error: "not_found", message: `no route ${key}` }, 404));
    return Promise.resolve(json(route.body, route.status ?? 200));
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

beforeEach(() => followers.clear());
afterEach(() => vi.unstubAllGlobals());

const CUSTOMER = "CUST_FIX_00001";
const line = (message, level = "info", extra = {}) => ({
  job_id: started.job_id, customer_id: CUSTOMER, step: "generate", level, message, ts: "2026-11-21T06:40:18.300+00:00", ...extra,
});

describe("Pipeline Monitor", () => {
  it("starts idle: the customer, the steps in order with their status, an empty log", () => {
    stubApi({});
    render(<PipelinePage customerId={CUSTOMER} role="analyst" />);
    expect(screen.getByLabelText("Customer ID")).toHaveValue(CUSTOMER);
    const steps = within(screen.getByRole("list", { name: /pipeline steps/i })).getAllByRole("button");
    expect(steps.map((b) => b.textContent.replace(/^\d/, ""))).toEqual([
      "Validate Consent & Fetch Data", "Clean & Validate", "Generate Analytics", "Calculate Credit Score", "Models",
    ]);
    expect(screen.getByRole("button", { name: "Run All" })).toBeEnabled();
    expect(screen.getAllByText("Idle")).toHaveLength(6);
    expect(screen.getByRole("log", { name: "Pipeline log" })).toHaveTextContent(/no log lines yet/i);
    expect(screen.getByRole("log")).toHaveAttribute("aria-live", "polite");
  });

  it("explains an invalid customer id and keeps the steps disabled; a random id is valid", async () => {
    stubApi({});
    const user = userEvent.setup();
    render(<PipelinePage customerId={null} role="analyst" />);
    const input = screen.getByLabelText("Customer ID");
    await user.type(input, "cust_12");
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("alert")).toHaveTextContent("“CUST_12” is not a valid customer ID.");
    expect(screen.getByRole("button", { name: "Run All" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Generate Random Customer ID" }));
    expect(isValidCustomerId(input.value)).toBe(true);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Run All" })).toBeEnabled();
  });

  it("runs a step and shows its live log lines with time, level and status", async () => {
    let release;
    const fetchMock = stubApi({
      "POST /api/pipeline/clean": () => new Promise((resolve) => { release = () => resolve(json({ ...started, step: "clean", steps: ["clean"] }, 202)); }),
    });
    const user = userEvent.setup();
    render(<PipelinePage customerId={CUSTOMER} role="analyst" />);
    await user.click(screen.getByRole("button", { name: /Clean & Validate/ }));
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe("/api/pipeline/clean");
    expect(JSON.parse(init.body)).toEqual({ customer_id: CUSTOMER });
    // the server's first events can arrive before the 202 does: they are kept, not lost
    emit(CUSTOMER, "onStatus", { ...started, step: "clean", status: "running" });
    emit(CUSTOMER, "onLog", line("[1/1] clean: started", "info", { step: "clean" }));
    await act(async () => release());
    const log = screen.getByRole("log");
    expect(await within(log).findByText("[1/1] clean: started")).toBeInTheDocument();
    expect(screen.getByTestId("job-status")).toHaveTextContent("Running");
    expect(screen.getByRole("button", { name: /Clean & Validate/ })).toBeDisabled();
    emit(CUSTOMER, "onLog", line("transactions: read 1754, written 1711, duplicates 34, quarantined 9", "warning",
      { step: "clean", ts: "2026-11-21T06:40:18.400+00:00" }));
    const warning = within(log).getByText(/transactions: read 1754/).closest("li");
    expect(warning).toHaveClass("log-warning");
    expect(within(warning).getByText("Warning")).toBeInTheDocument();
    expect(within(warning).getByText(/^\d{2}:\d{2}:\d{2}$/)).toHaveAttribute("datetime", "2026-11-21T06:40:18.400+00:00");
    // a line of another customer's job never shows up here
    emit(CUSTOMER, "onLog", line("someone else's job", "info", { job_id: "job_other" }));
    expect(within(log).queryByText("someone else's job")).not.toBeInTheDocument();
    emit(CUSTOMER, "onStatus", { ...started, step: "clean", status: "done", finished_at: "2026-11-21T06:40:19.397+00:00",
      command: "python -m pipeline run --customer-id CUST_FIX_00001 --steps clean" });
    expect(screen.getByTestId("job-status")).toHaveTextContent("Done");
    expect(screen.getByText("Clean & Validate status:").parentElement).toHaveTextContent("Done");
    expect(screen.getByRole("button", { name: /Clean & Validate/ })).toBeEnabled();
    expect(screen.getByText("python -m pipeline run --customer-id CUST_FIX_00001 --steps clean")).toBeInTheDocument();
  });

  it("keeps the first step's status and log when the next step runs, a heading per job, newest last", async () => {
    const ids = { generate: "job_first", clean: "job_second" };
    stubApi({
      "POST /api/pipeline/generate": { status: 202, body: { ...started, job_id: ids.generate, step: "generate", steps: ["generate"] } },
      "POST /api/pipeline/clean": { status: 202, body: { ...started, job_id: ids.clean, step: "clean", steps: ["clean"] } },
    });
    const user = userEvent.setup();
    render(<PipelinePage customerId={CUSTOMER} role="analyst" />);
    const statusOf = (label) => screen.getByText(`${label} status:`).parentElement.textContent.replace(`${label} status:`, "").trim();
    const run = async (step, label, message, second) => {
      await user.click(screen.getByRole("button", { name: new RegExp(label) }));
      await waitFor(() => expect(screen.getByTestId("job-status")).toHaveTextContent(ids[step]));
      emit(CUSTOMER, "onLog", line(message, "success", { job_id: ids[step], step, ts: `2026-11-21T06:4${second}:00.000+00:00` }));
      emit(CUSTOMER, "onStatus", { ...started, job_id: ids[step], step, steps: [step], status: "done", created_at: `2026-11-21T06:4${second}:00.000+00:00` });
      await waitFor(() => expect(statusOf(label)).toBe("Done"));
    };
    await run("generate", "Validate Consent & Fetch Data", "[1/1] generate: done in 1.2s", 0);
    await run("clean", "Clean & Validate", "[1/1] clean: done in 0.4s", 5);
    expect(statusOf("Validate Consent & Fetch Data")).toBe("Done"); // not reset to Idle by the next job
    expect(statusOf("Generate Analytics")).toBe("Idle");
    const log = screen.getByRole("log");
    expect(within(log).getAllByRole("listitem").map((li) => li.querySelector(".log-message").textContent))
      .toEqual(["[1/1] generate: done in 1.2s", "[1/1] clean: done in 0.4s"]);
    const titles = [...log.querySelectorAll(".log-job-title")].map((el) => el.textContent);
    expect(titles).toEqual([
      `Validate Consent & Fetch Data for ${CUSTOMER} · job job_first · started 12:10:00 IST · Done`,
      `Clean & Validate for ${CUSTOMER} · job job_second · started 12:15:00 IST · Done`,
    ]);
    // times in IST whatever the browser's zone: 06:45 UTC is 12:15 in India
    expect(within(log).getByText("[1/1] clean: done in 0.4s").closest("li").querySelector("time")).toHaveTextContent("12:15:00");
    // a reload brings both jobs back
    expect(JSON.parse(sessionStorage.getItem("msme.pipeline.job"))).toMatchObject({ job_id: "job_second", earlier: ["job_first"] });
  });

  it("shows the API's message when a job is already running (409)", async () => {
    stubApi({ "POST /api/pipeline/run_all": { status: 409, body: conflict } });
    const user = userEvent.setup();
    render(<PipelinePage customerId={CUSTOMER} role="analyst" />);
    await user.click(screen.getByRole("button", { name: "Run All" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("A job is already running for this customer");
    expect(alert).toHaveTextContent(conflict.message);
  });

  it("shows the API's consent message when the step is refused (403)", async () => {
    stubApi({ "POST /api/pipeline/analyze": { status: 403, body: consentRefused } });
    const user = userEvent.setup();
    render(<PipelinePage customerId="CUST_MSM_00010" role="analyst" />);
    await user.click(screen.getByRole("button", { name: /Generate Analytics/ }));
    expect(await screen.findByRole("alert")).toHaveTextContent(consentRefused.message);
    expect(screen.getAllByText("Idle")).toHaveLength(6);
  });

  it("after a reload fetches the job it followed and shows its state and last lines", async () => {
    sessionStorage.setItem("msme.pipeline.job", JSON.stringify({ job_id: jobDone.job_id, customer_id: jobDone.customer_id, context: null }));
    let answer;
    stubApi({ [`GET /api/jobs/${jobDone.job_id}`]: () => new Promise((resolve) => { answer = () => resolve(json(jobDone)); }) });
    render(<PipelinePage customerId={null} role="analyst" />);
    expect(screen.getByRole("button", { name: "Run All" })).toBeDisabled(); // still restoring
    await act(async () => answer());
    expect(await screen.findByTestId("job-status")).toHaveTextContent("Done");
    expect(screen.getByLabelText("Customer ID")).toHaveValue(jobDone.customer_id);
    const log = screen.getByRole("log");
    expect(within(log).getAllByRole("listitem")).toHaveLength(jobDone.log.length);
    expect(within(log).getByText("[1/1] clean: done in 0.41s").closest("li")).toHaveClass("log-success");
    expect(screen.getByText(jobDone.command)).toBeInTheDocument();
    expect(screen.getByText("Debug: command and job state").closest("details")).not.toHaveAttribute("open");
  });

  it("a reload of a running Run All follows it again and reads each step's status from the log", async () => {
    // the job as captured mid-run, cut at the moment analyze had started
    const cut = jobRunning.log.findIndex((l) => l.message.startsWith("[3/5] analyze: started")) + 1;
    const snapshot = { ...jobRunning, log: jobRunning.log.slice(0, cut) };
    sessionStorage.setItem("msme.pipeline.job", JSON.stringify({ job_id: jobRunning.job_id, customer_id: CUSTOMER, context: CUSTOMER }));
    stubApi({ [`GET /api/jobs/${jobRunning.job_id}`]: { body: snapshot } });
    render(<PipelinePage customerId={CUSTOMER} role="analyst" />);
    expect(await screen.findByTestId("job-status")).toHaveTextContent("Running");
    const statusOf = (label) => screen.getByText(`${label} status:`).parentElement.textContent.replace(`${label} status:`, "").trim();
    expect(statusOf("Validate Consent & Fetch Data")).toBe("Done");
    expect(statusOf("Clean & Validate")).toBe("Done");
    expect(statusOf("Generate Analytics")).toBe("Running");
    expect(statusOf("Models")).toBe("Pending");
    expect(statusOf("Run All")).toBe("Running");
    await waitFor(() => expect(followers.get(CUSTOMER)?.size).toBe(1));
    const done = jobRunning.log.find((l) => l.message.startsWith("[3/5] analyze: done"));
    emit(CUSTOMER, "onLog", done);
    expect(statusOf("Generate Analytics")).toBe("Done");
    expect(within(screen.getByRole("log")).getAllByRole("listitem")).toHaveLength(cut + 1);
  });

  it("does not bring back the last job when another customer was picked", () => {
    sessionStorage.setItem("msme.pipeline.job", JSON.stringify({ job_id: jobDone.job_id, customer_id: jobDone.customer_id, context: "CUST_MSM_00002" }));
    const fetchMock = stubApi({});
    render(<PipelinePage customerId="CUST_MSM_00006" role="analyst" />);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(screen.getByLabelText("Customer ID")).toHaveValue("CUST_MSM_00006");
  });

  it("shows a failed job as an error with its message", async () => {
    sessionStorage.setItem("msme.pipeline.job", JSON.stringify({ job_id: jobError.job_id, customer_id: jobError.customer_id, context: null }));
    stubApi({ [`GET /api/jobs/${jobError.job_id}`]: { body: jobError } });
    render(<PipelinePage customerId={null} role="analyst" />);
    const status = await screen.findByTestId("job-status");
    expect(status).toHaveTextContent("Error");
    expect(status).toHaveTextContent(jobError.message);
    expect(screen.getByText(/analyze: failed/).closest("li")).toHaveClass("log-error");
  });
});

describe("pipeline helpers", () => {
  it("random ids match the API's pattern", () => {
    expect(randomCustomerId(() => 0)).toBe("CUST_AAA_00000");
    for (let i = 0; i < 50; i += 1) expect(isValidCustomerId(randomCustomerId())).toBe(true);
    expect(isValidCustomerId("CUST_MSM_0001")).toBe(false);
  });

  it("merges log lines once each, in time order", () => {
    const a = { ts: "2026-01-01T00:00:01Z", level: "info", message: "b" };
    const b = { ts: "2026-01-01T00:00:00Z", level: "info", message: "a" };
    expect(mergeLines([a], [b, a])).toEqual([b, a]);
  });

  it("never lets the 202's pending overwrite a later status", () => {
    const running = { job_id: "j", status: "running" };
    expect(mergeJob(running, { job_id: "j", status: "pending", command: "x" }).status).toBe("running");
    expect(mergeJob(running, { job_id: "j", status: "done" }).status).toBe("done");
  });

  it("marks every step of a finished Run All", () => {
    const statuses = stepStatuses([{ job: { ...jobRunning, status: "done" }, lines: jobRunning.log }]);
    expect(statuses.run_all).toBe("done");
    expect(statuses.generate).toBe("done");
  });

  it("keeps each step's last status across jobs, per customer", () => {
    const report = (id, step, status, customer = CUSTOMER) => ({ job_id: id, step, status, customer_id: customer });
    let runs = addReport([], report("j1", "generate", "done"));
    runs = addReport(runs, report("j2", "clean", "error"));
    runs = addReport(runs, report("j3", "analyze", "running"));
    expect(stepStatuses(runs, CUSTOMER)).toMatchObject({ generate: "done", clean: "error", analyze: "running", models: "idle" });
    // a later run of the same step replaces its status; another customer's runs do not count
    runs = addReport(runs, report("j4", "clean", "done"));
    runs = addReport(runs, report("j5", "models", "done", "CUST_OTH_00002"));
    expect(stepStatuses(runs, CUSTOMER)).toMatchObject({ generate: "done", clean: "done", analyze: "running", models: "idle" });
    expect(stepStatuses(runs, "CUST_OTH_00002")).toMatchObject({ generate: "idle", models: "done" });
  });

  it("keeps the runs in order, merges reports of the same job and caps the oldest away", () => {
    const line = (i) => ({ ts: `2026-01-01T00:00:${String(i % 60).padStart(2, "0")}Z`, level: "info", message: `l${i}` });
    let runs = addReport([], { job_id: "j1", step: "clean", status: "running" }, [line(1)]);
    runs = addReport(runs, { job_id: "j1", status: "done" }, [line(2)]);
    expect(runs).toHaveLength(1);
    expect(runs[0].job.status).toBe("done");
    expect(runs[0].lines.map((l) => l.message)).toEqual(["l1", "l2"]);
    for (let i = 2; i <= MAX_RUNS + 3; i += 1) runs = addReport(runs, { job_id: `j${i}`, step: "clean", status: "done" }, [line(i)]);
    expect(runs).toHaveLength(MAX_RUNS);
    expect(runs[runs.length - 1].job.job_id).toBe(`j${MAX_RUNS + 3}`);
    const many = Array.from({ length: MAX_LINES }, (_, i) => ({ ...line(i), message: `big ${i}` }));
    runs = addReport(runs, { job_id: "big", step: "run_all", status: "done" }, many);
    expect(runs.map((r) => r.job.job_id)).toEqual(["big"]); // the newest job always stays, the others go first
  });
});
