import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import RecommendationsPage from "./index.jsx";
import { orderProducts } from "./labels.js";
import recommendations from "./__fixtures__/recommendations.json";

function stubApi(route) {
  const fetchMock = vi.fn(() => {
    if (typeof route === "function") return route();
    return Promise.resolve(new Response(JSON.stringify(route.body), { status: route.status ?? 200, headers: { "Content-Type": "application/json" } }));
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

afterEach(() => vi.unstubAllGlobals());

const CUSTOMER = "CUST_MSM_00001";
const productRegions = () => screen.getAllByRole("region").filter((r) => r.classList.contains("recs-card"));

describe("Recommendations", () => {
  it("shows a loading status", () => {
    stubApi(() => new Promise(() => {}));
    render(<RecommendationsPage customerId={CUSTOMER} role="officer" />);
    expect(screen.getByRole("status")).toBeInTheDocument();
  });

  it("shows an empty state when recommendations are not computed yet", async () => {
    stubApi({ status: 404, body: { error: "not_found", message: "recommendations has not been computed for this customer yet" } });
    render(<RecommendationsPage customerId={CUSTOMER} role="officer" />);
    expect(await screen.findByText(/Recommendations have not been computed for this customer yet/)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows the API's error message in an alert", async () => {
    stubApi({ status: 500, body: { error: "internal_error", message: "the server could not read recommendations" } });
    render(<RecommendationsPage customerId={CUSTOMER} role="officer" />);
    expect(await screen.findByRole("alert")).toHaveTextContent("the server could not read recommendations");
  });

  it("renders six product cards, eligible first, with the offer in ₹ and %", async () => {
    const fetchMock = stubApi({ body: recommendations });
    render(<RecommendationsPage customerId={CUSTOMER} role="officer" />);
    expect(await screen.findByText("Working Capital Loan of ₹3,91,000 recommended first")).toBeInTheDocument();
    expect(fetchMock.mock.calls[0][0]).toBe(`/api/recommendations?customer_id=${CUSTOMER}`);
    const cards = productRegions();
    expect(cards).toHaveLength(6);
    expect(within(cards[0]).getByRole("heading", { name: "Working Capital Loan" })).toBeInTheDocument();
    expect(within(cards[0]).getByText("Eligible")).toBeInTheDocument();
    expect(within(cards[0]).getByRole("button", { name: /^Amount: ₹3\.91 L/ })).toBeInTheDocument();
    expect(within(cards[0]).getByRole("button", { name: /^Annual rate: 11\.5%/ })).toBeInTheDocument();
    expect(within(cards[0]).getByRole("button", { name: /^Tenure: 12 months/ })).toBeInTheDocument();
    expect(within(cards[0]).getByRole("button", { name: /^EMI: ₹34,648\/month/ })).toBeInTheDocument();
    expect(within(cards[0]).getByText(/Monitoring consent \(AA purpose 104, PERIODIC\)/)).toBeInTheDocument();

    const last = cards[5];
    expect(within(last).getByRole("heading", { name: "MSME Emergency Credit" })).toBeInTheDocument();
    expect(within(last).getByText("Not eligible")).toBeInTheDocument();
    expect(within(within(last).getByRole("list", { name: "Reasons: MSME Emergency Credit" })).getByText(/No temporary dip/)).toBeInTheDocument();
    expect(within(last).queryByRole("button", { name: /^Amount/ })).not.toBeInTheDocument();
    // the overdraft is interest-only: its instalment is named for what it is
    const overdraft = cards.find((c) => within(c).queryByRole("heading", { name: "Overdraft" }));
    expect(within(overdraft).getByRole("button", { name: /^Monthly interest: ₹7,941\/month/ })).toBeInTheDocument();
  });

  it("explains the sizing on demand", async () => {
    stubApi({ body: recommendations });
    render(<RecommendationsPage customerId={CUSTOMER} role="officer" />);
    const summary = await screen.findByText("How Working Capital Loan was sized and checked");
    const details = summary.closest("details");
    expect(details.open).toBe(false);
    await userEvent.click(summary);
    expect(details.open).toBe(true);
    expect(within(details).getByRole("button", { name: /Cap: EMI capacity \(binding\)/ })).toBeInTheDocument();
    const rules = within(within(details).getByRole("list", { name: /Eligibility rules/ })).getAllByRole("listitem");
    expect(rules.length).toBe(12);
    expect(rules[4]).toHaveTextContent("Credit score 802 meets the minimum 650");
  });

  it("lists a not-assessed product last with what is missing", async () => {
    const doc = structuredClone(recommendations);
    const first = doc.products[0];
    first.status = "NOT_ASSESSED";
    first.eligible = false;
    first.reasons = ["Bureau report missing: worst DPD in 12 months cannot be judged"];
    doc.ranking = [...doc.ranking.slice(1), doc.ranking[0]];
    stubApi({ body: doc });
    render(<RecommendationsPage customerId={CUSTOMER} role="officer" />);
    await screen.findByText(/recommended first/);
    const cards = productRegions();
    expect(within(cards[5]).getByRole("heading", { name: "Working Capital Loan" })).toBeInTheDocument();
    expect(within(cards[5]).getByText("Not assessed")).toBeInTheDocument();
    expect(within(cards[5]).getByText("Why it could not be assessed")).toBeInTheDocument();
    expect(within(cards[5]).getByText(/Bureau report missing/)).toBeInTheDocument();
  });

  it("survives a document with missing fields", async () => {
    stubApi({ body: { customer_id: CUSTOMER, products: [{ id: "x", name: "Mystery product", status: "ELIGIBLE" }, null] } });
    render(<RecommendationsPage customerId={CUSTOMER} role="officer" />);
    const heading = await screen.findByRole("heading", { name: "Mystery product" });
    expect(within(heading.closest("section")).getByRole("button", { name: /^Amount: —/ })).toBeDisabled();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("orders products by status, then ranking", () => {
    const order = orderProducts({
      products: [{ id: "a", status: "NOT_ELIGIBLE", rank: 1 }, { id: "b", status: "ELIGIBLE", rank: 2 }, { id: "c", status: "NOT_ASSESSED" }],
    });
    expect(order.map((p) => p.id)).toEqual(["b", "a", "c"]);
    expect(orderProducts(null)).toEqual([]);
  });
});
