import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import CaseFilePage from "./index.jsx";
import DecisionHeader from "./components/decision-header.jsx";
import CaseList from "./components/case-list.jsx";
import { saveSession } from "../../lib/session.js";
import { jsonResponse, stubFetch } from "../../test/fetch-stub.js";
import decision from "./__fixtures__/decision-moderate.json";
import history from "./__fixtures__/case-history.json";
import identity from "./__fixtures__/identity.json";
import cases from "./__fixtures__/cases.json";

const ID = "CUST_MSM_00003";
const ROUTES = { "/api/decision": decision, "/api/customer-identity": identity, "/api/case-history": history };

beforeEach(() => saveSession({ token: "officer-token", role: "officer" }));
afterEach(() => vi.restoreAllMocks());

describe("decision header", () => {
  it("shows the decision, one risk grade, the offer with its rate build-up, conditions and reasons", async () => {
    stubFetch(ROUTES);
    render(<DecisionHeader customerId={ID} />);
    const header = screen.getByRole("region", { name: "Credit decision" });
    expect(await within(header).findByText("Approve with conditions")).toHaveClass("badge-warning");
    expect(within(header).getByTestId("risk-grade")).toHaveTextContent(/^MODERATE · PD 6\.2%$/);
    expect(header).toHaveTextContent("Credit score 684 (300–900)");
    // one risk grade: no score-band words beside the PD band, no third scale
    expect(header).not.toHaveTextContent(/Moderate risk|Low risk|of 100/);

    expect(within(header).getByText("₹24.00 L")).toHaveAttribute("title", "₹24,00,000"); // a summary figure: lakh/crore
    expect(within(header).getByText("Dec 2025 – Nov 2026 (12 months)")).toBeInTheDocument();
    expect(header).toHaveTextContent("12 months");
    expect(header).toHaveTextContent("₹20,500/month");
    expect(header).toHaveTextContent("13.42% a year");
    const buildUp = within(header).getByLabelText("Rate build-up");
    expect(buildUp).toHaveTextContent(
      "benchmark 8.75% + cost of funds 1.00% + operating cost 1.50% + expected loss 1.24% + capital charge 0.93% = 13.42%");

    const conditions = within(header).getByRole("list", { name: "Conditions" });
    expect(within(conditions).getAllByRole("listitem")).toHaveLength(2);
    const pros = within(header).getByRole("list", { name: "Reasons for" });
    expect(within(pros).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "No delinquency in 24 months on 6 loans", "GST turnover of ₹1.85 crore a year, growing 12%", "Average bank balance of ₹4.20 lakh"]);
    const cons = within(header).getByRole("list", { name: "Reasons against" });
    expect(within(cons).getAllByRole("listitem")[0]).toHaveTextContent(/^EMIs take 38% of monthly business credits$/);
    expect(header).not.toHaveTextContent(/log-odds|undefined|NaN/);

    const registrations = within(header).getByLabelText("Registrations");
    expect(registrations).toHaveTextContent("PANABCPI1234K");
    expect(registrations).toHaveTextContent("GSTIN33ABCPI1234K1Z5");
    expect(registrations).toHaveTextContent("UdyamUDYAM-TN-07-0012345");

    const officer = await within(header).findByTestId("officer-decision");
    expect(officer).toHaveTextContent("Decline");
    expect(officer).toHaveTextContent("Differs from the engine");
    expect(officer).toHaveTextContent("officer-ravi");
  });

  it("says when the rate charged is the build-up rounded up, and lists a guarantee fee", async () => {
    const rate = { value: 0.1205, unit: "ratio (annual)", inputs: { build_up: { benchmark: 0.055, cost_of_funds: 0.0225,
      operating_cost: 0.0175, expected_loss: 0.00895, capital_charge: 0.008841, guarantee_fee: 0.0075 } } };
    stubFetch({ ...ROUTES, "/api/decision": { ...decision, offer: { ...decision.offer, annual_rate: rate } } });
    render(<DecisionHeader customerId={ID} />);
    const buildUp = await screen.findByLabelText("Rate build-up");
    expect(buildUp).toHaveTextContent(
      "benchmark 5.50% + cost of funds 2.25% + operating cost 1.75% + expected loss 0.90% + capital charge 0.88% + "
      + "CGTMSE guarantee fee 0.75% = 12.03%, charged 12.05% (rounded up to the next 0.05%)");
  });

  it("keeps the model statistics behind Details", async () => {
    stubFetch(ROUTES);
    const user = userEvent.setup();
    render(<DecisionHeader customerId={ID} />);
    const toggle = await screen.findByRole("button", { name: "Details" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByText("1.0+20261201T080213.902e2b83")).not.toBeInTheDocument();
    await user.click(toggle);
    expect(screen.getByRole("button", { name: "Hide details" })).toHaveAttribute("aria-expanded", "true");
    expect(screen.getByText("1.0+20261201T080213.902e2b83")).toBeInTheDocument();
    const details = screen.getByText("AUC").closest("dl");
    expect(details).toHaveTextContent("AUC0.810");
    expect(details).toHaveTextContent("KS0.450");
    expect(details).toHaveTextContent("Gini0.620");
    expect(details).toHaveTextContent("Brier0.080");
    expect(details).toHaveTextContent("Policy2026.12.1, effective 01 Dec 2026");
    expect(details).toHaveTextContent("Decided bythe PD cut-offs");
    expect(details).toHaveTextContent("Knock-outs firednone");
  });

  it("says the engine has not decided yet instead of failing", async () => {
    stubFetch({ ...ROUTES, "/api/decision": { status: 404, body: { error: "not_found", message: "decision has not been computed for this customer yet; run the models step" } } });
    render(<DecisionHeader customerId={ID} />);
    expect(await screen.findByText(/No credit decision yet/)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("downloads the credit memo with the session's token and saves it under the server's name", async () => {
    const fetchMock = stubFetch({
      ...ROUTES,
      "/api/credit-memo": () => new Response("%PDF-1.4", {
        status: 200, headers: { "Content-Type": "application/pdf", "Content-Disposition": `attachment; filename=credit-memo-${ID}.pdf` },
      }),
    });
    const created = vi.fn(() => "blob:memo");
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    const clicks = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function click() {
      clicks.push({ href: this.getAttribute("href"), download: this.download });
    });
    const user = userEvent.setup();
    render(<DecisionHeader customerId={ID} />);
    await user.click(await screen.findByRole("button", { name: "Download credit memo" }));
    expect(await screen.findByText(`Saved credit-memo-${ID}.pdf`)).toBeInTheDocument();
    expect(clicks).toEqual([{ href: "blob:memo", download: `credit-memo-${ID}.pdf` }]);
    expect(await created.mock.calls[0][0].text()).toBe("%PDF-1.4");
    const [url, init] = fetchMock.mock.calls.find(([u]) => String(u).startsWith("/api/credit-memo"));
    expect(url).toBe(`/api/credit-memo?customer_id=${ID}`);
    expect(init.headers.Authorization).toBe("Bearer officer-token");
  });

  it("shows why the memo could not be made", async () => {
    stubFetch({ ...ROUTES, "/api/credit-memo": { status: 404, body: { error: "analytics_not_found", message: "the credit memo needs decision.json: run the models step" } } });
    const user = userEvent.setup();
    render(<DecisionHeader customerId={ID} />);
    await user.click(await screen.findByRole("button", { name: "Download credit memo" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("the credit memo needs decision.json: run the models step");
  });
});

describe("recording the officer's decision", () => {
  function routes(posted) {
    return {
      ...ROUTES,
      "POST /api/officer-decisions": (url, init) => {
        const body = JSON.parse(init.body);
        posted.push(body);
        return { status: 201, body: { ...body, decision_id: "od_new", differs: body.decision !== decision.decision, ts: "2026-12-03T10:00:00+00:00" } };
      },
    };
  }

  it("refuses an override without a reason on screen, and records it with one", async () => {
    const posted = [];
    const fetchMock = stubFetch(routes(posted));
    const user = userEvent.setup();
    render(<CaseFilePage customerId={ID} />);
    const form = await screen.findByRole("form", { name: "Record your decision" });
    expect(within(form).getByRole("radio", { name: /Approve with conditions \(engine\)/ })).toBeChecked();
    await user.click(within(form).getByRole("radio", { name: "Decline" }));
    expect(within(form).queryByLabelText("Amount (₹)")).not.toBeInTheDocument();
    expect(within(form).getByLabelText(/^Reason \(required: your decision differs/)).toBeRequired();
    await user.click(within(form).getByRole("button", { name: "Record decision" }));
    expect(within(form).getByRole("alert")).toHaveTextContent(
      "Give a reason: your decision differs from the engine's (Approve with conditions).");
    expect(posted).toEqual([]);

    await user.type(within(form).getByLabelText(/^Reason/), "Premises shut on the site visit");
    await user.type(within(form).getByLabelText("Note"), "Neighbours say it moved");
    const historyCalls = () => fetchMock.mock.calls.filter(([u]) => String(u).startsWith("/api/case-history")).length;
    const before = historyCalls();
    await user.click(within(form).getByRole("button", { name: "Record decision" }));
    expect(await within(form).findByRole("status")).toHaveTextContent("Recorded: Decline (differs from the engine).");
    expect(posted).toEqual([{ customer_id: ID, decision: "DECLINE", conditions: decision.conditions,
      note: "Neighbours say it moved", reason: "Premises shut on the site visit" }]);
    await waitFor(() => expect(historyCalls()).toBeGreaterThan(before)); // the history reloads
    expect(within(form).getByLabelText(/^Reason/)).toHaveValue("");
  });

  it("needs no reason to agree, and asks for one when the amount changes", async () => {
    const posted = [];
    stubFetch(routes(posted));
    const user = userEvent.setup();
    render(<CaseFilePage customerId={ID} />);
    const form = await screen.findByRole("form", { name: "Record your decision" });
    const amount = within(form).getByLabelText("Amount (₹)");
    expect(amount).toHaveValue("2400000");
    expect(form).toHaveTextContent("The engine offers ₹24,00,000 (₹24.00 lakh).");
    await user.click(within(form).getByRole("button", { name: "Record decision" }));
    expect(await within(form).findByRole("status")).toHaveTextContent("Recorded: Approve with conditions.");
    expect(posted[0]).toMatchObject({ decision: "APPROVE_WITH_CONDITIONS", amount: 2400000, reason: "" });

    await user.clear(amount);
    await user.type(amount, "1500000");
    expect(form).toHaveTextContent("You enter ₹15.00 lakh.");
    await user.click(within(form).getByRole("button", { name: "Record decision" }));
    expect(within(form).getByRole("alert")).toHaveTextContent("your amount differs from the engine's (Approve with conditions, ₹24.00 lakh)");
    expect(posted).toHaveLength(1);
    await user.clear(amount);
    await user.type(amount, "-5");
    await user.click(within(form).getByRole("button", { name: "Record decision" }));
    expect(within(form).getAllByRole("alert")[0]).toHaveTextContent("Enter the amount in rupees, above zero");
    expect(posted).toHaveLength(1);
  });

  it("shows the server's refusal next to the field it names", async () => {
    stubFetch({
      ...ROUTES,
      "POST /api/officer-decisions": { status: 400, body: { error: "invalid_field", field: "conditions[0]", message: "conditions must be a list of at most 20 texts of 1 to 300 characters" } },
    });
    const user = userEvent.setup();
    render(<CaseFilePage customerId={ID} />);
    const form = await screen.findByRole("form", { name: "Record your decision" });
    await user.click(within(form).getByRole("button", { name: "Record decision" }));
    const alert = await within(form).findByRole("alert");
    expect(alert).toHaveTextContent("conditions must be a list of at most 20 texts");
    expect(within(form).getByLabelText("Conditions (one per line)")).toHaveAttribute("aria-invalid", "true");
  });

  it("lists the case history newest first with the reasons", async () => {
    stubFetch(ROUTES);
    render(<CaseFilePage customerId={ID} />);
    const list = await screen.findByRole("list", { name: "Case history" });
    const items = within(list).getAllByRole("listitem");
    expect(items).toHaveLength(4);
    expect(items[0]).toHaveTextContent("Officer decision");
    expect(items[0]).toHaveTextContent("Decline");
    expect(items[0]).toHaveTextContent("Differs from the engine");
    expect(items[0]).toHaveTextContent("Reason: Premises shut on the site visit");
    expect(items[0]).toHaveTextContent("02 Dec 2026, 16:30 IST");
    expect(items[1]).toHaveTextContent("amount ₹24.00 lakh");
    expect(items[2]).toHaveTextContent("Engine decision");
    expect(items[2]).toHaveTextContent("MODERATE · PD 6.2% · policy 2026.12.1 · current");
    expect(items[3]).toHaveTextContent("Pipeline run");
    expect(list).not.toHaveTextContent(/undefined|NaN/);
  });

  it("says so when the engine has not decided, rather than offering a form", async () => {
    stubFetch({ ...ROUTES, "/api/decision": { status: 404, body: { error: "not_found", message: "not computed" } },
      "/api/case-history": { ...history, engine: null, latest_officer: null, entries: [], count: 0 } });
    render(<CaseFilePage customerId={ID} />);
    expect(await screen.findByText(/The engine has not decided on this customer yet/)).toBeInTheDocument();
    expect(screen.queryByRole("form")).not.toBeInTheDocument();
    expect(await screen.findByText("Nothing on this case yet.")).toBeInTheDocument();
  });
});

describe("case list", () => {
  it("shows each case's decision, risk grade and officer decision, and hides what no consent allows", async () => {
    stubFetch({ "/api/cases": cases });
    const opened = [];
    render(<CaseList onOpen={(id) => opened.push(id)} />);
    const table = await screen.findByRole("table");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent("Royal Murugan Wood Works");
    expect(rows[0]).toHaveTextContent("LOW · PD 1.7%");
    expect(rows[0]).toHaveTextContent("None yet");
    expect(rows[2]).toHaveTextContent("No lending consent");
    expect(rows[2]).toHaveTextContent("never");
    expect(table).not.toHaveTextContent(/undefined|NaN|baseline|fraud|high_debt/);
    await userEvent.click(within(rows[1]).getByRole("button", { name: /Open the case of Om Tirupati Wood Works/ }));
    expect(opened).toEqual(["CUST_MSM_00003"]);
  });

  it("shows the server's error with a retry", async () => {
    stubFetch({ "/api/cases": () => jsonResponse(503, { error: "unavailable", message: "the server is starting" }) });
    render(<CaseList onOpen={() => {}} />);
    expect(await screen.findByRole("alert")).toHaveTextContent("the server is starting");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
