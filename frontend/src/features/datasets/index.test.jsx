import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import DatasetsPage from "./index.jsx";
import { cellText, constantFields, recordColumns } from "./api.js";
import raw from "./__fixtures__/raw-transactions.json";
import rawUnparseable from "./__fixtures__/raw-unparseable.json";
import clean from "./__fixtures__/clean-transactions.json";
import quarantine from "./__fixtures__/quarantine-transactions.json";
import quarantineEmpty from "./__fixtures__/quarantine-empty.json";
import consentError from "./__fixtures__/consent-error.json";

function json(body, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** Stub `fetch` with a function of (path, query) returning `{status, body}` or a promise of a Response. */
function stubApi(answer) {
  const fetchMock = vi.fn((url) => {
    const [path, query = ""] = String(url).split("?");
    const result = answer(path, new URLSearchParams(query));
    if (result instanceof Promise) return result;
    return Promise.resolve(json(result.body, result.status ?? 200));
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

const FIXTURES = { raw, clean, quarantine };
const CUSTOMER = "CUST_MSM_00006";
const region = (name) => screen.getByRole("region", { name });

afterEach(() => vi.unstubAllGlobals());

describe("Dataset Viewer", () => {
  it("shows a loading status in each layer", () => {
    stubApi(() => new Promise(() => {}));
    render(<DatasetsPage customerId={CUSTOMER} role="analyst" />);
    expect(screen.getAllByRole("status")).toHaveLength(3);
  });

  it("shows raw, clean and quarantine records of a source side by side, with reasons and the raw line", async () => {
    const fetchMock = stubApi((path) => ({ body: FIXTURES[path.split("/")[3]] }));
    render(<DatasetsPage customerId={CUSTOMER} role="analyst" />);
    expect(await screen.findByRole("region", { name: /^Raw · 3,005 records/ })).toBeInTheDocument();
    const rawPanel = region(/^Raw ·/);
    // raw values exactly as delivered: the messy balance string is visible
    expect(within(rawPanel).getByText("Rs. 2,91,835.17")).toBeInTheDocument();
    // the account reference is the same on every row: said once, not repeated in a column
    expect(within(rawPanel).getByText("Same on every record of this page").nextElementSibling).toHaveTextContent(
      `linkedAccRef = ${raw.items[0].linkedAccRef}`);
    expect(within(rawPanel).queryByRole("columnheader", { name: "linkedAccRef" })).not.toBeInTheDocument();
    const cleanPanel = await screen.findByRole("region", { name: /^Clean · 2,931 records/ });
    expect(within(cleanPanel).getByRole("table", { name: "Clean Transactions records" })).toBeInTheDocument();
    expect(within(cleanPanel).getByText("291835.17")).toBeInTheDocument();
    const q = await screen.findByRole("region", { name: /^Quarantine · 15 records/ });
    const first = quarantine.items[0];
    expect(within(q).getByText(`Raw line ${first.line}`)).toBeInTheDocument();
    expect(within(q).getByText(first.reasons[0].code)).toBeInTheDocument();
    expect(within(q).getByText(first.reasons[0].message)).toBeInTheDocument();
    expect(within(q).getByText(first.raw)).toBeInTheDocument();
    expect(within(q).getAllByText("malformed_json").length).toBeGreaterThan(0);
    const urls = fetchMock.mock.calls.map(([url]) => url);
    expect(urls).toContain(`/api/datasets/quarantine/transactions?customer_id=${CUSTOMER}&limit=10&offset=0`);
  });

  it("pages one layer without touching the others", async () => {
    const fetchMock = stubApi((path, query) => ({ body: { ...FIXTURES[path.split("/")[3]], offset: Number(query.get("offset")), limit: Number(query.get("limit")) } }));
    const user = userEvent.setup();
    render(<DatasetsPage customerId={CUSTOMER} role="analyst" />);
    const pager = await screen.findByRole("navigation", { name: "Raw Transactions pages" });
    expect(pager).toHaveTextContent("1–10 of 3,005");
    await user.click(within(pager).getByRole("button", { name: "Next page" }));
    await waitFor(() => expect(screen.getByRole("navigation", { name: "Raw Transactions pages" })).toHaveTextContent("11–20 of 3,005"));
    expect(screen.getByRole("navigation", { name: "Clean Transactions pages" })).toHaveTextContent("1–10 of 2,931");
    const rawCalls = fetchMock.mock.calls.map(([url]) => url).filter((u) => u.startsWith("/api/datasets/raw/"));
    expect(rawCalls.at(-1)).toContain("offset=10");
  });

  it("switches source and page size", async () => {
    const fetchMock = stubApi((path) => ({ body: path.includes("/quarantine/") ? quarantineEmpty : { ...quarantineEmpty, layer: path.split("/")[3] } }));
    const user = userEvent.setup();
    render(<DatasetsPage customerId={CUSTOMER} role="analyst" />);
    await user.selectOptions(screen.getByLabelText("Source"), "accounts");
    await user.selectOptions(screen.getByLabelText("Records per page"), "25");
    expect(await screen.findByText("Nothing was quarantined in Accounts.")).toBeInTheDocument();
    const urls = fetchMock.mock.calls.map(([url]) => url);
    expect(urls).toContain(`/api/datasets/clean/accounts?customer_id=${CUSTOMER}&limit=25&offset=0`);
  });

  it("shows lines that are not JSON as their text", async () => {
    stubApi((path) => ({ body: path.includes("/raw/") ? rawUnparseable : quarantineEmpty }));
    render(<DatasetsPage customerId={CUSTOMER} role="analyst" />);
    const rawPanel = await screen.findByRole("region", { name: /^Raw · 3,005/ });
    expect(within(rawPanel).getByRole("columnheader", { name: "Unparseable line" })).toBeInTheDocument();
    const text = rawUnparseable.items.find((i) => i._unparseable)._unparseable;
    expect(within(rawPanel).getByText(text)).toHaveClass("cell-unparseable");
  });

  it("shows the API's consent error in each layer", async () => {
    stubApi(() => ({ status: 403, body: consentError }));
    render(<DatasetsPage customerId="CUST_MSM_00010" role="analyst" />);
    await waitFor(() => expect(screen.getAllByRole("alert")).toHaveLength(3));
    expect(screen.getAllByRole("alert")[0]).toHaveTextContent(consentError.message);
  });
});

describe("dataset helpers", () => {
  it("lists every field in first-seen order and summarises nested values", () => {
    expect(recordColumns([{ a: 1, b: 2 }, { c: 3, a: 4 }])).toEqual(["a", "b", "c"]);
    expect(cellText([1, 2])).toBe("[2 items]");
    expect(cellText({ x: 1 })).toBe("{1 field}");
    expect(cellText(null)).toBe("null");
    expect(cellText("Rs. 2,91,835.17")).toBe("Rs. 2,91,835.17");
    expect(constantFields([{ a: 1, b: 2, n: [1] }, { a: 1, b: 3, n: [1] }], ["a", "b", "n"])).toEqual(["a"]);
    expect(constantFields([{ a: 1 }], ["a"])).toEqual([]);
    expect(constantFields([{ a: 1 }, { _unparseable: "x" }], ["a", "_unparseable"])).toEqual([]);
  });
});
