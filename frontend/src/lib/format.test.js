import { describe, expect, it } from "vitest";
import {
  DASH, formatDate, formatDateTime, formatTimeIST, formatINR, formatINRWords, formatMetric, formatMonth, formatNumber, formatPct, formatPercentValue,
  formatSignedPct, humanize, plainWords, toNumber,
} from "./format.js";

describe("formatINR", () => {
  it("groups digits the Indian way", () => {
    expect(formatINR(0)).toBe("₹0");
    expect(formatINR(999)).toBe("₹999");
    expect(formatINR(1000)).toBe("₹1,000");
    expect(formatINR(100000)).toBe("₹1,00,000");
    expect(formatINR(1234567)).toBe("₹12,34,567");
    expect(formatINR(12345678)).toBe("₹1,23,45,678");
    expect(formatINR(1234567890)).toBe("₹1,23,45,67,890");
  });

  it("shows whole rupees from ₹1,000 up, paise on small amounts, and paise everywhere when asked (the ledger)", () => {
    expect(formatINR(1234567.89)).toBe("₹12,34,568");
    expect(formatINR(1234.5)).toBe("₹1,235");
    expect(formatINR(999.5)).toBe("₹999.50");
    expect(formatINR(12.5)).toBe("₹12.50");
    expect(formatINR(12)).toBe("₹12");
    expect(formatINR(1234567.89, { paise: true })).toBe("₹12,34,567.89");
    expect(formatINR(1234.5, { paise: true })).toBe("₹1,234.50");
    expect(formatINR(1234.004, { paise: true })).toBe("₹1,234");
    expect(formatINR(1234, { decimals: 2 })).toBe("₹1,234.00");
    expect(formatINR(1234.567, { decimals: 0 })).toBe("₹1,235");
  });

  it("puts the minus sign before the rupee sign", () => {
    expect(formatINR(-1234)).toBe("-₹1,234");
    expect(formatINR(-12345678.5)).toBe("-₹1,23,45,679");
    expect(formatINR(-12345678.5, { paise: true })).toBe("-₹1,23,45,678.50");
    expect(formatINR(-0)).toBe("₹0");
    expect(formatINR(-0.001)).toBe("₹0");
  });

  it("reads numeric strings (AA amounts are strings)", () => {
    expect(formatINR("1234567.00")).toBe("₹12,34,567");
    expect(formatINR(" 2500.5 ", { paise: true })).toBe("₹2,500.50");
    expect(formatINR("12,345")).toBe("₹12,345");
  });

  it("compacts to lakh and crore; below a lakh, full rupees (no thousands K)", () => {
    expect(formatINR(999, { compact: true })).toBe("₹999");
    expect(formatINR(45600, { compact: true })).toBe("₹45,600");
    expect(formatINR(45600.4, { compact: true, decimals: 1 })).toBe("₹45,600");
    expect(formatINR(1234567, { compact: true })).toBe("₹12.35 L");
    expect(formatINR(12000000, { compact: true })).toBe("₹1.20 Cr");
    expect(formatINR(2523456789, { compact: true })).toBe("₹252.35 Cr");
    expect(formatINR(123456789012, { compact: true })).toBe("₹12,345.68 Cr");
    expect(formatINR(-1234567, { compact: true })).toBe("-₹12.35 L");
    expect(formatINR(1234567, { compact: true, decimals: 1 })).toBe("₹12.3 L");
  });

  it("promotes a value that rounds up to the next unit", () => {
    expect(formatINR(99999.6, { compact: true })).toBe("₹1.00 L");
    expect(formatINR(9999999, { compact: true })).toBe("₹1.00 Cr");
    expect(formatINR(99960, { compact: true })).toBe("₹1.00 L");
  });

  it("returns a dash for anything that is not a number", () => {
    [null, undefined, NaN, Infinity, -Infinity, "", "abc", "12abc", {}, [], true].forEach((v) => {
      expect(formatINR(v)).toBe(DASH);
      expect(formatINR(v, { compact: true })).toBe(DASH);
    });
  });
});

describe("formatINRWords", () => {
  it("says amounts in lakh and crore, smaller sums in rupees", () => {
    expect(formatINRWords(2400000)).toBe("₹24.00 lakh");
    expect(formatINRWords("1234567")).toBe("₹12.35 lakh");
    expect(formatINRWords(25200000)).toBe("₹2.52 crore");
    expect(formatINRWords(1234567890)).toBe("₹123.46 crore");
    expect(formatINRWords(45600)).toBe("₹45,600");
    expect(formatINRWords(-500000)).toBe("-₹5.00 lakh");
    expect(formatINRWords(null)).toBe(DASH);
    expect(formatINRWords("abc")).toBe(DASH);
    expect(formatINRWords(Number.NaN)).toBe(DASH);
  });
});

describe("plainWords", () => {
  it("drops log-odds asides and keeps the rest", () => {
    expect(plainWords("Average balance is ₹4.20 lakh; this lowered risk (-1.14 on the log-odds scale)"))
      .toBe("Average balance is ₹4.20 lakh; this lowered risk");
    expect(plainWords("EMIs take 38% of credits (FOIR)")).toBe("EMIs take 38% of credits (FOIR)");
    expect(plainWords(null)).toBe("");
  });
});

describe("formatNumber", () => {
  it("groups and keeps fractions at two places", () => {
    expect(formatNumber(17056)).toBe("17,056");
    expect(formatNumber(1234567)).toBe("12,34,567");
    expect(formatNumber(4.3466)).toBe("4.35");
    expect(formatNumber(4.3466, { decimals: 1 })).toBe("4.3");
    expect(formatNumber(-1234.5)).toBe("-1,234.50");
    expect(formatNumber(-0.0001, { decimals: 2 })).toBe("0.00");
    expect(formatNumber(1234567, { compact: true })).toBe("12.35 L");
  });

  it("returns a dash when missing", () => {
    expect(formatNumber(null)).toBe(DASH);
    expect(formatNumber(undefined)).toBe(DASH);
    expect(formatNumber(NaN)).toBe(DASH);
  });
});

describe("percentages", () => {
  it("formats a fraction as a percentage", () => {
    expect(formatPct(0.123)).toBe("12.3%");
    expect(formatPct(0.0428)).toBe("4.3%");
    expect(formatPct(1)).toBe("100.0%");
    expect(formatPct(0.12345, 2)).toBe("12.35%");
    expect(formatPct(-0.05)).toBe("-5.0%");
    expect(formatPct(0)).toBe("0.0%");
    expect(formatPct(12.5)).toBe("1,250.0%");
  });

  it("formats a value already in percent and signed changes", () => {
    expect(formatPercentValue(12.34)).toBe("12.3%");
    expect(formatSignedPct(0.101)).toBe("+10.1%");
    expect(formatSignedPct(-0.005)).toBe("-0.5%");
    expect(formatSignedPct(0)).toBe("0.0%");
  });

  it("returns a dash when missing", () => {
    expect(formatPct(null)).toBe(DASH);
    expect(formatPct(undefined)).toBe(DASH);
    expect(formatPct(NaN)).toBe(DASH);
    expect(formatPercentValue(null)).toBe(DASH);
    expect(formatSignedPct(undefined)).toBe(DASH);
  });
});

describe("dates", () => {
  it("formats ISO dates as DD Mon YYYY", () => {
    expect(formatDate("2024-01-05")).toBe("05 Jan 2024");
    expect(formatDate("2023-12-31")).toBe("31 Dec 2023");
  });

  it("shows timestamps in India Standard Time", () => {
    expect(formatDate("2024-03-31T23:30:00+05:30")).toBe("31 Mar 2024");
    expect(formatDate("2024-03-31T20:00:00Z")).toBe("01 Apr 2024");
    expect(formatDateTime("2024-03-31T23:30:00+05:30")).toBe("31 Mar 2024, 23:30 IST");
    expect(formatDateTime("2026-11-21T06:37:25+00:00")).toBe("21 Nov 2026, 12:07 IST");
    expect(formatDateTime("2026-11-21T06:44:50.123Z")).toBe("21 Nov 2026, 12:14 IST");
    expect(formatDateTime("2024-01-05T09:15:00")).toBe("05 Jan 2024, 09:15");
    expect(formatDateTime("2024-03-31")).toBe("31 Mar 2024");
  });

  it("gives a log line's clock time in IST, converted from UTC whatever the browser's zone", () => {
    expect(formatTimeIST("2026-11-21T06:37:25.120+00:00")).toBe("12:07:25");
    expect(formatTimeIST("2026-03-31T20:00:00Z")).toBe("01:30:00");
    expect(formatTimeIST("2026-03-31T20:00:00+05:30")).toBe("20:00:00");
    expect(formatTimeIST("2026-03-31")).toBe(DASH);
    expect(formatTimeIST(null)).toBe(DASH);
  });

  it("accepts Date objects", () => {
    expect(formatDate(new Date(2024, 0, 5))).toBe("05 Jan 2024");
    expect(formatDate(new Date("invalid"))).toBe(DASH);
  });

  it("returns a dash for missing or invalid dates", () => {
    [null, undefined, "", "yesterday", "2024-13-01", "2024-00-10", 12].forEach((v) => expect(formatDate(v)).toBe(DASH));
    expect(formatDateTime(null)).toBe(DASH);
  });

  it("formats months, including GST return periods", () => {
    expect(formatMonth("2024-01")).toBe("Jan 2024");
    expect(formatMonth("2024-11-30")).toBe("Nov 2024");
    expect(formatMonth("032024")).toBe("Mar 2024");
    expect(formatMonth("2024-13")).toBe(DASH);
    expect(formatMonth(null)).toBe(DASH);
    expect(formatMonth("March")).toBe(DASH);
  });
});

describe("formatMetric", () => {
  const m = (value, unit) => ({ value, unit, formula: "f", inputs: {}, explanation: "e" });

  it("formats by unit", () => {
    expect(formatMetric(m(161669.5133, "INR"))).toBe("₹1,61,670");
    expect(formatMetric(m(512.5, "INR"))).toBe("₹512.50");
    expect(formatMetric(m(161669.5133, "INR"), { compact: true })).toBe("₹1.62 L");
    expect(formatMetric(m(39544, "INR/month"))).toBe("₹39,544/month");
    expect(formatMetric(m(0.1191, "probability"))).toBe("11.9%");
    expect(formatMetric(m(4.3466, "ratio"))).toBe("4.35");
    expect(formatMetric(m(0.0428, "ratio"), { as: "percent" })).toBe("4.3%");
    expect(formatMetric(m(4.3466, "ratio"), { as: "multiple" })).toBe("4.35×");
    expect(formatMetric(m(1.8, "x"))).toBe("1.80×");
    expect(formatMetric(m(-12.345, "%"))).toBe("-12.3%");
    expect(formatMetric(m(0.3784, "% of mean per month"))).toBe("+0.38%/month");
    expect(formatMetric(m(-1.5, "% of mean per month"))).toBe("-1.50%/month");
    expect(formatMetric(m(2.5, "% of something"))).toBe("2.50% of something");
    expect(formatMetric(m(17056, "count"))).toBe("17,056");
    expect(formatMetric(m(1, "days"))).toBe("1 day");
    expect(formatMetric(m(13.8286, "days"))).toBe("13.8 days");
    expect(formatMetric(m(36, "months"))).toBe("36 months");
    expect(formatMetric(m(549, "score (300-900)"))).toBe("549");
    expect(formatMetric(m(62.7267, "points (0-100)"))).toBe("62.73 points (0-100)");
    expect(formatMetric(m("MODERATE", "band"))).toBe("MODERATE");
    expect(formatMetric(m(true, "flag"))).toBe("Yes");
    expect(formatMetric(m(false, "flag"))).toBe("No");
  });

  it("returns a dash for a missing value or metric", () => {
    expect(formatMetric(m(null, "INR"))).toBe(DASH);
    expect(formatMetric({ unit: "ratio" })).toBe(DASH);
    expect(formatMetric(null)).toBe(DASH);
    expect(formatMetric(undefined)).toBe(DASH);
    expect(formatMetric(m(NaN, "INR"))).toBe(DASH);
    expect(formatMetric(m({ nested: 1 }, "INR"))).toBe(DASH);
  });
});

describe("helpers", () => {
  it("parses numbers strictly", () => {
    expect(toNumber("1.5e3")).toBe(1500);
    expect(toNumber("-.5")).toBe(-0.5);
    expect(toNumber("1 234")).toBeNull();
  });

  it("humanises codes", () => {
    expect(humanize("APPROVE_WITH_CONDITIONS")).toBe("Approve with conditions");
    expect(humanize("high_seasonality")).toBe("High seasonality");
    expect(humanize(null)).toBe(DASH);
  });
});
