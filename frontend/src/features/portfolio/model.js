/**
 * Pure helpers of the Portfolio Monitor: "today" in India Standard Time, sorting the loans, applying a live
 * `risk_update` to what is on screen, binning PDs for the distribution, the day's movers, and the chart
 * points of a loan's PD history. No React here, so each is tested on its own.
 */
import { formatNumber, toNumber } from "../../lib/format.js";

/** The risk bands when the API does not send them (config.json `monitoring.bands`: LOW < 5 % ≤ ...). */
export const DEFAULT_BANDS = [
  { band: "LOW", max_pd: 0.05 }, { band: "MODERATE", max_pd: 0.12 }, { band: "ELEVATED", max_pd: 0.25 },
  { band: "HIGH", max_pd: 1 },
];

/**
 * Edges of the PD histogram's bins. The band cut-offs (5 %, 12 %, 25 %) are edges, so no bin straddles two
 * bands; each band is split once more (HIGH twice) so movement inside a band shows too.
 */
export const PD_EDGES = [0, 0.025, 0.05, 0.085, 0.12, 0.185, 0.25, 0.4, 0.6, 1];

const IST_OFFSET_MS = 330 * 60 * 1000;
const pad = (n) => String(n).padStart(2, "0");
const isNumber = (v) => typeof v === "number" && Number.isFinite(v);

/** The start of today in India Standard Time as ISO 8601 (`2026-11-21T00:00:00+05:30`), for `?since=`. */
export function startOfTodayIST(now = new Date()) {
  const ist = new Date(now.getTime() + IST_OFFSET_MS);
  return `${ist.getUTCFullYear()}-${pad(ist.getUTCMonth() + 1)}-${pad(ist.getUTCDate())}T00:00:00+05:30`;
}

/** The band a PD falls in (the first band whose `max_pd` it is below; the last band otherwise). */
export function bandFor(pd, bands = DEFAULT_BANDS) {
  if (!isNumber(pd) || !bands.length) return null;
  const found = bands.find((b) => pd < b.max_pd);
  return (found || bands[bands.length - 1]).band;
}

/** A band's position in risk order (LOW 0 ... HIGH 3); -1 when unknown. */
export function bandRank(band, bands = DEFAULT_BANDS) {
  return bands.findIndex((b) => b.band === band);
}

/** The sortable columns: how each reads its sort value from a row. */
export const SORT_VALUES = {
  customer_id: (row) => row.customer_id ?? null,
  loan_id: (row) => row.loan_id ?? null,
  principal: (row) => toNumber(row.principal),
  pd: (row) => (isNumber(row.pd) ? row.pd : null),
  band: (row, bands) => (row.band ? bandRank(row.band, bands) : null),
  pd_change: (row) => (isNumber(row.pd_change) ? row.pd_change : null),
  last_event: (row) => row.last_event?.ts ?? row.updated_at ?? null,
  dpd_now: (row) => (isNumber(row.dpd_now) ? row.dpd_now : null),
};

/**
 * The rows sorted by `sort.key` (`asc` | `desc`); bands in risk order; rows without a value last either way;
 * ties by loan id, so a live update never reshuffles equal rows.
 */
export function sortLoans(rows, sort, bands = DEFAULT_BANDS) {
  const value = SORT_VALUES[sort?.key];
  if (!value) return rows.slice();
  const dir = sort.order === "asc" ? 1 : -1;
  const byId = (a, b) => String(a.loan_id).localeCompare(String(b.loan_id));
  return rows.slice().sort((a, b) => {
    const x = value(a, bands);
    const y = value(b, bands);
    if (x === null && y === null) return byId(a, b);
    if (x === null) return 1;
    if (y === null) return -1;
    if (x === y) return byId(a, b);
    if (typeof x === "number" && typeof y === "number") return (x - y) * dir;
    return String(x).localeCompare(String(y), "en-IN", { numeric: true }) * dir;
  });
}

/** The next sort after a click on a column header: the same column flips, a new one starts descending for
 * figures (highest risk first) and ascending for names. */
export function nextSort(current, key) {
  if (current?.key === key) return { key, order: current.order === "asc" ? "desc" : "asc" };
  return { key, order: key === "customer_id" || key === "loan_id" ? "asc" : "desc" };
}

/** The identity of an alert (one band crossing of one loan at one event). */
export function alertKey(alert) {
  return `${alert.loan_id}|${alert.event_id ?? alert.ts}|${alert.to_band}`;
}

/** An alert as the alerts list shows it, from a `risk_update` payload that carries one (else null). */
export function alertFromUpdate(update) {
  if (!update?.alert) return null;
  return {
    loan_id: update.loan_id, customer_id: update.customer_id, ts: update.ts, event_id: update.event_id,
    pd: update.pd, band: update.band, previous_pd: update.previous_pd, previous_band: update.previous_band,
    ...update.alert,
  };
}

/** The page's data from a `GET /api/portfolio?since=` answer. */
export function portfolioState(body) {
  return {
    loans: Array.isArray(body?.loans) ? body.loans : [],
    alerts: Array.isArray(body?.alerts) ? body.alerts : [],
    bands: Array.isArray(body?.bands) && body.bands.length ? body.bands : DEFAULT_BANDS,
    note: body?.note || null,
    since: body?.since || null,
    count: isNumber(body?.count) ? body.count : 0,
    customers: isNumber(body?.customers) ? body.customers : null,
    versions: {},
    updates: 0,
  };
}

/**
 * The page's data after one `risk_update` (pure: a new object, the old one untouched). The loan's row takes
 * the new PD, band, DPD and event, and its change today is measured from its PD at the start of the day; a
 * band crossing is added to the alerts (newest first, each once). A loan not yet on screen (booked since the
 * page loaded) is added. `versions[loan_id]` counts the updates of each loan, so its history can reload.
 */
export function applyRiskUpdate(state, update) {
  if (!state || !update?.loan_id) return state;
  const index = state.loans.findIndex((row) => row.loan_id === update.loan_id);
  const old = index >= 0 ? state.loans[index] : { loan_id: update.loan_id, customer_id: update.customer_id };
  const startPd = isNumber(old.start_pd) ? old.start_pd : (isNumber(update.previous_pd) ? update.previous_pd : null);
  const row = {
    ...old,
    pd: update.pd,
    band: update.band,
    pd_source: "monitoring",
    dpd_now: update.dpd_now ?? old.dpd_now ?? null,
    updated_at: update.ts,
    alert: update.alert ?? null,
    start_pd: startPd,
    start_band: old.start_band ?? update.previous_band ?? null,
    pd_change: isNumber(update.pd) && isNumber(startPd) ? update.pd - startPd : null,
    last_event: old.last_event?.event_id === update.event_id
      ? old.last_event : { event_id: update.event_id, ts: update.event_ts ?? null, status: update.event_status ?? null },
    live: true,
  };
  const loans = index >= 0 ? state.loans.map((r, i) => (i === index ? row : r)) : [...state.loans, row];
  let { alerts } = state;
  const alert = alertFromUpdate(update);
  if (alert && !alerts.some((a) => alertKey(a) === alertKey(alert))) alerts = [alert, ...alerts];
  const versions = { ...state.versions, [update.loan_id]: (state.versions[update.loan_id] || 0) + 1 };
  return { ...state, loans, alerts, versions, updates: state.updates + 1, count: state.count + (index >= 0 ? 0 : 1) };
}

/** A bin edge in percent without a needless decimal: 0.05 → `5`, 0.085 → `8.5`. */
function percentText(fraction) {
  const percent = Math.round(fraction * 1000) / 10;
  return formatNumber(percent, { decimals: Number.isInteger(percent) ? 0 : 1 });
}

/** How many loans fall in each PD bin at the start of today (`start`) and now (`now`), with each bin's band. */
export function binDistribution(rows, bands = DEFAULT_BANDS, edges = PD_EDGES) {
  const bins = edges.slice(0, -1).map((lo, i) => ({
    lo, hi: edges[i + 1], label: `${percentText(lo)}–${percentText(edges[i + 1])}%`, band: bandFor(lo, bands),
    start: 0, now: 0,
  }));
  const place = (pd) => {
    if (!isNumber(pd)) return -1;
    const i = bins.findIndex((b) => pd >= b.lo && pd < b.hi);
    return i >= 0 ? i : (pd >= edges[edges.length - 1] ? bins.length - 1 : -1);
  };
  (rows || []).forEach((row) => {
    const now = place(row.pd);
    const start = place(isNumber(row.start_pd) ? row.start_pd : row.pd);
    if (now >= 0) bins[now].now += 1;
    if (start >= 0) bins[start].start += 1;
  });
  return bins;
}

const MOVE_EPSILON = 1e-9;

/** Today's movement: loans whose PD rose or fell since the start of the day, and band crossings each way. */
export function dayMovement(rows, bands = DEFAULT_BANDS) {
  const out = { up: 0, down: 0, same: 0, worseBand: 0, betterBand: 0 };
  (rows || []).forEach((row) => {
    const change = row.pd_change;
    if (!isNumber(change) || Math.abs(change) < MOVE_EPSILON) out.same += 1;
    else if (change > 0) out.up += 1;
    else out.down += 1;
    if (row.start_band && row.band && row.start_band !== row.band) {
      if (bandRank(row.band, bands) > bandRank(row.start_band, bands)) out.worseBand += 1;
      else out.betterBand += 1;
    }
  });
  return out;
}

/** The `n` loans whose PD moved most today (either way), largest move first. */
export function topMovers(rows, n = 5) {
  return (rows || [])
    .filter((row) => isNumber(row.pd_change) && Math.abs(row.pd_change) >= MOVE_EPSILON)
    .sort((a, b) => Math.abs(b.pd_change) - Math.abs(a.pd_change) || String(a.loan_id).localeCompare(String(b.loan_id)))
    .slice(0, n);
}

/** A PD change in percentage points: `+12.3 pp`, `-0.4 pp`, `0.0 pp`; `—` when unknown. */
export function formatPoints(delta, digits = 1) {
  if (!isNumber(delta)) return "—";
  const rounded = Number((delta * 100).toFixed(digits));
  const text = formatNumber(Math.abs(rounded), { decimals: digits });
  if (rounded === 0) return `${text} pp`;
  return `${rounded > 0 ? "+" : "-"}${text} pp`;
}

/** The mean PD of the rows that have one (null when none has). */
/**
 * The portfolio's size as the summary states it, counted from the rows on screen (so it always agrees with
 * the table, live additions included): `loans`, distinct `borrowers` (one borrower may hold several loans),
 * and `consenting`, the API's count of customers whose consent covers monitoring (some may have no loan), or null.
 */
export function portfolioCounts(state) {
  const rows = state?.loans || [];
  const borrowers = new Set(rows.map((r) => r.customer_id).filter(Boolean)).size;
  return { loans: rows.length, borrowers, consenting: isNumber(state?.customers) ? state.customers : null };
}

export function meanPd(rows) {
  const pds = (rows || []).map((r) => r.pd).filter(isNumber);
  return pds.length ? pds.reduce((a, b) => a + b, 0) / pds.length : null;
}

/**
 * The chart points of a loan's risk history, oldest first: `{n, pd, band, clock, ts, kind, status, events,
 * alert}`. `clock` is the loan's own date at that score (its disbursal for the booking score, else the day of
 * the last event), `ts` when the lake scored it.
 */
export function historyPoints(history) {
  return (history || []).filter((h) => isNumber(h?.pd)).map((h, i) => ({
    n: i + 1, pd: h.pd, band: h.band ?? null, clock: h.clock ?? null, ts: h.ts ?? null, kind: h.kind ?? "event",
    status: h.last_event?.status ?? null, dueDate: h.last_event?.due_date ?? null, events: h.events ?? 0,
    alert: h.alert ?? null,
  }));
}
