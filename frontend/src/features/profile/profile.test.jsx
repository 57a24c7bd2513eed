import { beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import ProfilePage from "./index.jsx";
import { dpdClass } from "./components/dpd-grid.jsx";
import { saveSession } from "../../lib/session.js";
import { pending, stubFetch } from "../../test/fetch-stub.js";
import profile from "./__fixtures__/profile-baseline.json";
import anomalies from "./__fixtures__/anomalies-fraud.json";
import transactions from "./__fixtures__/transactions-page.json";

const ID = "CUST_MSM_00001";

function routes(extra = {}) {
  return {
    "/api/customer-profile": profile,
    "/api/anomalies": anomalies,
    "/api/transactions": (url) => ({
      ...transactions,
      total: url.searchParams.get("q") ? 1 : 11637,
      items: url.searchParams.get("q") ? transactions.items.slice(0, 1) : transactions.items,
    }),
    ...extra,
  };
}

beforeEach(() => saveSession({ token: "officer-token", role: "officer" }));

describe("Customer Profile", () => {
  it("shows a loading state", () => {
    stubFetch({ "/api/customer-profile": () => pending() });
    render(<ProfilePage customerId={ID} />);
    expect(screen.getByRole("status")).toHaveTextContent("Loading the profile…");
  });

  it("shows the API's error", async () => {
    stubFetch({ "/api/customer-profile": { status: 404, body: { error: "customer_not_found", message: "customer CUST_MSM_00001 not found" } } });
    render(<ProfilePage customerId={ID} />);
    expect(await screen.findByRole("alert")).toHaveTextContent("customer CUST_MSM_00001 not found");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  it("has eleven sections and opens on the overview", async () => {
    stubFetch(routes());
    render(<ProfilePage customerId={ID} />);
    const list = await screen.findByRole("tablist", { name: "Profile sections" });
    expect(within(list).getAllByRole("tab").map((t) => t.textContent)).toEqual([
      "Overview", "Transactions", "GST Returns", "Credit", "Earnings & Spendings", "Anomalies", "Signals", "Mutual Funds", "Insurance",
      "OCEN", "ONDC",
    ]);
    expect(screen.getByText("Royal Murugan Wood Works")).toBeInTheDocument();
    expect(screen.getByText("XXXXXXXXX3481")).toBeInTheDocument();
    expect(screen.getByText("₹4,78,561")).toBeInTheDocument(); // a table: whole rupees, no paise
  });

  it("pages, sorts and searches transactions on the server", async () => {
    const fetchMock = stubFetch(routes());
    const user = userEvent.setup();
    render(<ProfilePage customerId={ID} />);
    await user.click(await screen.findByRole("tab", { name: "Transactions" }));
    expect(await screen.findByText(/1–25 of 11,637/)).toBeInTheDocument();
    // the ledger keeps paise (the exact money), unlike the dashboard's other tables
    expect(screen.getAllByText("₹4,78,561.03").length).toBeGreaterThan(0);
    await user.click(screen.getByRole("button", { name: "Next page" }));
    await waitFor(() => expect(fetchMock.mock.calls.some(([u]) => String(u).includes("offset=25"))).toBe(true));
    await user.click(screen.getByRole("button", { name: /Amount/ }));
    await waitFor(() => expect(fetchMock.mock.calls.some(([u]) => /sort=amount&order=asc&limit=25&offset=0/.test(String(u)))).toBe(true));
    await user.type(screen.getByRole("searchbox", { name: "Search transactions" }), "upi{Enter}");
    await waitFor(() => expect(fetchMock.mock.calls.some(([u]) => String(u).includes("q=upi"))).toBe(true));
    expect(screen.getAllByText(transactions.items[0].txnId).length).toBeGreaterThan(0);
  });

  it("books each bounce to its lender with the evidence, and opens the lines behind it", async () => {
    const bounce = {
      direction: "inward", instrument: "NACH", date: "2026-06-03", amount: 18400, counterparty: "EPIMONEY PVT LTD FLEXILOANS",
      reason: "INSUFFICIENT FUNDS", attribution: "mandate_reference", mandate_reference: "UTIB7000000000000222",
      txn_ids: ["S1000001"], narration: "NACH RTN CHRG INSUFFICIENT FUNDS UTIB7000000000000222",
    };
    const unknown = { ...bounce, date: "2026-07-03", counterparty: null, attribution: "unattributed", mandate_reference: null, amount: null, txn_ids: ["S1000002"] };
    const withBounces = { ...profile, transactions: { ...profile.transactions, bounces: [bounce, unknown] } };
    const fetchMock = stubFetch(routes({ "/api/customer-profile": withBounces }));
    const user = userEvent.setup();
    render(<ProfilePage customerId={ID} />);
    await user.click(await screen.findByRole("tab", { name: "Transactions" }));
    const card = (await screen.findByRole("heading", { name: "Bounces" })).closest("section") || document.body;
    const rows = within(card).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent("EPIMONEY PVT LTD FLEXILOANS");
    expect(rows[1]).toHaveTextContent("Mandate reference (UMRN)");
    expect(rows[1]).toHaveTextContent("UTIB7000000000000222");
    expect(rows[2]).toHaveTextContent("Not attributable");
    await user.click(within(card).getByRole("button", { name: "Show transaction S1000001 in Transactions" }));
    await waitFor(() => expect(fetchMock.mock.calls.some(([u]) => String(u).includes("q=S1000001"))).toBe(true));
    expect(screen.getByRole("searchbox", { name: "Search transactions" })).toHaveValue("S1000001");
  });

  it("lists window-dressing cases with their lines, and opens them", async () => {
    const metric = (items) => ({ value: items.length, unit: "count", formula: "count(cases)", inputs: {}, explanation: "", items });
    const withdrawn = {
      date: "2026-03-07", amount: 250000, credit_txn_id: "S2000001", credit_txn_ids: ["S2000001"],
      related_txn_ids: ["S2000005", "S2000009"],
      explanation: "INR 2,50,000 credited on 2026-03-07 (b2b_collection, APEX TRADELINKS); INR 2,25,000 out by 2026-03-09 in 2 debits to non-routine payees or cash.",
    };
    const rescued = {
      date: "2026-04-10", amount: 25000, credit_txn_id: "S2000020", credit_txn_ids: ["S2000020"], related_txn_ids: ["S2000021"],
      explanation: "INR 25,000 EMI on 2026-04-10: INR 5,000 available before INR 25,000 was paid in (cash_deposit); without it only INR 5,000.",
    };
    const dressing = {
      large_credit_withdrawn: metric([withdrawn]), cash_before_emi: metric([rescued]), credits_bunched: metric([]),
      summary: metric([withdrawn, rescued]),
    };
    const dressed = { ...profile, transactions: { ...profile.transactions, window_dressing: dressing } };
    const fetchMock = stubFetch(routes({ "/api/customer-profile": dressed }));
    const user = userEvent.setup();
    render(<ProfilePage customerId={ID} />);
    await user.click(await screen.findByRole("tab", { name: "Transactions" }));
    const card = (await screen.findByRole("heading", { name: "Window dressing" })).closest("section") || document.body;
    expect(within(card).getByText("Large credit withdrawn: 1 · Cash before EMI: 1 · Credits bunched: 0")).toBeInTheDocument();
    const rows = within(card).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent("Large credit withdrawn");
    expect(rows[1]).toHaveTextContent("₹2,50,000");
    expect(rows[1]).toHaveTextContent("APEX TRADELINKS");
    expect(within(rows[1]).getAllByRole("button").map((b) => b.textContent)).toEqual(["S2000001", "S2000005", "S2000009"]);
    expect(rows[2]).toHaveTextContent("Cash before EMI");
    await user.click(within(card).getByRole("button", { name: "Show transaction S2000021 in Transactions" }));
    await waitFor(() => expect(fetchMock.mock.calls.some(([u]) => String(u).includes("q=S2000021"))).toBe(true));
    expect(screen.getByRole("searchbox", { name: "Search transactions" })).toHaveValue("S2000021");
  });

  it("says so when no window dressing was found", async () => {
    const none = { value: 0, unit: "count", formula: "", inputs: {}, explanation: "", items: [] };
    const clean = { ...profile, transactions: { ...profile.transactions, window_dressing: {
      large_credit_withdrawn: none, cash_before_emi: none, credits_bunched: none, summary: none } } };
    stubFetch(routes({ "/api/customer-profile": clean }));
    const user = userEvent.setup();
    render(<ProfilePage customerId={ID} />);
    await user.click(await screen.findByRole("tab", { name: "Transactions" }));
    expect(await screen.findByText("No window dressing found in the statement.")).toBeInTheDocument();
  });

  it("shows loan stacking with each new loan's enquiry and bank disbursal", async () => {
    const loanStacking = {
      value: true, unit: "flag", formula: "distinct lenders of tradelines opened within any 90 days >= 3",
      inputs: { lenders: ["INDIFI", "LENDINGKART", "PROTIUM"] }, record_ids: ["A1", "A2", "A3", "D1"],
      items: [
        { lender: "LENDINGKART", accountNumber: "A1", dateOpened: "2026-07-02", sanctionedAmount: 500000, enquiry_date: "2026-06-20", disbursal_txn_id: "D1" },
        { lender: "INDIFI", accountNumber: "A2", dateOpened: "2026-07-20", sanctionedAmount: 300000, enquiry_date: null, disbursal_txn_id: null },
        { lender: "PROTIUM", accountNumber: "A3", dateOpened: "2026-08-25", sanctionedAmount: 800000, enquiry_date: "2026-08-20", disbursal_txn_id: null },
      ],
    };
    const stacked = { ...profile, credit: { ...profile.credit, loan_stacking: loanStacking } };
    stubFetch(routes({ "/api/customer-profile": stacked }));
    const user = userEvent.setup();
    render(<ProfilePage customerId={ID} />);
    await user.click(await screen.findByRole("tab", { name: "Credit" }));
    expect(await screen.findByText("Stacking: 3 new loans from 3 lenders within 90 days")).toBeInTheDocument();
    const table = screen.getByRole("table", { name: "New loans in the window" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(4);
    expect(within(table).getByText("D1")).toBeInTheDocument();
    expect(within(table).getAllByText("not seen")).toHaveLength(2);
    expect(within(table).getByText("none found")).toBeInTheDocument();
  });

  it("lists every signal with its status and opens a case's lines in Transactions", async () => {
    const signals = {
      metrics: {
        round_tripping: { value: true, unit: "flag", formula: "multi-hop chains >= 1", flagged: true, inputs: {} },
        multi_hop_circular: {
          value: 1, unit: "count", formula: "alternating lines through rarely seen parties", flagged: true,
          explanation: "1 round trip through other parties",
          items: [{ txn_ids: ["H1", "H2"], legs: [
            { txn_id: "H1", type: "DEBIT", counterparty: "SKYLINE IMPEX", amount: 300000, date: "2026-03-02" },
            { txn_id: "H2", type: "CREDIT", counterparty: "GOLDEN ARC TRADING", amount: 297000, date: "2026-03-04" }] }],
        },
        self_credits: { value: 20000, unit: "INR", formula: "sum of own money", flagged: false, items: [] },
      },
      flagged: ["multi_hop_circular", "round_tripping"],
    };
    stubFetch(routes({ "/api/customer-profile": { ...profile, signals } }));
    const user = userEvent.setup();
    render(<ProfilePage customerId={ID} />);
    await user.click(await screen.findByRole("tab", { name: "Signals" }));
    const summary = await screen.findByRole("table", { name: "Signals summary" });
    expect(within(summary).getAllByRole("row")).toHaveLength(4);
    expect(within(summary).getAllByText("Flagged")).toHaveLength(2);
    expect(within(summary).getByText("Clear")).toBeInTheDocument();
    const cases = screen.getByRole("table", { name: "Multi-hop round trips: cases" });
    expect(within(cases).getByText(/out to SKYLINE IMPEX .* in from GOLDEN ARC TRADING/)).toBeInTheDocument();
    await user.click(within(cases).getByRole("button", { name: "Show transaction H2 in Transactions" }));
    expect(await screen.findByRole("tab", { name: "Transactions", selected: true })).toBeInTheDocument();
  });

  it("lists the months claiming ITC above GSTR-2B with claimed, available and excess", async () => {
    const itcCheck = {
      value: 2, unit: "months", formula: "per month: excess = claimed - available", explanation: "2 of 35 months claim ITC above GSTR-2B",
      inputs: {
        months: ["2025-03", "2025-07"], claimed: [330000, 412500.5], available: [250000, 300000], excess: [80000, 112500.5],
        excess_ratio: [0.32, 0.375], record_ids: ["G:GSTR3B:032025", "G:GSTR2B:032025", "G:GSTR3B:072025", "G:GSTR2B:072025"],
        months_assessed: 35, min_excess_ratio: 0.1, min_excess_inr: 10000,
      },
    };
    stubFetch(routes({ "/api/customer-profile": { ...profile, gst: { ...profile.gst, itc_check: itcCheck } } }));
    const user = userEvent.setup();
    render(<ProfilePage customerId={ID} />);
    await user.click(await screen.findByRole("tab", { name: "GST Returns" }));
    const card = (await screen.findByRole("heading", { name: "ITC claimed vs available (GSTR-2B)" })).closest("section") || document.body;
    expect(within(card).getByText("2 of 35 months claim ITC above GSTR-2B")).toBeInTheDocument();
    const table = within(card).getByRole("table", { name: "Months claiming ITC above GSTR-2B" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent("Mar 2025");
    expect(rows[1]).toHaveTextContent("₹3,30,000");
    expect(rows[1]).toHaveTextContent("₹2,50,000");
    expect(rows[1]).toHaveTextContent("₹80,000");
    expect(rows[1]).toHaveTextContent("32.0%");
    expect(rows[2]).toHaveTextContent("₹4,12,501");
  });

  it("says why ITC was not checked when there is no GSTR-2B, and passes a clean check", async () => {
    const noTwoB = { value: null, unit: "months", formula: "f", explanation: "e", reason: "no GSTR-2B delivered", inputs: {} };
    stubFetch(routes({ "/api/customer-profile": { ...profile, gst: { ...profile.gst, itc_check: noTwoB } } }));
    const user = userEvent.setup();
    const { unmount } = render(<ProfilePage customerId={ID} />);
    await user.click(await screen.findByRole("tab", { name: "GST Returns" }));
    expect(await screen.findByText("Not checked: no GSTR-2B delivered.")).toBeInTheDocument();
    unmount();
    const clean = { value: 0, unit: "months", formula: "f", explanation: "e",
      inputs: { months: [], months_assessed: 35, min_excess_ratio: 0.1, min_excess_inr: 10000 } };
    stubFetch(routes({ "/api/customer-profile": { ...profile, gst: { ...profile.gst, itc_check: clean } } }));
    render(<ProfilePage customerId={ID} />);
    await user.click(await screen.findByRole("tab", { name: "GST Returns" }));
    expect(await screen.findByText("No month claims ITC more than 10% and ₹10,000 above GSTR-2B (35 months checked).")).toBeInTheDocument();
    expect(screen.queryByRole("table", { name: "Months claiming ITC above GSTR-2B" })).not.toBeInTheDocument();
  });

  it("shows GST turnover, filing punctuality with days late and the DPD grid", async () => {
    stubFetch(routes());
    const user = userEvent.setup();
    render(<ProfilePage customerId={ID} />);
    await user.click(await screen.findByRole("tab", { name: "GST Returns" }));
    expect(await screen.findByRole("figure", { name: "GST turnover by month" })).toBeInTheDocument();
    const filing = screen.getByRole("table", { name: "GSTR-3B filing punctuality" });
    expect(within(filing).getByRole("columnheader", { name: /Days late/ })).toBeInTheDocument();
    expect(within(filing).getByText("Dec 2024")).toBeInTheDocument(); // newest first

    await user.click(screen.getByRole("tab", { name: "Credit" }));
    const grid = await screen.findByRole("table", { name: "Days past due by month and tradeline" });
    expect(within(grid).getAllByRole("columnheader").length).toBe(profile.credit.tradelines.length + 1);
    expect(within(grid).getAllByText("000").length).toBeGreaterThan(0);
    expect(screen.getByRole("table", { name: "Bureau tradelines" })).toBeInTheDocument();
  });

  it("links a flagged transaction to Transactions filtered by its id", async () => {
    const fetchMock = stubFetch(routes());
    const user = userEvent.setup();
    render(<ProfilePage customerId={ID} />);
    await user.click(await screen.findByRole("tab", { name: "Anomalies" }));
    expect(await screen.findByRole("heading", { name: "Circular flows" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Machine-learning anomalies" })).toBeInTheDocument();
    const mlId = anomalies.ml.flagged[0].txnId;
    expect(screen.getAllByText(anomalies.ml.flagged[0].reasons[0]).length).toBeGreaterThan(0);
    await user.click(screen.getAllByRole("button", { name: `Show transaction ${mlId} in Transactions` })[0]);
    expect(screen.getByRole("tab", { name: "Transactions", selected: true })).toBeInTheDocument();
    expect(screen.getByRole("searchbox", { name: "Search transactions" })).toHaveValue(mlId);
    await waitFor(() => expect(fetchMock.mock.calls.some(([u]) => String(u).includes(`q=${mlId}`))).toBe(true));
  });

  it("shows empty sections for sources that were not delivered", async () => {
    stubFetch(routes({ "/api/customer-profile": { ...profile, mutual_funds: null, insurance: null, ocen: null, ondc: null, gst: { metrics: null, monthly: [] } } }));
    const user = userEvent.setup();
    render(<ProfilePage customerId={ID} />);
    for (const [tab, text] of [["Mutual Funds", "mutual fund"], ["Insurance", "insurance"], ["OCEN", "OCEN"], ["ONDC", "ONDC"], ["GST Returns", "GST"]]) {
      await user.click(await screen.findByRole("tab", { name: tab }));
      expect(screen.getByText(`No ${text} data for this customer: the source was not delivered or not analysed yet.`)).toBeInTheDocument();
    }
  });

  it("renders the holdings, OCEN and ONDC sections", async () => {
    stubFetch(routes());
    const user = userEvent.setup();
    render(<ProfilePage customerId={ID} />);
    await user.click(await screen.findByRole("tab", { name: "Mutual Funds" }));
    expect(screen.getByText("SBI Bluechip Fund - Direct Plan - Growth")).toBeInTheDocument();
    await user.click(screen.getByRole("tab", { name: "Insurance" }));
    expect(screen.getByText("LIC Tech Term")).toBeInTheDocument();
    await user.click(screen.getByRole("tab", { name: "OCEN" }));
    expect(screen.getByRole("table", { name: "OCEN loan applications" })).toBeInTheDocument();
    expect(screen.getByRole("table", { name: "Applications by state" })).toBeInTheDocument();
    await user.click(screen.getByRole("tab", { name: "ONDC" }));
    expect(screen.getByText("pincode.phonepe.com")).toBeInTheDocument();
    await user.click(screen.getByRole("tab", { name: "Earnings & Spendings" }));
    expect(screen.getByText("GUPTA WOOD WORKS")).toBeInTheDocument();
  });

  it("colours DPD cells by days past due", () => {
    expect(dpdClass({ code: "000", dpd: 0 })).toBe("dpd-0");
    expect(dpdClass({ code: "030", dpd: 30 })).toBe("dpd-30");
    expect(dpdClass({ code: "SUB", dpd: 90 })).toBe("dpd-90");
    expect(dpdClass({ code: "060", dpd: 60 })).toBe("dpd-60");
    expect(dpdClass({ code: "XXX", dpd: null })).toBe("dpd-na");
    expect(dpdClass(null)).toBe("dpd-na");
  });
});
