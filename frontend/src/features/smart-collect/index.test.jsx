import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import SmartCollectPage from "./index.jsx";
import { ordinal, windowText } from "./labels.js";
import plan from "./__fixtures__/smart-collect.json";
import planWithShortfall from "./__fixtures__/smart-collect-shortfall.json";
import noObligations from "./__fixtures__/smart-collect-empty.json";

function stubApi(route) {
  const fetchMock = vi.fn(() => {
    if (typeof route === "function") return route();
    return Promise.resolve(new Response(JSON.stringify(route.body), { status: route.status ?? 200, headers: { "Content-Type": "application/json" } }));
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

afterEach(() => vi.unstubAllGlobals());

const CUSTOMER = "CUST_MSM_00007";

describe("Smart Collect", () => {
  it("shows a loading status", () => {
    stubApi(() => new Promise(() => {}));
    render(<SmartCollectPage customerId={CUSTOMER} role="officer" />);
    expect(screen.getByRole("status")).toBeInTheDocument();
  });

  it("shows an empty state when the customer has no obligations", async () => {
    stubApi({ body: noObligations });
    render(<SmartCollectPage customerId="CUST_MSM_00005" role="officer" />);
    expect(await screen.findByText("No obligations to collect: no active obligations found.")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows an empty state when the plan is not computed yet", async () => {
    stubApi({ status: 404, body: { error: "not_found", message: "smart collect has not been computed for this customer yet" } });
    render(<SmartCollectPage customerId={CUSTOMER} role="officer" />);
    expect(await screen.findByText(/collection plan has not been computed for this customer yet/)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows the API's error message in an alert", async () => {
    stubApi({ status: 400, body: { error: "invalid_customer_id", message: "customer_id must look like CUST_MSM_00001", field: "customer_id" } });
    render(<SmartCollectPage customerId="bad" role="officer" />);
    expect(await screen.findByRole("alert")).toHaveTextContent("customer_id must look like CUST_MSM_00001");
  });

  it("renders obligations with dues, window, probability, method, history grid and risk signals", async () => {
    const fetchMock = stubApi({ body: plan });
    render(<SmartCollectPage customerId={CUSTOMER} role="officer" />);
    const card = (await screen.findByRole("heading", { name: "NEOGROWTH PVT LTD" })).closest("section");
    expect(fetchMock.mock.calls[0][0]).toBe(`/api/smart-collect?customer_id=${CUSTOMER}`);
    expect(screen.getAllByRole("heading", { level: 3 })).toHaveLength(4);

    const dues = within(card).getByRole("table", { name: /Upcoming collections — NEOGROWTH/ });
    expect(within(dues).getAllByRole("row")).toHaveLength(4);
    expect(within(dues).getAllByText("None").length).toBe(3);

    expect(within(card).getByRole("button", { name: /Success probability: 92\.9%/ })).toBeInTheDocument();
    expect(within(card).getByText(/in 12 of 12 months \(Laplace-smoothed\)/)).toBeInTheDocument();
    expect(within(card).getByText("Recommended method").nextElementSibling).toHaveTextContent("NACH");
    expect(within(card).getByText("Why").nextElementSibling).toHaveTextContent(/cheapest reliable channel/);

    const grid = within(card).getByRole("list", { name: /Repayment history of NEOGROWTH PVT LTD, last 12 months: 9 missed, 3 on time/ });
    const cells = within(grid).getAllByRole("listitem");
    expect(cells).toHaveLength(12);
    expect(cells[0]).toHaveTextContent("Nov 2025");
    expect(cells[0]).toHaveTextContent("Missed");
    expect(cells[11]).toHaveTextContent("On time");
    expect(cells[0]).toHaveClass("sc-danger");

    const epimoney = screen.getByRole("heading", { name: "EPIMONEY PVT LTD FLEXILOANS" }).closest("section");
    expect(within(epimoney).getByText("Bounced")).toBeInTheDocument();
    const bureau = screen.getByRole("heading", { name: "ADITYA BIRLA FINANCE LTD" }).closest("section");
    expect(within(bureau).getByText(/Assumption: due day taken as the day of month the loan was opened/)).toBeInTheDocument();
    expect(within(bureau).getByText("Credit bureau")).toBeInTheDocument();

    const signals = within(screen.getByRole("list", { name: "Collection risk signals" })).getAllByRole("listitem");
    expect(signals).toHaveLength(4);
    expect(signals[2]).toHaveTextContent("HIGH");
    expect(signals[2]).toHaveTextContent("Action: Switch to e-mandate with retry");
  });

  it("flags shortfalls and at-risk collections in rupees", async () => {
    stubApi({ body: planWithShortfall });
    render(<SmartCollectPage customerId="CUST_MSM_00003" role="officer" />);
    const card = (await screen.findByRole("heading", { name: "ADITYA BIRLA FINANCE LTD" })).closest("section");
    expect(within(card).getAllByText("₹1,56,755")).toHaveLength(3);
    expect(within(card).getByRole("button", { name: /Success probability: 14\.3%/ })).toBeInTheDocument();
    expect(within(card).getByText(/2nd–4th of the month/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /At-risk collections: 9/ })).toBeInTheDocument();
    const mahindra = screen.getByRole("heading", { name: "MAHINDRA AND MAHINDRA FINANCIAL SERVICES" }).closest("section");
    expect(within(mahindra).getAllByText("Late")).toHaveLength(2);
    expect(within(mahindra).getByText(/60 DPD/)).toBeInTheDocument();
  });

  it("survives an obligation with missing fields", async () => {
    stubApi({ body: { customer_id: CUSTOMER, obligations: [{ lender: "X BANK" }], metrics: {} } });
    render(<SmartCollectPage customerId={CUSTOMER} role="officer" />);
    const card = (await screen.findByRole("heading", { name: "X BANK" })).closest("section");
    expect(within(card).getByText("No upcoming collections.")).toBeInTheDocument();
    expect(within(card).getByText("No repayment history.")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("words days of the month", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23].map(ordinal)).toEqual(["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd"]);
    expect(windowText({ start_day: 26, end_day: 28 })).toBe("26th–28th of the month");
    expect(windowText(null)).toBe("—");
  });
});
