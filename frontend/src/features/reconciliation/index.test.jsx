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
  it("loads the long lists page by page from the links the document holds", async () => {
    const many = Array.from({ length: 260 }, (_, i) => ({ ...reconciliation.matches[i % reconciliation.matches.length], item_id: `ITEM-${i}`, label: `Item ${i}` }));
    const stubs = {};
    ["matches", "match_groups", "unmatched_items", "unmatched_bank_credits"].forEach((list) => {
      const rows = list === "matches" ? many : reconciliation[list];
      stubs[list] = rows;
    });
    const doc = { ...reconciliation };
    Object.entries(stubs).forEach(([list, rows]) => {
      doc[list] = { total: rows.length, href: `/api/analytics/reconciliation/${list}?customer_id=${CUSTOMER}` };
    });
    const fetchMock = vi.fn((url) => {
      const parsed = new URL(url, "http://x");
      const list = parsed.pathname.split("/")[4];
      const body = parsed.pathname === "/api/reconciliation" ? doc : (() => {
        const limit = Number(parsed.searchParams.get("limit"));
        const offset = Number(parsed.searchParams.get("offset"));
        return { items: stubs[list].slice(offset, offset + limit), total: stubs[list].length, limit, offset };
      })();
      return Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } }));
    });
    vi.stubGlobal("fetch", fetchMock);
    render(<ReconciliationPage customerId={CUSTOMER} role="officer" />);
    const nav = await screen.findByRole("navigation", { name: "Matched items pages" });
    expect(nav).toHaveTextContent("1–10 of 250");
    expect(screen.getByText("250 of 260 matched items loaded")).toBeInTheDocument();
    const urls = fetchMock.mock.calls.map((c) => c[0]);
    expect(urls).toContain(`/api/analytics/reconciliation/matches?customer_id=${CUSTOMER}&limit=250&offset=0`);
    await userEvent.click(screen.getByRole("button", { name: "Load 10 more" }));
    expect(await screen.findByText("260 of 260 matched items loaded")).toBeInTheDocument();
    expect(nav).toHaveTextContent("1–10 of 260");
    expect(fetchMock.mock.calls.map((c) => c[0])).toContain(`/api/analytics/reconciliation/matches?customer_id=${CUSTOMER}&limit=250&offset=250`);
    expect(screen.queryByRole("button", { name: /Load .* more/ })).not.toBeInTheDocument();
    // the other lists came whole in their first page: nothing is lost
    const groups = screen.getByRole("table", { name: "Match groups" });
    expect(within(groups).getByText("Paid in parts")).toBeInTheDocument();
    expect(screen.getByText("8 of 8 unmatched bank credits loaded")).toBeInTheDocument();
  });
});
