import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import ConsentsPage from "./index.jsx";
import { jobOutcome, mergeJob, mergeLines, withNotices } from "./aa-journey.js";
import { sourceText } from "./components/aa-journey-status.jsx";
import pending from "./__fixtures__/aa-pending.json";
import consentDone from "./__fixtures__/aa-consent-done.json";
import fetchRefused from "./__fixtures__/aa-fetch-refused.json";
import consents from "./__fixtures__/consents.json";
import audit from "./__fixtures__/audit.json";
import { jsonResponse, stubFetch } from "../../test/fetch-stub.js";

// The one shared socket is replaced by a fake that lets a test play the server's events.
const followers = new Map();
vi.mock("../../lib/socket.js", () => ({
  followCustomer: (customerId, handlers) => {
    if (!followers.has(customerId)) followers.set(customerId, new Set());
    followers.get(customerId).add(handlers);
    return () => followers.get(customerId)?.delete(handlers);
  },
}));

/** Play one server event to the customer's followers (`onLog`, `onStatus`, `onConsentStatus`, `onError`). */
function emit(kind, payload, customerId = CUSTOMER) {
  act(() => followers.get(customerId)?.forEach((h) => h[kind]?.(payload)));
}

const CUSTOMER = "CUST_AAJ_00001";
const JOURNEY = pending.journey;
const NONE = { customer_id: CUSTOMER, aa: pending.aa, journey: null };
const active = { ...pending, journey: { ...JOURNEY, status: "ACTIVE", consent_id: "7d3c9a10-2f4b-4e8d-b1a6-0c5e9f8d2b31",
  history: [...JOURNEY.history, { status: "ACTIVE", at: "2026-11-21T06:41:05.000Z", source: "notification" }] } };
const FETCH_JOB = { job_id: "job_8a3e6d1c0b2f4e57", status: "pending", customer_id: CUSTOMER, step: "aa_fetch" };
const line = (job, message, ts, level = "info") => ({ job_id: job.job_id, customer_id: CUSTOMER, step: job.step, level, message, ts });

/** The page's API with the AA journey in `state.journey` (a test changes it as the server would). */
function serve(state, extra = {}) {
  return stubFetch({
    "/api/consents": () => consents,
    "/api/audit": () => audit,
    "GET /api/aa/consents": () => state.journey,
    ...extra,
  });
}

const calls = (mock, path) => mock.mock.calls.filter(([url]) => String(url).startsWith(path));

beforeEach(() => followers.clear());
afterEach(() => vi.unstubAllGlobals());

describe("Account Aggregator card", () => {
  it("asks for consent (104, DEPOSIT and GSTR1_3B by default), streams the job's log, then shows the handle and the approval page", async () => {
    const state = { journey: NONE };
    let release;
    const mock = serve(state, {
      // the 202 is held back until the test releases it: the job's first lines arrive before it, as they can
      "POST /api/aa/consents": () => new Promise((resolve) => { release = resolve; }),
    });
    const user = userEvent.setup();
    render(<ConsentsPage customerId={CUSTOMER} role="admin" />);
    const card = await screen.findByRole("region", { name: "Account Aggregator" });
    expect(await within(card).findByText(`No consent has been requested from the Account Aggregator for ${CUSTOMER} yet.`)).toBeInTheDocument();
    const form = within(card).getByRole("form", { name: "Request consent from the Account Aggregator" });
    expect(within(form).getByLabelText("Purpose")).toHaveValue("104");
    expect(within(form).getAllByRole("option").map((o) => o.value)).toEqual(["104", "103", "105"]);
    const ticked = within(form).getAllByRole("checkbox").filter((b) => b.checked).map((b) => b.parentElement.textContent);
    expect(ticked).toEqual([expect.stringMatching(/^DEPOSIT/), expect.stringMatching(/^GSTR1_3B/)]);
    expect(within(card).getByRole("button", { name: "Fetch data" })).toBeDisabled();

    await user.click(within(form).getByRole("button", { name: "Request consent" }));
    const [, init] = calls(mock, "/api/aa/consents").find(([, i]) => i?.method === "POST");
    expect(JSON.parse(init.body)).toEqual({ customer_id: CUSTOMER, purpose: "104", fi_types: ["DEPOSIT", "GSTR1_3B"] });
    emit("onLog", line(consentDone, `consent handle ${JOURNEY.consent_handle}`, "2026-11-21T06:40:18.600+00:00"));
    await act(async () => release(jsonResponse(202, { job_id: consentDone.job_id, status: "pending", customer_id: CUSTOMER, step: "aa_consent" })));
    const log = within(card).getByRole("log", { name: "Account Aggregator log" });
    expect(log).toHaveTextContent(`consent handle ${JOURNEY.consent_handle}`); // the early line was kept
    expect(within(card).getByTestId("aa-job")).toHaveTextContent("Pending");
    emit("onLog", line(consentDone, `the customer approves at ${JOURNEY.approval_url}`, "2026-11-21T06:40:18.650+00:00"));
    expect(log).toHaveTextContent(`the customer approves at ${JOURNEY.approval_url}`);
    expect(within(log).getAllByRole("listitem")[0]).toHaveTextContent(/^12:10:18/); // IST, not the browser's zone

    state.journey = pending;
    emit("onStatus", consentDone);
    const link = await within(card).findByRole("link", { name: "Open the AA approval page" });
    expect(link).toHaveAttribute("href", JOURNEY.approval_url);
    expect(link).toHaveAttribute("target", "_blank");
    expect(link).toHaveAttribute("rel", "noopener");
    expect(within(card).getByTestId("aa-handle")).toHaveTextContent(JOURNEY.consent_handle);
    expect(within(card).getByTestId("aa-status")).toHaveTextContent("PENDING");
    expect(within(card).getByText("21 Nov 2026, 12:10 IST", { selector: "dd" })).toBeInTheDocument();
    expect(within(card).getByTestId("aa-outcome")).toHaveTextContent("Consent request finished");
    expect(within(card).getByRole("button", { name: "Fetch data" })).toBeDisabled();
  });

  it("turns the badge ACTIVE when the AA notifies us, without a reload, adds it to the history and reloads the consents", async () => {
    const state = { journey: pending };
    const mock = serve(state);
    render(<ConsentsPage customerId={CUSTOMER} role="admin" />);
    const card = await screen.findByRole("region", { name: "Account Aggregator" });
    expect(await within(card).findByTestId("aa-status")).toHaveTextContent("PENDING");
    const journeyReads = calls(mock, "/api/aa/consents").length;
    const consentReads = calls(mock, "/api/consents").length;
    emit("onConsentStatus", { customer_id: CUSTOMER, consent_handle: JOURNEY.consent_handle,
      consent_id: "7d3c9a10-2f4b-4e8d-b1a6-0c5e9f8d2b31", status: "ACTIVE", at: "2026-11-21T06:41:05.000Z" });
    expect(within(card).getByTestId("aa-status")).toHaveTextContent("ACTIVE");
    expect(calls(mock, "/api/aa/consents")).toHaveLength(journeyReads); // the event itself is enough
    const history = within(card).getAllByRole("listitem").filter((li) => li.closest("[aria-label='Consent status history']"));
    expect(history.map((li) => li.textContent)).toEqual([
      "ACTIVE21 Nov 2026, 12:11 ISTfrom AA notification",
      "PENDING21 Nov 2026, 12:10 ISTfrom our request",
    ]);
    expect(within(card).getByRole("button", { name: "Fetch data" })).toBeEnabled();
    await waitFor(() => expect(calls(mock, "/api/consents").length).toBeGreaterThan(consentReads)); // joins the registry
    // another consent's notice (an older handle) changes nothing
    emit("onConsentStatus", { customer_id: CUSTOMER, consent_handle: "old-handle", consent_id: null, status: "REVOKED", at: "2026-11-21T06:42:00.000Z" });
    expect(within(card).getByTestId("aa-status")).toHaveTextContent("ACTIVE");
  });

  it("fetches under the ACTIVE consent: the log streams in and ends with what was fetched; consents and audit reload", async () => {
    const state = { journey: active };
    const mock = serve(state, { "POST /api/aa/fetch": { status: 202, body: FETCH_JOB } });
    const user = userEvent.setup();
    render(<ConsentsPage customerId={CUSTOMER} role="admin" />);
    const card = await screen.findByRole("region", { name: "Account Aggregator" });
    await user.click(await within(card).findByRole("button", { name: "Fetch data" }));
    expect(JSON.parse(calls(mock, "/api/aa/fetch")[0][1].body)).toEqual({ customer_id: CUSTOMER });
    expect(within(card).getByRole("button", { name: "Fetch data" })).toBeDisabled(); // while the job runs
    expect(within(card).getByRole("button", { name: "Request a new consent" })).toBeDisabled();
    const log = within(card).getByRole("log", { name: "Account Aggregator log" });
    expect(log).toHaveTextContent("Waiting for the first log line…");
    emit("onStatus", { ...FETCH_JOB, status: "running" });
    emit("onLog", line(FETCH_JOB, "[1/1] clean: started", "2026-11-21T06:45:02.400+00:00"));
    expect(within(log).getAllByRole("listitem")).toHaveLength(1);
    emit("onLog", line(FETCH_JOB, "[1/1] clean: done", "2026-11-21T06:45:02.900+00:00", "success"));
    const fetched = `fetched 1 account(s), 412 transaction(s) and 24 GST return(s) for ${CUSTOMER} under its AA consent`;
    emit("onLog", line(FETCH_JOB, fetched, "2026-11-21T06:45:03.000+00:00"));
    expect(within(log).getAllByRole("listitem").map((li) => li.textContent.slice(8))).toEqual([
      "Info[1/1] clean: started", "Success[1/1] clean: done", `Info${fetched}`,
    ]);
    const reads = { consents: calls(mock, "/api/consents").length, audit: calls(mock, "/api/audit").length };
    state.journey = { ...active, journey: { ...active.journey, fetched_at: "2026-11-21T06:45:03.010+00:00" } };
    emit("onStatus", { ...FETCH_JOB, status: "done", message: fetched, finished_at: "2026-11-21T06:45:03.020+00:00" });
    expect(within(card).getByTestId("aa-outcome")).toHaveTextContent(`Data fetch finished${fetched}`);
    expect(within(card).getByTestId("aa-job")).toHaveTextContent("ended 21 Nov 2026, 12:15 IST");
    await waitFor(() => expect(calls(mock, "/api/consents").length).toBeGreaterThan(reads.consents));
    await waitFor(() => expect(calls(mock, "/api/audit").length).toBeGreaterThan(reads.audit));
    expect(await within(card).findByText("21 Nov 2026, 12:15 IST", { selector: "dd" })).toBeInTheDocument(); // last fetched
    expect(within(card).getByRole("button", { name: "Fetch data" })).toBeEnabled();
  });

  it("keeps the summary as the outcome when warnings follow it, and lists the warnings", async () => {
    serve({ journey: active }, { "POST /api/aa/fetch": { status: 202, body: FETCH_JOB } });
    const user = userEvent.setup();
    render(<ConsentsPage customerId={CUSTOMER} role="admin" />);
    const card = await screen.findByRole("region", { name: "Account Aggregator" });
    await user.click(await within(card).findByRole("button", { name: "Fetch data" }));
    const fetched = `fetched 1 account(s), 412 transaction(s) for ${CUSTOMER} under its AA consent`;
    const warning = "warning: GSTR1_3B was consented but the FIP sent no GST return";
    emit("onLog", line(FETCH_JOB, fetched, "2026-11-21T06:45:03.000+00:00"));
    emit("onLog", line(FETCH_JOB, warning, "2026-11-21T06:45:03.000+00:00"));
    emit("onStatus", { ...FETCH_JOB, status: "done", message: warning });
    const outcome = within(card).getByTestId("aa-outcome");
    expect(outcome).toHaveTextContent("Data fetch finished with 1 warning(s)");
    expect(within(outcome).getByText(fetched)).toBeInTheDocument();
    expect(within(outcome).getByRole("listitem")).toHaveTextContent(/^GSTR1_3B was consented but the FIP sent no GST return$/);
  });

  it("shows a refused fetch with its cause, e.g. a PAUSED consent, and that nothing was written", async () => {
    const state = { journey: active };
    serve(state, { "POST /api/aa/fetch": { status: 202, body: FETCH_JOB } });
    const user = userEvent.setup();
    render(<ConsentsPage customerId={CUSTOMER} role="admin" />);
    const card = await screen.findByRole("region", { name: "Account Aggregator" });
    await user.click(await within(card).findByRole("button", { name: "Fetch data" }));
    emit("onConsentStatus", { customer_id: CUSTOMER, consent_handle: JOURNEY.consent_handle, consent_id: active.journey.consent_id,
      status: "PAUSED", at: "2026-11-21T06:45:02.500Z" });
    emit("onStatus", fetchRefused);
    const outcome = within(card).getByTestId("aa-outcome");
    expect(outcome).toHaveTextContent("Data fetch failed");
    expect(outcome).toHaveTextContent("fetch refused (consent_scope): the consent is PAUSED, not ACTIVE; nothing was written");
    expect(outcome).toHaveAttribute("role", "alert");
    expect(within(card).getByTestId("aa-status")).toHaveTextContent("PAUSED");
    expect(within(card).getByRole("button", { name: "Fetch data" })).toBeDisabled();
    expect(within(card).getByRole("button", { name: "Fetch data" })).toHaveAccessibleDescription(
      "The customer paused the consent; they can resume it on the AA's page.");
  });

  it("shows the API's refusals plainly: a job already running (409), a field error (400)", async () => {
    const state = { journey: active };
    serve(state, {
      "POST /api/aa/fetch": { status: 409, body: { error: "job_running", message: `job job_1 is already running for ${CUSTOMER}` } },
      "POST /api/aa/consents": { status: 400, body: { error: "invalid_argument", field: "purpose", message: "purpose must be one of 101, 102, 103, 104, 105" } },
    });
    const user = userEvent.setup();
    render(<ConsentsPage customerId={CUSTOMER} role="admin" />);
    const card = await screen.findByRole("region", { name: "Account Aggregator" });
    await user.click(await within(card).findByRole("button", { name: "Fetch data" }));
    let alert = await within(card).findByRole("alert");
    expect(alert).toHaveTextContent("A job is already running for this customer");
    expect(alert).toHaveTextContent(`job job_1 is already running for ${CUSTOMER}`);
    expect(within(card).queryByRole("log")).not.toBeInTheDocument();
    const form = within(card).getByRole("form", { name: "Request consent from the Account Aggregator" });
    await user.selectOptions(within(form).getByLabelText("Purpose"), "105");
    await user.click(within(form).getByRole("button", { name: "Request a new consent" }));
    alert = await within(card).findByText(/purpose: purpose must be one of/);
    expect(alert.closest("[role=alert]")).toHaveTextContent("The Account Aggregator step was refused");
  });

  it("sends the chosen purpose and FI types, and needs at least one FI type", async () => {
    const mock = serve({ journey: NONE }, { "POST /api/aa/consents": { status: 202, body: { job_id: "job_1", status: "pending", customer_id: CUSTOMER, step: "aa_consent" } } });
    const user = userEvent.setup();
    render(<ConsentsPage customerId={CUSTOMER} role="admin" />);
    const form = await screen.findByRole("form", { name: "Request consent from the Account Aggregator" });
    await user.click(within(form).getByRole("checkbox", { name: /^DEPOSIT/ }));
    await user.click(within(form).getByRole("checkbox", { name: /^GSTR1_3B/ }));
    expect(within(form).getByRole("alert")).toHaveTextContent("Choose at least one FI type.");
    expect(within(form).getByRole("button", { name: "Request consent" })).toBeDisabled();
    await user.click(within(form).getByRole("checkbox", { name: /^MUTUAL_FUNDS/ }));
    await user.click(within(form).getByRole("checkbox", { name: /^DEPOSIT/ }));
    await user.selectOptions(within(form).getByLabelText("Purpose"), "103");
    await user.click(within(form).getByRole("button", { name: "Request consent" }));
    const [, init] = calls(mock, "/api/aa/consents").find(([, i]) => i?.method === "POST");
    expect(JSON.parse(init.body)).toEqual({ customer_id: CUSTOMER, purpose: "103", fi_types: ["DEPOSIT", "MUTUAL_FUNDS"] });
  });

  it("Refresh reads the journey and the job again (lines a dropped socket missed); a refused live connection is said", async () => {
    const state = { journey: active };
    const mock = serve(state, {
      "POST /api/aa/fetch": { status: 202, body: FETCH_JOB },
      [`/api/jobs/${FETCH_JOB.job_id}`]: () => ({ ...fetchRefused, log: [line(FETCH_JOB, "asking the AA for the consent's status", "2026-11-21T06:45:02.300+00:00")] }),
    });
    const user = userEvent.setup();
    render(<ConsentsPage customerId={CUSTOMER} role="admin" />);
    const card = await screen.findByRole("region", { name: "Account Aggregator" });
    emit("onError", { ok: false, error: "connect_error", message: "cannot connect to live updates" });
    expect(within(card).getByText("Live updates are off")).toBeInTheDocument();
    await user.click(await within(card).findByRole("button", { name: "Fetch data" }));
    state.journey = { ...active, journey: { ...active.journey, status: "PAUSED" } };
    await user.click(within(card).getByRole("button", { name: "Refresh" }));
    expect(await within(card).findByText("asking the AA for the consent's status")).toBeInTheDocument();
    expect(within(card).getByTestId("aa-outcome")).toHaveTextContent("fetch refused (consent_scope)");
    await waitFor(() => expect(within(card).getByTestId("aa-status")).toHaveTextContent("PAUSED"));
    expect(calls(mock, `/api/jobs/${FETCH_JOB.job_id}`)).toHaveLength(1);
  });
});

describe("AA journey helpers", () => {
  it("applies notices of the journey's handle not yet in its history, once", () => {
    const notice = { consent_handle: JOURNEY.consent_handle, consent_id: "c-1", status: "ACTIVE", at: "2026-11-21T06:41:05.000Z" };
    const live = withNotices(JOURNEY, [notice, { ...notice, consent_handle: "other", status: "REVOKED" }]);
    expect(live.status).toBe("ACTIVE");
    expect(live.consent_id).toBe("c-1");
    expect(live.history.map((h) => `${h.status}/${h.source}`)).toEqual(["PENDING/request", "ACTIVE/notification"]);
    expect(withNotices(live, [notice])).toBe(live); // already in the history (the record was read again)
    expect(withNotices(null, [notice])).toBeNull();
  });

  it("merges job reports without going back to pending, and log lines once in time order", () => {
    const running = { job_id: "j", status: "running" };
    expect(mergeJob(running, { job_id: "j", status: "pending" }).status).toBe("running");
    expect(mergeJob(running, { job_id: "j", status: "done", message: "ok" })).toEqual({ job_id: "j", status: "done", message: "ok" });
    const a = { ts: "2026-11-21T06:45:02.100+00:00", level: "info", message: "a" };
    const b = { ts: "2026-11-21T06:45:02.200+00:00", level: "info", message: "b" };
    expect(mergeLines([b], [a, b, a]).map((l) => l.message)).toEqual(["a", "b"]);
    expect(sourceText("poll")).toBe("AA status check");
  });

  it("reads a job's outcome: the refusal, or the summary with the warnings after it", () => {
    expect(jobOutcome({ job_id: "j", status: "running" }, [])).toBeNull();
    expect(jobOutcome(fetchRefused, [])).toEqual({ ok: false, text: fetchRefused.message, warnings: [] });
    const lines = ["[1/1] clean: done", "fetched 1 account(s), 3 transaction(s) for X under its AA consent", "warning: a", "warning: b"]
      .map((message) => ({ message }));
    expect(jobOutcome({ status: "done", message: "warning: b" }, lines)).toEqual({
      ok: true, text: "fetched 1 account(s), 3 transaction(s) for X under its AA consent", warnings: ["a", "b"] });
    expect(jobOutcome({ status: "done", message: "the customer approves at http://aa/approve/h" }, [])).toEqual({
      ok: true, text: "the customer approves at http://aa/approve/h", warnings: [] });
  });
});
