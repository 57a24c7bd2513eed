/**
 * Every number, amount and date a person reads goes through these helpers, so the whole dashboard speaks
 * one dialect: Indian digit grouping (₹12,34,567), `05 Jan 2024` dates, times in IST, and `—` for anything
 * missing (never "NaN", "undefined" or a raw float).
 *
 * Amounts follow one convention (features never format rupees themselves):
 * - tiles, summaries and chart axes: lakh/crore, `formatINR(v, { compact: true })` → `₹12.35 L`, `₹1.20 Cr`
 *   (below a lakh, full rupees: `₹45,600`);
 * - tables and figures in sentences: full rupees without paise, `formatINR(v)` → `₹1,23,456`; paise only on
 *   small amounts (under ₹1,000: `₹12.50`);
 * - the transaction ledger (and other exact money, e.g. a NAV): `formatINR(v, { paise: true })` →
 *   `₹1,23,456.78`;
 * - prose that mirrors the credit memo: `formatINRWords` → `₹24.00 lakh`.
 */

export const DASH = "—";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A finite number from a number or a numeric string (AA amounts arrive as strings), else null. */
export function toNumber(value) {
  if (value === null || value === undefined || typeof value === "boolean") return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string") {
    const text = value.trim().replace(/,/g, "");
    if (text === "" || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return null;
    const parsed = Number(text);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

/** Group the integer digits the Indian way: the last three, then pairs (12,34,567). */
function groupIndian(digits) {
  if (digits.length <= 3) return digits;
  const last3 = digits.slice(-3);
  const rest = digits.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ",");
  return `${rest},${last3}`;
}

/** |value| with `decimals` places and Indian grouping, no sign. */
function groupedAbs(value, decimals) {
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole, fraction] = fixed.split(".");
  return fraction ? `${groupIndian(whole)}.${fraction}` : groupIndian(whole);
}

/** Whether a value carries paise/fractions worth showing at two places. */
function hasFraction(value) {
  return Math.abs(Math.round(value * 100) - Math.round(value) * 100) > 0;
}

const COMPACT_UNITS = [
  { size: 1e7, suffix: "Cr", decimals: 2 },
  { size: 1e5, suffix: "L", decimals: 2 },
];

/** Paise are shown on amounts below this (and everywhere with `paise: true`). */
export const PAISE_BELOW = 1000;

/** `[text, suffix]` of |value| in crore/lakh (null below a lakh), promoting 99.99.. L that rounds to 100 L into 1.00 Cr. */
function compactParts(abs, decimals) {
  for (let i = 0; i < COMPACT_UNITS.length; i += 1) {
    const unit = COMPACT_UNITS[i];
    const places = decimals ?? unit.decimals;
    const rounded = Number((abs / unit.size).toFixed(places));
    if (rounded >= 1 || abs >= unit.size) {
      const bigger = COMPACT_UNITS[i - 1];
      if (bigger && rounded * unit.size >= bigger.size) {
        return [(abs / bigger.size).toFixed(decimals ?? bigger.decimals), bigger.suffix];
      }
      return [groupedAbs(rounded, places), unit.suffix];
    }
  }
  return null;
}

/**
 * An amount in rupees (see the convention above): `₹12,34,567` (whole rupees; paise only under ₹1,000, or
 * with `paise: true`, or with `decimals`); `compact` gives `₹12.35 L`, `₹1.20 Cr` and full rupees below a
 * lakh; negatives read `-₹1,234`; `—` when missing.
 */
export function formatINR(value, { compact = false, decimals, paise = false } = {}) {
  const number = toNumber(value);
  if (number === null) return DASH;
  const abs = Math.abs(number);
  const parts = compact ? compactParts(abs, decimals) : null;
  let body;
  if (parts) {
    body = `₹${parts[0]} ${parts[1]}`;
  } else {
    const exact = paise || abs < PAISE_BELOW;
    // compact `decimals` are the lakh/crore places; below a lakh the amount is whole rupees
    const places = (compact ? undefined : decimals) ?? (exact && hasFraction(number) ? 2 : 0);
    body = `₹${groupedAbs(number, places)}`;
  }
  const negative = number < 0 && !/^₹0(\.0+)?( |$)/.test(body);
  return negative ? `-${body}` : body;
}

/**
 * An amount the way a person says it: `₹24.00 lakh`, `₹2.52 crore`; under a lakh as formatINR (`₹45,600`);
 * `—` when missing. The words pipeline/indian.py's `inr_words` writes in the memo and the analytics' sentences.
 */
export function formatINRWords(value) {
  const number = toNumber(value);
  if (number === null) return DASH;
  const abs = Math.abs(number);
  const sign = number < 0 ? "-" : "";
  if (abs >= 1e7) return `${sign}₹${groupedAbs(abs / 1e7, 2)} crore`;
  if (abs >= 1e5) return `${sign}₹${(abs / 1e5).toFixed(2)} lakh`;
  return formatINR(number);
}

/**
 * A plain number with Indian grouping: integers as they are, fractions at two places unless `decimals`
 * says otherwise; `compact` uses L/Cr like formatINR.
 */
export function formatNumber(value, { decimals, compact = false } = {}) {
  const number = toNumber(value);
  if (number === null) return DASH;
  const abs = Math.abs(number);
  let body;
  const parts = compact ? compactParts(abs, decimals) : null;
  if (parts) {
    body = `${parts[0]} ${parts[1]}`;
  } else {
    const places = (compact ? undefined : decimals) ?? (hasFraction(number) ? 2 : 0);
    body = groupedAbs(number, places);
  }
  const negative = number < 0 && !/^0(\.0+)?$/.test(body);
  return negative ? `-${body}` : body;
}

/** A fraction as a percentage: 0.123 → `12.3%`. */
export function formatPct(fraction, digits = 1) {
  const number = toNumber(fraction);
  if (number === null) return DASH;
  return `${formatNumber(number * 100, { decimals: digits })}%`;
}

/** A value already in percent (unit "%"): 12.34 → `12.3%`. */
export function formatPercentValue(value, digits = 1) {
  const number = toNumber(value);
  if (number === null) return DASH;
  return `${formatNumber(number, { decimals: digits })}%`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const IST_OFFSET_MIN = 330;

/**
 * `[year, month, day, hour, minute]` of a value in India Standard Time: timestamps with an offset (Z, +00:00)
 * are converted to IST; a timestamp without an offset or a plain date is taken as written.
 */
function istParts(value) {
  const text = String(value).trim();
  const ts = ISO_TIMESTAMP.exec(text);
  if (ts) {
    const [, y, mo, d, h, mi, sec, zone] = ts;
    if (!zone) return [y, mo, d, h, mi, sec || 0].map(Number);
    let offset = 0;
    if (zone !== "Z") {
      const sign = zone[0] === "-" ? -1 : 1;
      const digits = zone.slice(1).replace(":", "");
      offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    }
    const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec || 0)) - offset * 60000;
    const ist = new Date(utc + IST_OFFSET_MIN * 60000);
    if (Number.isNaN(ist.getTime())) return null;
    return [ist.getUTCFullYear(), ist.getUTCMonth() + 1, ist.getUTCDate(), ist.getUTCHours(), ist.getUTCMinutes(),
      ist.getUTCSeconds()];
  }
  const date = ISO_DATE.exec(text);
  return date ? [Number(date[1]), Number(date[2]), Number(date[3]), null, null, null] : null;
}

const pad = (n) => String(n).padStart(2, "0");

/**
 * A date as `05 Jan 2024`. Plain dates are shown as written; timestamps with an offset show their day in
 * India Standard Time (a UTC server time of 20:00 on 31 Mar is 01 Apr in Mumbai); Date objects use local time.
 */
export function formatDate(value) {
  if (value === null || value === undefined || value === "") return DASH;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return DASH;
    return `${pad(value.getDate())} ${MONTHS[value.getMonth()]} ${value.getFullYear()}`;
  }
  if (typeof value !== "string") return DASH;
  const parts = istParts(value);
  if (!parts) return DASH;
  const [year, month, day] = parts;
  if (month < 1 || month > 12 || day < 1 || day > 31) return DASH;
  return `${pad(day)} ${MONTHS[month - 1]} ${year}`;
}

/** A timestamp as `05 Jan 2024, 14:30 IST` (converted to IST when it carries an offset); a plain date as formatDate. */
export function formatDateTime(value) {
  const date = formatDate(value);
  if (date === DASH || value instanceof Date) return date;
  const parts = istParts(value);
  if (!parts || parts[3] === null) return date;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(String(value).trim());
  return `${date}, ${pad(parts[3])}:${pad(parts[4])}${zoned ? " IST" : ""}`;
}

/**
 * The clock time of a timestamp in India Standard Time, `14:30:05` (log lines; the day is in formatDateTime).
 * Timestamps with an offset (the server writes UTC) are converted to IST whatever the browser's time zone;
 * `—` for anything that is not an ISO timestamp.
 */
export function formatTimeIST(value) {
  if (typeof value !== "string") return DASH;
  const parts = istParts(value);
  if (!parts || parts[3] === null) return DASH;
  return `${pad(parts[3])}:${pad(parts[4])}:${pad(parts[5])}`;
}

/** A month as `Jan 2024`, from `2024-01`, `2024-01-31` or a GST return period `012024` (MMYYYY). */
export function formatMonth(value) {
  if (value === null || value === undefined) return DASH;
  const text = String(value).trim();
  let year;
  let month;
  let match = /^(\d{4})-(\d{2})/.exec(text);
  if (match) {
    [, year, month] = match;
  } else if ((match = /^(\d{2})(\d{4})$/.exec(text))) {
    [, month, year] = match;
  } else {
    return DASH;
  }
  const m = Number(month);
  if (m < 1 || m > 12) return DASH;
  return `${MONTHS[m - 1]} ${year}`;
}

function plural(number, word) {
  const text = formatNumber(number, { decimals: Number.isInteger(number) ? 0 : 1 });
  return `${text} ${word}${Math.abs(number) === 1 ? "" : "s"}`;
}

/**
 * A metric object `{value, unit, ...}` as text, by its unit: INR (and INR/month, INR/year) as rupees,
 * probability as a percentage, `%` as a value already in percent, ratio at two places (or `as: "percent"`
 * for a share such as FOIR, `as: "multiple"` for a cover such as DSCR), count, days, months, scores.
 * Unknown units print the number followed by the unit. A missing value (or missing metric) is `—`.
 */
export function formatMetric(metric, { compact = false, as } = {}) {
  if (metric === null || metric === undefined || typeof metric !== "object") return DASH;
  const { value } = metric;
  const unit = String(metric.unit ?? "").trim();
  if (value === null || value === undefined) return DASH;
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "string" && toNumber(value) === null) return value;
  if (typeof value === "object") return DASH;
  const number = toNumber(value);
  if (number === null) return DASH;
  if (as === "percent") return formatPct(number);
  if (as === "multiple") return `${formatNumber(number, { decimals: 2 })}×`;
  const lower = unit.toLowerCase();
  if (lower === "inr") return formatINR(number, { compact });
  if (lower === "inr/month") return `${formatINR(number, { compact })}/month`;
  if (lower === "inr/year") return `${formatINR(number, { compact })}/year`;
  if (lower === "probability") return formatPct(number);
  if (lower === "ratio") return formatNumber(number, { decimals: 2 });
  if (lower === "x") return `${formatNumber(number, { decimals: 2 })}×`;
  if (lower === "%" || lower === "percent") return formatPercentValue(number);
  if (lower.startsWith("%") && lower.includes("per month")) return `${number > 0 ? "+" : ""}${formatNumber(number, { decimals: 2 })}%/month`;
  if (lower.startsWith("%")) return `${formatNumber(number, { decimals: 2 })}${unit}`;
  if (lower === "count") return formatNumber(number, { decimals: Number.isInteger(number) ? 0 : 1 });
  if (lower === "days") return plural(Math.round(number * 10) / 10, "day");
  if (lower === "months") return plural(Math.round(number * 10) / 10, "month");
  if (lower.startsWith("score")) return formatNumber(Math.round(number));
  const text = formatNumber(number, { decimals: Number.isInteger(number) ? 0 : 2 });
  return unit ? `${text} ${unit}` : text;
}

/** A sign-aware label for change figures: `+12.3%` / `-4.0%`. */
export function formatSignedPct(fraction, digits = 1) {
  const number = toNumber(fraction);
  if (number === null) return DASH;
  const text = formatPct(number, digits);
  return number > 0 ? `+${text}` : text;
}

/**
 * A sentence for an officer: a parenthesis about log-odds (a model's internal scale, e.g. "(+2.03 on the
 * log-odds scale)") is dropped; percentages and rupees stay.
 */
export function plainWords(text) {
  return String(text ?? "").replace(/\s*\([^()]*log-odds[^()]*\)/g, "").trim();
}

/** Humanise a machine code: `APPROVE_WITH_CONDITIONS` → `Approve with conditions`. */
export function humanize(code) {
  if (code === null || code === undefined || code === "") return DASH;
  const text = String(code).replace(/[_-]+/g, " ").trim().toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
