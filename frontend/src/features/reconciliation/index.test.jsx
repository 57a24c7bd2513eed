import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import ReconciliationPage from "./index.jsx";
import reconciliation from "./__fixtures__/reconciliation.json";

function stubApi(route) {
  const fetchMock = vi.fn(() => {
    if (typeof route === "function") return route();
    return Promise.resolve(new Response(JSON.stringify(route.body), { status: route.status ?? 200, headers: { "Content-Type": "application/json" } }));
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

afterEach(() => vi.unstubAllGlobals());

const CUSTOMER = "CUST_MSM_00006";

describe("Reconciliation", () => {
  it("shows a loading status", () => {
    stubApi(() => new Promise(() => {}));
    render(<ReconciliationPage customerId={CUSTOMER} role="officer" />);
    expect(screen.getByRole("status")).toHaveTextContent(/Loading/);
  });

  it("shows an empty state when the reconciliation is not computed yet", async () => {
    stubApi({ status: 404, body: { error: "not_found", message: "reconciliation has not been computed for this customer yet" } });
    render(<ReconciliationPage customerId={CUSTOMER} role="officer" />);
    expect(await screen.findByText(/reconciliation has not been computed for this customer yet\. Run the pipeline's models step/i)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows the API's error message in an alert", async () => {
    stubApi({ status: 403, body: { error: "consent_revoked", message: "consent for CUST_MSM_00006 was revoked" } });
    render(<ReconciliationPage customerId={CUSTOMER} role="officer" />);
    expect(await screen.findByRole("alert")).toHaveTextContent("consent for CUST_MSM_00006 was revoked");
  });

  it("renders the headline, risk reasons, monthly rows and both sides of unmatched items", async () => {
    const fetchMock = stubApi({ body: reconciliation });
    render(<ReconciliationPage customerId={CUSTOMER} role="officer" />);
    expect(await screen.findByText("HIGH")).toBeInTheDocument();
    expect(fetchMock.mock.calls[0][0]).toBe(`/api/reconciliation?customer_id=${CUSTOMER}`);
    const reasons = within(screen.getByRole("list", { name: "Reconciliation risk reasons" })).getAllByRole("listitem");
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toHaveTextContent("only 18% of due GSTR-1 invoice value reached the bank");

    expect(screen.getByRole("button", { name: /Reconciliation rate: 73\.5%/ })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /GST vs bank discrepancy: 149\.7%/ })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /Unexplained bank credits: 8/ })).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /GST vs bank vs ONDC by month/ })).toBeInTheDocument();

    const monthly = screen.getByRole("table", { name: "Monthly reconciliation" });
    const firstRow = within(monthly).getAllByRole("row")[1];
    expect(firstRow).toHaveTextContent("Oct 2026");
    expect(firstRow).toHaveTextContent("No GST return");
    expect(firstRow).toHaveTextContent("₹9,35,217");
    expect(firstRow).not.toHaveTextContent(/₹[\d,]+\.\d/); // whole rupees in tables

    const matches = screen.getByRole("table", { name: "Matched items" });
    expect(within(matches).getAllByRole("row")).toHaveLength(11); // header + 10 per page
    expect(within(matches).getByText("ONDC-20240505-00001L5")).toBeInTheDocument();
    expect(screen.getByRole("navigation", { name: "Matched items pages" })).toHaveTextContent("1–10 of 30");

    expect(within(matches).getAllByText("One-to-one").length).toBeGreaterThan(0);

    const groups = screen.getByRole("table", { name: "Match groups" });
    const part = within(groups).getByText("Paid in parts").closest("tr");
    expect(part).toHaveTextContent("AE/24-25/0031");
    expect(part).toHaveTextContent("C45900001, C45900002");
    expect(part).toHaveTextContent("₹28,000");
    expect(part).toHaveTextContent("short by Rs 28,000 after 2 parts; no further credit from GLOBAL HARDWARE PVT LTD within 90 days");
    expect(within(groups).getByText("Several invoices, one credit").closest("tr")).toHaveTextContent("AE/24-25/0040, AE/24-25/0041");
    expect(within(groups).getByText("Net of credit note").closest("tr")).toHaveTextContent("credit note AE/CN/24-25/001 ₹5,900");

    const items = screen.getByRole("table", { name: "Unmatched declared items" });
    expect(within(items).getAllByText(/Overdue|Open/).length).toBeGreaterThan(0);
    expect(within(items).getByText(/none fits Rs 5,53,037 alone, in parts/)).toBeInTheDocument();
    const credits = screen.getByRole("table", { name: "Unmatched bank credits" });
    expect(within(credits).getByText("₹3,24,000")).toBeInTheDocument();
    expect(within(credits).getAllByText("GLOBAL HARDWARE PVT LTD").length).toBeGreaterThan(0);
  });

  it("pages the matched items", async () => {
    stubApi({ body: reconciliation });
    render(<ReconciliationPage customerId={CUSTOMER} role="officer" />);
    const nav = await screen.findByRole("navigation", { name: "Matched items pages" });
    await userEvent.click(within(nav).getByRole("button", { name: "Next page" }));
    expect(nav).toHaveTextContent("11–20 of 30");
  });

  it("says how a matched invoice was paid: less TDS at the inferred rate", async () => {
    stubApi({ body: reconciliation });
    render(<ReconciliationPage customerId={CUSTOMER} role="officer" />);
    const matches = await screen.findByRole("table", { name: "Matched items" });
    await userEvent.type(screen.getByLabelText("Search matched items"), "AE/23-24/0015");
    expect(await within(matches).findByText("Less TDS (7.5%)")).toBeInTheDocument();
  });

  it("survives a document with missing fields", async () => {
    stubApi({ body: { customer_id: CUSTOMER, metrics: {}, monthly: [{ month: "2026-01", gst_value: null }] } });
    render(<ReconciliationPage customerId={CUSTOMER} role="officer" />);
    expect(await screen.findByRole("heading", { name: "Matched items" })).toBeInTheDocument();
    expect(screen.getByText("No item was matched to a bank credit.")).toBeInTheDocument();
    expect(screen.getByText("Every declared item was found in the bank.")).toBeInTheDocument();
    expect(screen.getByText("Every item was paid by one credit of its own.")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});
