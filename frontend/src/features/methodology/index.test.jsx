import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import MethodologyPage from "./index.jsx";
import CalculationsPage from "./calculations.jsx";
import { listMetrics, searchMetrics } from "./api.js";
import { renderMarkdown } from "./markdown.js";
import analytics from "./__fixtures__/analytics.json";
import methodology from "./__fixtures__/methodology.md?raw";

function stubFetch(answer) {
  const fetchMock = vi.fn((url) => {
    const result = answer(String(url));
    if (result instanceof Promise) return result;
    const body = typeof result.body === "string" ? result.body : JSON.stringify(result.body);
    return Promise.resolve(new Response(body, { status: result.status ?? 200,
      headers: { "Content-Type": typeof result.body === "string" ? "text/markdown" : "application/json" } }));
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

afterEach(() => vi.unstubAllGlobals());

const CUSTOMER = "CUST_MSM_00006";

describe("Methodology", () => {
  it("shows a loading status", () => {
    stubFetch(() => new Promise(() => {}));
    render(<MethodologyPage role="officer" />);
    expect(screen.getByRole("status")).toHaveTextContent("Loading the methodology");
  });

  it("renders the Markdown document with its headings, formula and tables", async () => {
    const fetchMock = stubFetch(() => ({ body: methodology }));
    render(<MethodologyPage role="officer" />);
    expect(await screen.findByRole("heading", { level: 1, name: "Credit methodology" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 2, name: "The score" })).toHaveAttribute("id", "m-the-score");
    expect(screen.getByText(/score = min\( 300 \+ 600/)).toBeInTheDocument();
    expect(fetchMock.mock.calls[0][0]).toBe("/api/methodology");
  });

  it("shows the API's error", async () => {
    stubFetch(() => ({ status: 500, body: { error: "internal", message: "the methodology document is missing" } }));
    render(<MethodologyPage role="officer" />);
    expect(await screen.findByRole("alert")).toHaveTextContent("the methodology document is missing");
  });

  it("says so when the document is empty", async () => {
    stubFetch(() => ({ body: "   " }));
    render(<MethodologyPage role="officer" />);
    expect(await screen.findByText("The methodology document is empty.")).toBeInTheDocument();
  });

  it("shows raw HTML as text and drops unsafe links, with a table of contents", () => {
    const { html, headings } = renderMarkdown("# T\n\n## A\n\n## B\n\n## A\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](https://rbi.org.in)\n\n| a | b |\n|---|---|\n| 1 | 2 |");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain('href="#"');
    expect(html).toContain('href="https://rbi.org.in"');
    expect(html).toContain('<div class="md-table"><table>');
    expect(headings.map((h) => h.id)).toEqual(["m-t", "m-a", "m-b", "m-a-1"]);
  });
});

describe("Calculations", () => {
  it("shows a loading status", () => {
    stubFetch(() => new Promise(() => {}));
    render(<CalculationsPage customerId={CUSTOMER} role="officer" />);
    expect(screen.getByRole("status")).toHaveTextContent("Loading the analytics");
  });

  it("works the credit score through for the customer: value, unit, formula, inputs, explanation", async () => {
    const fetchMock = stubFetch(() => ({ body: analytics }));
    render(<CalculationsPage customerId={CUSTOMER} role="officer" />);
    const detail = await screen.findByRole("article", { name: "Score" });
    const score = analytics.credit_score.metrics.score;
    expect(within(detail).getByText(score.formula)).toBeInTheDocument();
    expect(within(detail).getByText("score (300-900)")).toBeInTheDocument();
    expect(within(detail).getByText(score.explanation)).toBeInTheDocument();
    expect(within(detail).getByRole("heading", { name: `Worked example for ${CUSTOMER}` })).toBeInTheDocument();
    const inputs = within(detail).getByRole("table", { name: "Inputs of Score" });
    expect(within(inputs).getByRole("rowheader", { name: "raw_score" }).closest("tr")).toHaveTextContent("721.2186");
    expect(within(inputs).getByRole("rowheader", { name: "cap" }).closest("tr")).toHaveTextContent("549");
    expect(within(detail).getByText("549", { selector: "strong" })).toBeInTheDocument();
    expect(fetchMock.mock.calls[0][0]).toBe(`/api/analytics?customer_id=${CUSTOMER}`);
  });

  it("finds a metric by search and shows it; a metric that could not be computed says why", async () => {
    stubFetch(() => ({ body: analytics }));
    const user = userEvent.setup();
    render(<CalculationsPage customerId={CUSTOMER} role="officer" />);
    await screen.findByRole("article", { name: "Score" });
    await user.type(screen.getByLabelText("Search metrics"), "foir");
    const expected = searchMetrics(listMetrics(analytics), "foir").length;
    expect(screen.getByText(new RegExp(`^${expected} of ${listMetrics(analytics).length} metrics`))).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "FOIR" }));
    const detail = screen.getByRole("article", { name: "FOIR" });
    expect(within(detail).getByText(analytics.transaction_summary.metrics.foir.formula)).toBeInTheDocument();
    await user.clear(screen.getByLabelText("Search metrics"));
    await user.type(screen.getByLabelText("Search metrics"), "largest eligible");
    await user.click(screen.getByRole("button", { name: "Largest eligible amount" }));
    expect(screen.getByRole("note")).toHaveTextContent("Not computed: no product is eligible");
    expect(within(screen.getByRole("article")).getByText("No inputs are recorded for this metric.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Search metrics"), " zzz");
    expect(screen.getByText("No metric matches “largest eligible zzz”.")).toBeInTheDocument();
  });

  it("shows long input lists shortened, with all the values one click away", async () => {
    stubFetch(() => ({ body: analytics }));
    const user = userEvent.setup();
    render(<CalculationsPage customerId={CUSTOMER} role="officer" />);
    await screen.findByRole("article", { name: "Score" });
    await user.click(screen.getByRole("button", { name: "ABB" }));
    const balances = analytics.transaction_summary.metrics.abb.inputs.balances;
    const detail = screen.getByRole("article", { name: "ABB" });
    const row = within(detail).getByRole("rowheader", { name: "balances" }).closest("tr");
    expect(within(row).getByText(`(${balances.length} values)`, { exact: false })).toBeInTheDocument();
    expect(row.querySelector(".input-all")).toHaveTextContent(balances.map((b) => b.toLocaleString("en-IN")).join(", ").slice(0, 20));
  });

  it("shows the API's consent error", async () => {
    stubFetch(() => ({ status: 403, body: { error: "consent_required", message: "consent 6d9d111c is REVOKED" } }));
    render(<CalculationsPage customerId="CUST_MSM_00010" role="officer" />);
    expect(await screen.findByRole("alert")).toHaveTextContent("consent 6d9d111c is REVOKED");
  });

  it("is empty when no document has metrics", async () => {
    stubFetch(() => ({ body: { customer_id: CUSTOMER, missing: [], overall_summary: { name: "overall_summary" } } }));
    render(<CalculationsPage customerId={CUSTOMER} role="officer" />);
    expect(await screen.findByText(/No metrics have been computed for this customer yet/)).toBeInTheDocument();
  });
});

describe("metric helpers", () => {
  it("lists every metric of every document and searches all words", () => {
    const items = listMetrics(analytics);
    expect(items.length).toBe(Object.values(analytics).filter((d) => d?.metrics).reduce((n, d) => n + Object.keys(d.metrics).length, 0));
    expect(items[0].id).toBe(`credit_score.${Object.keys(analytics.credit_score.metrics)[0]}`);
    expect(searchMetrics(items, "bureau points").map((i) => i.key)).toContain("bureau_history_points");
    expect(searchMetrics(items, "")).toBe(items);
  });
});
