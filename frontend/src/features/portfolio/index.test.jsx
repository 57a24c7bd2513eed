import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { jsonResponse, pending, stubFetch } from "../../test/fetch-stub.js";
import portfolio from "./__fixtures__/portfolio.json";
import alertUpdate from "./__fixtures__/risk-update-alert.json";
import plainUpdate from "./__fixtures__/risk-update.json";
import riskHistory from "./__fixtures__/risk-history.json";

// Only the socket.io client library is replaced: lib/socket.js and live.js run as they are, against a fake
// connection on which a test plays the server (acks, risk_update events).
const sockets = [];
vi.mock("socket.io-client", () => ({
  io: vi.fn(() => {
    const handlers = {};
    const socket = {
      connected: true, emitted: [],
      on: (event, fn) => { (handlers[event] ||= []).push(fn); },
      off: (event, fn) => { handlers[event] = (handlers[event] || []).filter((h) => h !== fn); },
      emit: (...args) => socket.emitted.push(args),
      fire: (event, payload) => (handlers[event] || []).forEach((fn) => fn(payload)),
      listeners: (event) => handlers[event] || [],
      removeAllListeners: () => Object.keys(handlers).forEach((k) => delete handlers[k]),
      disconnect: vi.fn(() => { socket.connected = false; }),
    };
    sockets.push(socket);
    return socket;
  }),
}));

const { default: PortfolioPage } = await import("./index.jsx");
const { closeSocket } = await import("../../lib/socket.js");
const { saveSession } = await import("../../lib/session.js");

const socket = () => sockets.at(-1);
const joins = () => socket().emitted.filter(([event]) => event === "join_portfolio");
const ack = (body) => act(() => joins().at(-1)[2](body));
const push = (payload) => act(() => socket().fire("risk_update", payload));
const rowOf = (loanId) => document.querySelector(`tr[data-loan-id="${loanId}"]`);
const loansTable = () => within(screen.getByRole("table", { name: "Monitored loans" }));
const header = (name) => loansTable().getByRole("columnheader", { name });
const loanIds = () => [...document.querySelectorAll("tr[data-loan-id]")].map((tr) => tr.dataset.loanId);

beforeEach(() => {
  closeSocket();
  sockets.length = 0;
  saveSession({ token: "analyst-token", role: "analyst" });
});
afterEach(() => vi.unstubAllGlobals());

function stubPortfolio(extra = {}) {
  return stubFetch({ "/api/portfolio": portfolio, ...extra });
}

describe("Portfolio Monitor", () => {
  it("lists the monitored loans, says who is listed, and joins the live feed", async () => {
    const fetchMock = stubPortfolio();
    render(<PortfolioPage role="analyst" />);
    expect(screen.getByRole("status")).toHaveTextContent("Loading the portfolio");
    expect(await screen.findByText(/purpose 104/)).toBeInTheDocument();
    const url = new URL(fetchMock.mock.calls[0][0], "http://localhost");
    expect(url.pathname).toBe("/api/portfolio");
    expect(url.searchParams.get("since")).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\+05:30$/);
    // PD, highest first; the two loans of the same PD by loan id
    expect(loanIds()).toEqual(["OC448258693547", "OC468143342677", "OC724870178882", "OC923307614132"]);
    const first = within(rowOf(portfolio.loans[0].loan_id));
    expect(first.getByText(portfolio.loans[0].customer_id)).toBeInTheDocument();
    expect(first.getByText("67.55%")).toBeInTheDocument();
    expect(first.getByText("HIGH")).toBeInTheDocument();
    expect(first.getByText("None yet (booking score)")).toBeInTheDocument();
    expect(within(rowOf("OC468143342677")).getByText("Paid")).toBeInTheDocument();
    expect(header("PD")).toHaveAttribute("aria-sort", "descending");
    expect(joins()).toHaveLength(1);
    expect(screen.getByTestId("live-status")).toHaveTextContent("Connecting");
    ack({ ok: true, room: "portfolio" });
    expect(screen.getByTestId("live-status")).toHaveTextContent("Live");
    expect(screen.getByText("No band crossings today.")).toBeInTheDocument();
    expect(screen.getByText("No loan's PD has moved today.")).toBeInTheDocument();
    // the summary counts what the table lists: 4 loans, 3 distinct borrowers (one holds two loans)
    expect(screen.getByText("Loans monitored").closest("div")).toHaveTextContent(/^Loans monitored4 loans of 3 borrowers$/);
  });

  it("applies a risk_update without fetching again: PD, band, change today, movers, distribution and alert", async () => {
    const fetchMock = stubPortfolio();
    render(<PortfolioPage role="analyst" />);
    await screen.findByText(/purpose 104/);
    ack({ ok: true });
    const loan = alertUpdate.loan_id;
    expect(within(rowOf(loan)).getByText("LOW")).toBeInTheDocument();
    expect(screen.getByTestId("pd-movement")).toHaveTextContent("0 loans up");
    push(alertUpdate);
    const row = within(rowOf(loan));
    expect(row.getByText("70.66%")).toBeInTheDocument();
    expect(row.getByText("HIGH")).toBeInTheDocument();
    expect(row.getByText("+70.23 pp")).toHaveClass("pf-up");
    expect(row.getByText("92")).toBeInTheDocument(); // DPD
    expect(rowOf(loan)).toHaveClass("pf-live");
    expect(loanIds()[0]).toBe(loan); // now the riskiest: the sort follows the live PD
    const alerts = screen.getByRole("list", { name: "Alerts today" });
    expect(within(alerts).getByText(loan)).toBeInTheDocument();
    expect(within(alerts).getByText("Worsened")).toBeInTheDocument();
    expect(within(alerts).getByRole("list", { name: `Why ${loan} moved` })).toHaveTextContent(/Days past due now .* went from 0 to 92/);
    expect(within(screen.getByRole("list", { name: "Top movers today" })).getByText(loan)).toBeInTheDocument();
    expect(screen.getByTestId("pd-movement")).toHaveTextContent("1 loan up");
    expect(screen.getByTestId("pd-movement")).toHaveTextContent("1 move into a riskier band");
    expect(screen.getByTestId("live-status")).toHaveTextContent("1 update received");
    expect(fetchMock.mock.calls.filter(([u]) => String(u).includes("/api/portfolio?"))).toHaveLength(1);
  });

  it("keeps an update that arrives while the portfolio is loading and applies it to the answer", async () => {
    let answer;
    stubPortfolio({ "/api/portfolio": () => new Promise((resolve) => { answer = () => resolve(jsonResponse(200, portfolio)); }) });
    render(<PortfolioPage role="analyst" />);
    await waitFor(() => expect(joins()).toHaveLength(1));
    push(alertUpdate);
    await act(async () => answer());
    expect(await within(rowOf(alertUpdate.loan_id)).findByText("70.66%")).toBeInTheDocument();
    expect(screen.getByRole("list", { name: "Alerts today" })).toHaveTextContent(alertUpdate.loan_id);
  });

  it("sorts by any column and says so with aria-sort", async () => {
    stubPortfolio();
    const user = userEvent.setup();
    render(<PortfolioPage role="analyst" />);
    await screen.findByText(/purpose 104/);
    await user.click(loansTable().getByRole("button", { name: "Loan ID" }));
    expect(header("Loan ID")).toHaveAttribute("aria-sort", "ascending");
    expect(header("PD")).not.toHaveAttribute("aria-sort");
    expect(loanIds()).toEqual(portfolio.loans.map((r) => r.loan_id).sort());
    await user.click(loansTable().getByRole("button", { name: "Loan ID" }));
    expect(loanIds()).toEqual(portfolio.loans.map((r) => r.loan_id).sort().reverse());
    await user.click(loansTable().getByRole("button", { name: "Band" }));
    expect(header("Band")).toHaveAttribute("aria-sort", "descending");
    expect(within(rowOf(loanIds().at(-1))).getByText("LOW")).toBeInTheDocument();
  });

  it("shows a clicked loan's PD history and fetches it again when that loan is re-scored", async () => {
    const loan = plainUpdate.loan_id;
    const fetchMock = stubPortfolio({ [`/api/loans/${loan}/risk-history`]: riskHistory });
    const user = userEvent.setup();
    render(<PortfolioPage role="analyst" />);
    await screen.findByText(/purpose 104/);
    expect(screen.getByText(/Click a loan in the table/)).toBeInTheDocument();
    await user.click(within(rowOf(loan)).getByText("HIGH")); // anywhere on the row
    expect(await screen.findByRole("img", { name: new RegExp(`^PD history of ${loan}. 3 scores`) })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: `PD history · ${loan}` })).toBeInTheDocument();
    const scores = within(screen.getByRole("table", { name: /Scores of/ })).getAllByRole("row").slice(1);
    expect(scores).toHaveLength(3);
    expect(scores[0]).toHaveTextContent("Late");
    expect(scores[2]).toHaveTextContent("Booking score");
    expect(within(rowOf(loan)).getByRole("button", { name: `${loan}: show PD history` })).toHaveAttribute("aria-pressed", "true");
    const historyCalls = () => fetchMock.mock.calls.filter(([u]) => String(u).includes("risk-history")).length;
    expect(historyCalls()).toBe(1);
    push(plainUpdate);
    await waitFor(() => expect(historyCalls()).toBe(2));
    expect(screen.getByRole("img", { name: /PD history of/ })).toBeInTheDocument(); // kept on screen meanwhile
  });

  it("says when live updates are refused, and leaves the feed on unmount", async () => {
    stubPortfolio();
    const { unmount } = render(<PortfolioPage role="analyst" />);
    await screen.findByText(/purpose 104/);
    ack({ ok: false, error: "forbidden", message: "watching the portfolio needs the analyst role" });
    expect(screen.getByText("Live updates are off", { selector: ".banner-title" })).toBeInTheDocument();
    expect(screen.getByText(/watching the portfolio needs the analyst role/)).toBeInTheDocument();
    expect(socket().listeners("risk_update")).toHaveLength(1);
    unmount();
    expect(socket().emitted.at(-1)).toEqual(["leave_portfolio", {}]);
    expect(socket().listeners("risk_update")).toHaveLength(0);
  });

  it("shows the API's error with a retry", async () => {
    stubFetch({ "/api/portfolio": { status: 403, body: { error: "forbidden", message: "this needs the analyst role" } } });
    render(<PortfolioPage role="analyst" />);
    expect(await screen.findByRole("alert")).toHaveTextContent("this needs the analyst role");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  it("stays in its loading state while the portfolio loads", () => {
    stubFetch({ "/api/portfolio": () => pending() });
    render(<PortfolioPage role="analyst" />);
    expect(screen.getByRole("status")).toHaveTextContent("Loading the portfolio");
  });
});

describe("the Portfolio Monitor tab", () => {
  it("is shown to analysts and admins, never to loan officers, and needs no customer", async () => {
    const { visibleTabs } = await import("../../app/tabs.js");
    const ids = (role) => visibleTabs(role).map((t) => t.id);
    expect(ids("officer")).not.toContain("portfolio");
    expect(ids("analyst")).toContain("portfolio");
    expect(ids("admin")).toContain("portfolio");
    const tab = visibleTabs("analyst").find((t) => t.id === "portfolio");
    expect(tab).toMatchObject({ label: "Portfolio Monitor", needsCustomer: false });
  });
});
