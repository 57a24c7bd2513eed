import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import RiskPage from "./index.jsx";
import { runwayText, waterfall, wrapLabel } from "./model.js";
import { axisFit } from "./components/shap-waterfall.jsx";
import riskModel from "./__fixtures__/risk-model.json";
import forecast from "./__fixtures__/forecast.json";

/** Stub `fetch` by path: each entry is `{status, body}` or a function returning a never-settling promise. */
function stubApi(routes) {
  const fetchMock = vi.fn((url) => {
    const path = String(url).split("?")[0];
    const route = routes[path];
    if (typeof route === "function") return route();
    if (!route) return Promise.resolve(new Response(JSON.stringify({ error: "not_found", message: "no route" }), { status: 404 }));
    return Promise.resolve(new Response(JSON.stringify(route.body), { status: route.status ?? 200, headers: { "Content-Type": "application/json" } }));
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

afterEach(() => vi.unstubAllGlobals());

const CUSTOMER = "CUST_MSM_00007";

describe("Risk & Forecast", () => {
  it("shows a loading status while the documents load", () => {
    stubApi({ "/api/risk-model": () => new Promise(() => {}), "/api/forecast": () => new Promise(() => {}) });
    render(<RiskPage customerId={CUSTOMER} role="officer" />);
    expect(screen.getAllByRole("status").length).toBeGreaterThanOrEqual(2);
  });

  it("treats a missing risk model (404) as not computed yet, not as an error", async () => {
    stubApi({
      "/api/risk-model": { status: 404, body: { error: "not_found", message: "risk model has not been computed for this customer yet; run the pipeline step that produces it" } },
      "/api/forecast": { status: 404, body: { error: "not_found", message: "cashflow forecast has not been computed" } },
    });
    render(<RiskPage customerId={CUSTOMER} role="officer" />);
    expect(await screen.findByText(/risk model has not been computed for this customer yet/i)).toBeInTheDocument();
    expect(screen.getByText(/forecast has not been computed for this customer yet/i)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows the API's error message in an alert", async () => {
    stubApi({
      "/api/risk-model": { status: 403, body: { error: "consent_required", message: "no active consent covers DEPOSIT for CUST_MSM_00007" } },
      "/api/forecast": { body: forecast },
    });
    render(<RiskPage customerId={CUSTOMER} role="officer" />);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("no active consent covers DEPOSIT for CUST_MSM_00007");
    expect(await screen.findByRole("heading", { name: "Cash-flow forecast" })).toBeInTheDocument();
  });

  it("shows an unknown customer (404 customer_not_found) as an error", async () => {
    stubApi({
      "/api/risk-model": { status: 404, body: { error: "customer_not_found", message: "customer CUST_MSM_00099 not found" } },
      "/api/forecast": { status: 404, body: { error: "customer_not_found", message: "customer CUST_MSM_00099 not found" } },
    });
    render(<RiskPage customerId="CUST_MSM_00099" role="officer" />);
    expect((await screen.findAllByRole("alert"))[0]).toHaveTextContent("customer CUST_MSM_00099 not found");
  });

  it("renders PD, band, model validation, drivers in words, forecast, runway, flags and back-test", async () => {
    const fetchMock = stubApi({ "/api/risk-model": { body: riskModel }, "/api/forecast": { body: forecast } });
    render(<RiskPage customerId={CUSTOMER} role="officer" />);
    expect(await screen.findByRole("button", { name: /Probability of default: 1\.8%/ })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /Risk band: LOW/ })).toBeInTheDocument();
    expect(screen.getByText(riskModel.model.version)).toBeInTheDocument();
    expect(screen.getByText("0.865 ± 0.019")).toBeInTheDocument(); // AUC
    expect(screen.getByText("0.712 ± 0.046")).toBeInTheDocument(); // KS
    expect(screen.getByText("0.729 ± 0.038")).toBeInTheDocument(); // Gini

    const drivers = within(screen.getByRole("list", { name: "Top risk drivers" })).getAllByRole("listitem");
    expect(drivers).toHaveLength(10);
    expect(drivers[0]).toHaveTextContent("Lowered risk");
    expect(drivers[0]).toHaveTextContent("₹21.00 lakh");
    expect(screen.getAllByText("Raised risk").length).toBeGreaterThan(0);

    // Runway: a finite value in months, a null one in words ("beyond the horizon"), never a dash.
    expect(await screen.findByRole("button", { name: /Runway — Base: 1\.2 months/ })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /Runway — Optimistic: Beyond the 3-month horizon/ })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /Suggested max new EMI: ₹0/ })).toBeInTheDocument();

    const flags = within(screen.getByRole("list", { name: "Cash-flow risk flags" })).getAllByRole("listitem");
    expect(flags).toHaveLength(3);
    expect(flags[0]).toHaveTextContent("HIGH");
    expect(flags[0]).toHaveTextContent("the base forecast loses 511,302 INR over 3 month(s)");

    expect(screen.getByRole("button", { name: /Model MAPE \(back-test\)/ })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /Seasonal-naive MAPE/ })).toBeInTheDocument();
    expect(screen.getByText(/seasonal-naive baseline/)).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /SHAP waterfall/ })).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /history and forecast/ })).toBeInTheDocument();
    expect(fetchMock.mock.calls.map(([url]) => String(url))).toEqual(
      expect.arrayContaining([`/api/risk-model?customer_id=${CUSTOMER}`, `/api/forecast?customer_id=${CUSTOMER}`]),
    );
  });

  it("opens a metric's calculation (formula and inputs)", async () => {
    stubApi({ "/api/risk-model": { body: riskModel }, "/api/forecast": { body: forecast } });
    render(<RiskPage customerId={CUSTOMER} role="officer" />);
    await userEvent.click(await screen.findByRole("button", { name: /Probability of default/ }));
    const dialog = screen.getByRole("dialog", { name: "Probability of default" });
    expect(dialog).toHaveTextContent("calibrator(margin)");
  });

  it("survives documents with missing fields", async () => {
    stubApi({
      "/api/risk-model": { body: { customer_id: CUSTOMER, metrics: {}, drivers: [{ feature: "x" }] } },
      "/api/forecast": { body: { customer_id: CUSTOMER, history: [], forecast: [], scenarios: {}, runway: {}, metrics: {}, reason: "2 complete month(s) of history: at least 12 are needed" } },
    });
    render(<RiskPage customerId={CUSTOMER} role="officer" />);
    expect(await screen.findByText(/Forecast not available: 2 complete month/)).toBeInTheDocument();
    expect(screen.getByText(/version not recorded/)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});

describe("risk model helpers", () => {
  it("wraps a driver's name between words for the axis, never losing more than the end of a very long one", () => {
    expect(wrapLabel("Round-tripped or related-party money counted as sales (1 = yes)", 26))
      .toEqual(["Round-tripped or", "related-party money", "counted as sales (1 = yes)"]);
    expect(wrapLabel("Bureau score (300-900)", 26)).toEqual(["Bureau score (300-900)"]);
    const long = wrapLabel("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen", 12, 3);
    expect(long).toHaveLength(3);
    expect(long[2].endsWith("…")).toBe(true);
    expect(wrapLabel("Supercalifragilisticexpialidocious", 10)).toEqual(["Supercali…"]);
  });

  it("sizes the axis for the longest wrapped line and the rows for the most lines", () => {
    const fit = axisFit(["Bureau score (300-900)", "Round-tripped or related-party money counted as sales (1 = yes)"]);
    expect(fit.width).toBeGreaterThanOrEqual(26 * 6.6);
    expect(fit.rowHeight).toBeGreaterThanOrEqual(3 * 13);
    expect(axisFit(["ABB"])).toEqual({ width: Math.ceil(3 * 6.6) + 14, rowHeight: 28 });
  });

  it("builds a waterfall from the base value to the prediction", () => {
    const w = waterfall(riskModel);
    expect(w.rows[0].range[0]).toBe(riskModel.base_value);
    expect(w.rows[w.rows.length - 1].range[1]).toBeCloseTo(riskModel.margin, 5);
    expect(w.prediction).toBe(riskModel.margin);
    expect(w.rows.filter((r) => r.kind === "up" || r.kind === "down")).toHaveLength(10);
    expect(w.domain[0]).toBeLessThan(Math.min(riskModel.margin, riskModel.base_value));
    expect(waterfall(null)).toBeNull();
  });

  it("words the runway", () => {
    expect(runwayText({ value: null, inputs: { available_funds: 10 }, reason: "funds stay above zero" }, 3)).toBe("Beyond the 3-month horizon");
    expect(runwayText({ value: null, inputs: { available_funds: null }, reason: "current balance unknown: no runway" }, 3)).toBe("Not known");
    expect(runwayText({ value: 0 }, 3)).toBe("Funds already exhausted");
    expect(runwayText({ value: 1.2096 }, 3)).toBe("1.2 months");
    expect(runwayText(undefined, 3)).toBe("—");
  });
});
