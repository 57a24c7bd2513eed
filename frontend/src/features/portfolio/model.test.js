import { describe, expect, it } from "vitest";
import {
  DEFAULT_BANDS, PD_EDGES, alertKey, applyRiskUpdate, bandFor, binDistribution, dayMovement, formatPoints, historyPoints,
  nextSort, portfolioCounts, portfolioState, sortLoans, startOfTodayIST, topMovers,
} from "./model.js";
import portfolio from "./__fixtures__/portfolio.json";
import alertUpdate from "./__fixtures__/risk-update-alert.json";
import plainUpdate from "./__fixtures__/risk-update.json";
import riskHistory from "./__fixtures__/risk-history.json";

const ids = (rows) => rows.map((r) => r.loan_id);
const row = (loan_id, extra = {}) => ({ loan_id, customer_id: "CUST_FIX_00001", ...extra });

describe("startOfTodayIST", () => {
  it("is midnight in India, which starts at 18:30 UTC the day before", () => {
    expect(startOfTodayIST(new Date("2026-11-20T18:30:00Z"))).toBe("2026-11-21T00:00:00+05:30");
    expect(startOfTodayIST(new Date("2026-11-20T18:29:59Z"))).toBe("2026-11-20T00:00:00+05:30");
    expect(startOfTodayIST(new Date("2026-12-31T20:00:00Z"))).toBe("2027-01-01T00:00:00+05:30");
  });
});

describe("sortLoans", () => {
  const rows = [
    row("B", { pd: 0.2, band: "ELEVATED", customer_id: "CUST_AAA_00002", pd_change: -0.01, principal: 500000 }),
    row("A", { pd: 0.03, band: "LOW", customer_id: "CUST_AAA_00010", pd_change: 0.2, principal: "1200000" }),
    row("C", { pd: null, band: null, customer_id: "CUST_AAA_00001", pd_change: null, principal: null }),
    row("D", { pd: 0.2, band: "ELEVATED", customer_id: "CUST_AAA_00003", pd_change: 0, principal: 90000 }),
    row("E", { pd: 0.6, band: "HIGH", customer_id: "CUST_AAA_00004", pd_change: 0.5, principal: 100 }),
  ];

  it("sorts by PD either way with missing values last and ties by loan id", () => {
    expect(ids(sortLoans(rows, { key: "pd", order: "desc" }))).toEqual(["E", "B", "D", "A", "C"]);
    expect(ids(sortLoans(rows, { key: "pd", order: "asc" }))).toEqual(["A", "B", "D", "E", "C"]);
  });

  it("sorts bands in risk order, not alphabetically", () => {
    expect(ids(sortLoans(rows, { key: "band", order: "asc" }))).toEqual(["A", "B", "D", "E", "C"]);
    expect(ids(sortLoans(rows, { key: "band", order: "desc" }))).toEqual(["E", "B", "D", "A", "C"]);
  });

  it("sorts the change today, amounts given as strings, and customer ids naturally", () => {
    expect(ids(sortLoans(rows, { key: "pd_change", order: "desc" }))).toEqual(["E", "A", "D", "B", "C"]);
    expect(ids(sortLoans(rows, { key: "principal", order: "desc" }))).toEqual(["A", "B", "D", "E", "C"]);
    expect(ids(sortLoans(rows, { key: "customer_id", order: "asc" }))).toEqual(["C", "B", "D", "E", "A"]);
  });

  it("leaves the input alone and ignores an unknown key", () => {
    const before = ids(rows);
    sortLoans(rows, { key: "pd", order: "asc" });
    expect(ids(rows)).toEqual(before);
    expect(ids(sortLoans(rows, { key: "shoe_size", order: "asc" }))).toEqual(before);
  });

  it("flips the same column; a new figure column starts with the highest first, a name column A to Z", () => {
    expect(nextSort({ key: "pd", order: "desc" }, "pd")).toEqual({ key: "pd", order: "asc" });
    expect(nextSort({ key: "pd", order: "desc" }, "dpd_now")).toEqual({ key: "dpd_now", order: "desc" });
    expect(nextSort({ key: "pd", order: "desc" }, "loan_id")).toEqual({ key: "loan_id", order: "asc" });
  });
});

describe("applyRiskUpdate", () => {
  const state = portfolioState(portfolio);
  const loan = alertUpdate.loan_id;

  it("moves the loan's row to the new score and measures the change from the start of today", () => {
    const before = state.loans.find((r) => r.loan_id === loan);
    const next = applyRiskUpdate(state, alertUpdate);
    const after = next.loans.find((r) => r.loan_id === loan);
    expect(after).toMatchObject({ pd: alertUpdate.pd, band: "HIGH", dpd_now: 92, pd_source: "monitoring", live: true,
      start_pd: before.start_pd, start_band: "LOW", updated_at: alertUpdate.ts });
    expect(after.pd_change).toBeCloseTo(alertUpdate.pd - before.start_pd, 9);
    expect(after.last_event).toEqual({ event_id: alertUpdate.event_id, ts: alertUpdate.event_ts,
      status: alertUpdate.event_status ?? null });
    expect(next.loans).toHaveLength(state.loans.length);
    expect(state.loans.find((r) => r.loan_id === loan)).toBe(before); // the old state is untouched
    expect(next.versions[loan]).toBe(1);
    expect(next.updates).toBe(1);
  });

  it("adds a band crossing to the alerts once, newest first, with its reasons", () => {
    const once = applyRiskUpdate(state, alertUpdate);
    expect(once.alerts).toHaveLength(1);
    expect(once.alerts[0]).toMatchObject({ loan_id: loan, from_band: "LOW", to_band: "HIGH", direction: "worsened",
      previous_pd: alertUpdate.previous_pd, pd: alertUpdate.pd });
    expect(once.alerts[0].reasons[0].feature).toBe("dpd_now");
    const twice = applyRiskUpdate(once, alertUpdate);
    expect(twice.alerts).toHaveLength(1);
    expect(twice.versions[loan]).toBe(2);
    const other = applyRiskUpdate(twice, plainUpdate); // no band crossing: no alert
    expect(other.alerts.map(alertKey)).toEqual(once.alerts.map(alertKey));
  });

  it("keeps the last event's details when the update names the same event", () => {
    const known = plainUpdate.loan_id;
    const withEvent = { ...state, loans: state.loans.map((r) => (r.loan_id === known
      ? { ...r, last_event: { event_id: plainUpdate.event_id, status: "LATE", ts: "x" } } : r)) };
    const next = applyRiskUpdate(withEvent, plainUpdate);
    expect(next.loans.find((r) => r.loan_id === known).last_event.status).toBe("LATE");
  });

  it("adds a loan it has not seen, starting from the update's previous PD", () => {
    const next = applyRiskUpdate(state, { ...plainUpdate, loan_id: "OCNEW0001", previous_pd: 0.1, pd: 0.15 });
    expect(next.loans).toHaveLength(state.loans.length + 1);
    expect(next.count).toBe(state.count + 1);
    const added = next.loans.find((r) => r.loan_id === "OCNEW0001");
    expect(added.start_pd).toBe(0.1);
    expect(added.pd_change).toBeCloseTo(0.05, 9);
  });
});

describe("binDistribution", () => {
  it("has the band cut-offs among its edges and labels each bin with its band", () => {
    DEFAULT_BANDS.forEach((b) => expect(PD_EDGES).toContain(b.max_pd));
    const bins = binDistribution([]);
    expect(bins).toHaveLength(PD_EDGES.length - 1);
    expect(bins.map((b) => b.label)).toEqual(["0–2.5%", "2.5–5%", "5–8.5%", "8.5–12%", "12–18.5%", "18.5–25%",
      "25–40%", "40–60%", "60–100%"]);
    expect(bins.map((b) => b.band)).toEqual(["LOW", "LOW", "MODERATE", "MODERATE", "ELEVATED", "ELEVATED", "HIGH",
      "HIGH", "HIGH"]);
  });

  it("counts each loan at the start of today and now; a cut-off belongs to the band above it", () => {
    const bins = binDistribution([
      { pd: 0.05, start_pd: 0.01 }, { pd: 1, start_pd: 0.3 }, { pd: 0.01 }, { pd: null, start_pd: null },
    ]);
    const at = (label) => bins.find((b) => b.label === label);
    expect(at("0–2.5%")).toMatchObject({ start: 2, now: 1 });
    expect(at("5–8.5%")).toMatchObject({ start: 0, now: 1 });
    expect(at("25–40%")).toMatchObject({ start: 1, now: 0 });
    expect(at("60–100%")).toMatchObject({ start: 0, now: 1 });
    expect(bins.reduce((n, b) => n + b.now, 0)).toBe(3);
  });

  it("moves a loan from its old bin to its new one after a live update", () => {
    const state = applyRiskUpdate(portfolioState(portfolio), alertUpdate);
    const bins = binDistribution(state.loans, state.bands);
    const low = bins.find((b) => b.label === "0–2.5%");
    const high = bins.find((b) => b.label === "60–100%");
    expect(low.start - low.now).toBe(1);
    expect(high.now - high.start).toBe(1);
  });
});

describe("movement, movers and points", () => {
  const rows = [
    row("A", { pd: 0.3, pd_change: 0.25, start_band: "LOW", band: "HIGH" }),
    row("B", { pd: 0.02, pd_change: -0.04, start_band: "MODERATE", band: "LOW" }),
    row("C", { pd: 0.1, pd_change: 0, start_band: "MODERATE", band: "MODERATE" }),
    row("D", { pd: 0.1, pd_change: null }),
    row("E", { pd: 0.12, pd_change: 0.001, start_band: "ELEVATED", band: "ELEVATED" }),
  ];

  it("counts loans up, down and unchanged today and band crossings each way", () => {
    expect(dayMovement(rows)).toEqual({ up: 2, down: 1, same: 2, worseBand: 1, betterBand: 1 });
  });

  it("lists the largest moves either way, without the loans that did not move", () => {
    expect(ids(topMovers(rows))).toEqual(["A", "B", "E"]);
    expect(ids(topMovers(rows, 1))).toEqual(["A"]);
  });

  it("writes PD changes in percentage points", () => {
    expect(formatPoints(0.1234)).toBe("+12.3 pp");
    expect(formatPoints(-0.004, 2)).toBe("-0.40 pp");
    expect(formatPoints(0.00001)).toBe("0.0 pp");
    expect(formatPoints(null)).toBe("—");
  });

  it("finds the band of a PD", () => {
    expect(bandFor(0.0499)).toBe("LOW");
    expect(bandFor(0.05)).toBe("MODERATE");
    expect(bandFor(0.9)).toBe("HIGH");
    expect(bandFor(null)).toBeNull();
  });
});

describe("historyPoints", () => {
  it("turns the risk history into chart points, oldest first, with the event that moved each", () => {
    const points = historyPoints(riskHistory.history);
    expect(points).toHaveLength(riskHistory.history.length);
    expect(points[0]).toMatchObject({ n: 1, kind: "baseline", status: null });
    expect(points.at(-1)).toMatchObject({ kind: "event", status: "LATE", pd: riskHistory.history.at(-1).pd,
      clock: riskHistory.history.at(-1).clock });
    expect(historyPoints(undefined)).toEqual([]);
  });
});

describe("portfolioCounts", () => {
  it("counts loans and distinct borrowers from the rows, and keeps the API's consenting customers apart", () => {
    const rows = [{ loan_id: "a", customer_id: "C1" }, { loan_id: "b", customer_id: "C1" }, { loan_id: "c", customer_id: "C2" }];
    expect(portfolioCounts({ loans: rows, customers: 5 })).toEqual({ loans: 3, borrowers: 2, consenting: 5 });
    expect(portfolioCounts({ loans: [], customers: null })).toEqual({ loans: 0, borrowers: 0, consenting: null });
  });
});
