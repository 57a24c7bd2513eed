import { beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import InsightsPage from "./index.jsx";
import { saveSession } from "../../lib/session.js";
import { pending, stubFetch } from "../../test/fetch-stub.js";
import analytics from "./__fixtures__/analytics-fraud.json";
import creditScore from "./__fixtures__/credit-score-fraud.json";
import riskModel from "./__fixtures__/risk-model-fraud.json";
import aiInsights from "./__fixtures__/ai-insights-fraud.json";

const ID = "CUST_MSM_00006";

beforeEach(() => saveSession({ token: "officer-token", role: "officer" }));

describe("Analytics Insights", () => {
  it("shows loading states while the documents load", () => {
    stubFetch({ "/api/credit-score": () => pending(), "/api/risk-model": () => pending(), "/api/analytics": () => pending() });
    render(<InsightsPage customerId={ID} role="officer" />);
    expect(screen.getAllByRole("status").length).toBeGreaterThanOrEqual(3);
    expect(screen.getByRole("button", { name: "Get AI insights" })).toBeEnabled();
  });

  it("puts the HIGH fraud alert on top, then score, risk, recommendation and metrics", async () => {
    stubFetch({ "/api/credit-score": creditScore, "/api/risk-model": riskModel, "/api/analytics": analytics });
    const { container } = render(<InsightsPage customerId={ID} role="officer" />);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(/Fraud alert — HIGH severity/);
    expect(alert).toHaveTextContent(/Input tax credit close to output tax/);
    expect(alert).toHaveClass("banner-danger");
    expect(container.querySelector(".insights").children[1]).toContainElement(alert); // first after the hidden heading
    expect(screen.getByText(/Unusual amount: 24 flagged/)).toBeInTheDocument();

    expect(screen.getByRole("img", { name: "Credit score 549 on a scale of 300 to 900, band E" })).toBeInTheDocument();
    expect(screen.getByText("Band E")).toBeInTheDocument(); // the letter only: the PD band is the risk grade
    expect(screen.getByText("No serious delinquency in 12 months (worst DPD 0 days)")).toBeInTheDocument();
    expect(screen.getAllByText("GST returns often filed late (on time 46%)").length).toBeGreaterThanOrEqual(1);
    expect(screen.getByText(/Capped at 549/)).toBeInTheDocument();

    expect(await screen.findByRole("button", { name: "Probability of default: 11.9%. Show calculation" })).toBeInTheDocument();
    expect(screen.getByLabelText("Risk band: MODERATE")).toBeInTheDocument();
    expect(screen.getByText("Average days a GSTR-3B return was late is 13.8; this raised risk")).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Default risk" })).not.toHaveTextContent("log-odds");

    const rec = screen.getByRole("region", { name: "Lending recommendation" });
    expect(within(rec).getByText("Decline")).toHaveClass("badge-danger");
    expect(within(rec).getByText(/refer to fraud control/)).toBeInTheDocument();

    const metrics = screen.getByRole("region", { name: "Key metrics" });
    expect(within(metrics).getByRole("button", { name: "ABB: ₹1.62 L. Show calculation" })).toBeInTheDocument();
    expect(within(metrics).getByRole("button", { name: "FOIR: 4.3%. Show calculation" })).toBeInTheDocument();
    expect(within(metrics).getByRole("button", { name: "DSCR: 4.35×. Show calculation" })).toBeInTheDocument();
    expect(within(metrics).getByRole("button", { name: "Surplus ratio: 11.9%. Show calculation" })).toBeInTheDocument();
    expect(within(metrics).getByRole("button", { name: "Worst DPD (12 months): 0 days. Show calculation" })).toBeInTheDocument();
    expect(within(metrics).getByRole("button", { name: /GST turnover trend: \+0.38%\/month/ })).toHaveTextContent("stable");
  });

  it("shows the API's error message and still shows what did load", async () => {
    stubFetch({
      "/api/credit-score": creditScore,
      "/api/risk-model": { status: 404, body: { error: "not_found", message: "risk_model not computed" } },
      "/api/analytics": { status: 403, body: { error: "consent_required", message: "no ACTIVE consent covers CUST_MSM_00006" } },
    });
    render(<InsightsPage customerId={ID} role="officer" />);
    expect(await screen.findByRole("alert")).toHaveTextContent("no ACTIVE consent covers CUST_MSM_00006");
    expect(screen.getByText("The risk model has not scored this customer yet.")).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /Credit score 549/ })).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Key metrics" })).not.toBeInTheDocument();
  });

  it("reports an unknown customer in every block instead of 'not computed'", async () => {
    const missing = { status: 404, body: { error: "customer_not_found", message: "customer CUST_MSM_09999 not found" } };
    stubFetch({ "/api/credit-score": missing, "/api/risk-model": missing, "/api/analytics": missing });
    render(<InsightsPage customerId="CUST_MSM_09999" role="officer" />);
    await waitFor(() => expect(screen.getAllByRole("alert")).toHaveLength(3));
    screen.getAllByRole("alert").forEach((a) => expect(a).toHaveTextContent("customer CUST_MSM_09999 not found"));
    expect(screen.queryByText("The risk model has not scored this customer yet.")).not.toBeInTheDocument();
  });

  it("survives documents with missing fields", async () => {
    stubFetch({
      "/api/credit-score": { customer_id: ID },
      "/api/risk-model": { customer_id: ID },
      "/api/analytics": { customer_id: ID, overall_summary: { alerts: null, key_metrics: { abb: { unit: "INR" } } } },
    });
    render(<InsightsPage customerId={ID} role="officer" />);
    expect(await screen.findByRole("img", { name: "Credit score: not available" })).toBeInTheDocument();
    expect(await screen.findByText("No recommendation computed yet.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "abb: —. Show calculation" })).toBeInTheDocument();
    expect(screen.getByLabelText("Risk band: not available")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows empty states when nothing is computed", async () => {
    stubFetch({
      "/api/credit-score": { status: 404, body: { error: "not_found", message: "credit_score for CUST_MSM_00006 not computed yet" } },
      "/api/risk-model": { status: 404, body: { error: "not_found", message: "not computed" } },
      "/api/analytics": { customer_id: ID, missing: [], overall_summary: null },
    });
    render(<InsightsPage customerId={ID} role="officer" />);
    expect(await screen.findByText("credit_score for CUST_MSM_00006 not computed yet")).toBeInTheDocument();
    expect(await screen.findByText("No recommendation computed yet.")).toBeInTheDocument();
    expect(screen.getByText("No key metrics computed yet.")).toBeInTheDocument();
  });

  it("gets the AI narrative on request and says who wrote it", async () => {
    let release;
    const fetchMock = stubFetch({
      "/api/credit-score": creditScore, "/api/risk-model": riskModel, "/api/analytics": analytics,
      "POST /api/ai-insights": () => new Promise((resolve) => { release = () => resolve(aiInsights); }),
    });
    const user = userEvent.setup();
    render(<InsightsPage customerId={ID} role="officer" />);
    await user.click(screen.getByRole("button", { name: "Get AI insights" }));
    expect(screen.getByRole("button", { name: "Writing insights…" })).toBeDisabled();
    expect(screen.getByText(/Writing the narrative/)).toBeInTheDocument();
    const call = fetchMock.mock.calls.find(([u, init]) => u === "/api/ai-insights" && init.method === "POST");
    expect(JSON.parse(call[1].body)).toEqual({ customer_id: ID });
    release();
    const card = screen.getByRole("region", { name: "AI insights" });
    expect(await within(card).findByText(/Written by the built-in template/)).toHaveTextContent("deterministic-template-v1");
    expect(within(card).getByRole("heading", { name: "Strengths" })).toBeInTheDocument();
    expect(within(card).getByRole("heading", { name: "Risks" })).toBeInTheDocument();
    expect(within(card).getByRole("heading", { name: "Suggested conditions" })).toBeInTheDocument();
    expect(within(card).getByText(/^Decline: HIGH-severity GST fraud/)).toBeInTheDocument();
    expect(within(card).getByRole("button", { name: "Regenerate AI insights" })).toBeEnabled();
  });

  it("shows an AI error in place", async () => {
    stubFetch({
      "/api/credit-score": creditScore, "/api/risk-model": riskModel, "/api/analytics": analytics,
      "POST /api/ai-insights": { status: 404, body: { error: "analytics_not_found", message: "no analytics for CUST_MSM_00006 yet: run the analyze step" } },
    });
    const user = userEvent.setup();
    render(<InsightsPage customerId={ID} role="officer" />);
    await user.click(screen.getByRole("button", { name: "Get AI insights" }));
    const card = screen.getByRole("region", { name: "AI insights" });
    await waitFor(() => expect(within(card).getByRole("alert")).toHaveTextContent("run the analyze step"));
  });
});
