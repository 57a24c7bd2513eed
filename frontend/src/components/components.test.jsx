import { describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import Badge, { toneFor } from "./Badge.jsx";
import DataTable from "./DataTable.jsx";
import ErrorBoundary from "./ErrorBoundary.jsx";
import Gauge from "./Gauge.jsx";
import LiveLog, { formatClockIST } from "./LiveLog.jsx";
import MetricGrid, { metricLabel } from "./MetricGrid.jsx";
import MetricTile, { splitUnit } from "./MetricTile.jsx";
import StateView from "./StateView.jsx";
import Tabs from "./Tabs.jsx";
import { ApiError } from "../lib/api.js";

const metric = {
  value: 0.0428, unit: "ratio", formula: "emi_monthly_total / avg_monthly_business_credits",
  inputs: { emi_monthly_total: 39544, avg_monthly_business_credits: 924403.7794, months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14] },
  explanation: "Fixed obligations to income.",
};

describe("StateView", () => {
  it("shows a spinner with role=status while loading", () => {
    render(<StateView loading>{() => <p>content</p>}</StateView>);
    expect(screen.getByRole("status")).toHaveTextContent("Loading…");
    expect(screen.queryByText("content")).not.toBeInTheDocument();
  });

  it("shows the API's message in role=alert and retries", async () => {
    const retry = vi.fn();
    render(<StateView error={new ApiError({ status: 403, message: "consent REVOKED for CUST_X" })} onRetry={retry} />);
    expect(screen.getByRole("alert")).toHaveTextContent("consent REVOKED for CUST_X");
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it("shows the empty text, and calls function children only with content", () => {
    const { rerender } = render(<StateView empty emptyText="Nothing here">{() => { throw new Error("must not run"); }}</StateView>);
    expect(screen.getByText("Nothing here")).toBeInTheDocument();
    rerender(<StateView>{() => <p>content</p>}</StateView>);
    expect(screen.getByText("content")).toBeInTheDocument();
  });
});

describe("MetricTile", () => {
  it("shows the formatted value with the formula as tooltip and opens the calculation", async () => {
    render(<MetricTile label="FOIR" metric={metric} as="percent" />);
    const tile = screen.getByRole("button", { name: "FOIR: 4.3%. Show calculation" });
    expect(tile).toHaveAttribute("title", metric.formula);
    await userEvent.click(tile);
    const dialog = screen.getByRole("dialog", { name: "FOIR" });
    expect(within(dialog).getByText(metric.formula)).toBeInTheDocument();
    expect(within(dialog).getByText("9,24,403.7794")).toBeInTheDocument();
    expect(within(dialog).getByText(/… \(14 values\)/)).toBeInTheDocument();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(tile).toHaveFocus();
  });

  it("shows the window a metric covers where the analysis states one", async () => {
    const window = { from: "2025-12", to: "2026-11", months: 12, label: "Dec 2025 – Nov 2026 (12 months)" };
    render(
      <>
        <MetricTile label="ABB" metric={{ value: 413593, unit: "INR", formula: "mean", window }} compact />
        <MetricTile label="FOIR" metric={{ value: 0.07, unit: "ratio", formula: "a / b" }} as="percent" />
      </>,
    );
    const abb = screen.getByRole("button", { name: "ABB: ₹4.14 L (Dec 2025 – Nov 2026 (12 months)). Show calculation" });
    expect(abb).toHaveTextContent("Dec 2025 – Nov 2026 (12 months)");
    await userEvent.click(abb);
    expect(screen.getByRole("dialog", { name: "ABB" })).toHaveTextContent("Window: Dec 2025 – Nov 2026 (12 months)");
    await userEvent.keyboard("{Escape}");
    const foir = screen.getByRole("button", { name: "FOIR: 7.0%. Show calculation" });
    expect(foir).not.toHaveTextContent("undefined");
    expect(foir.querySelector(".metric-window")).toBeNull();
  });

  it("keeps a value's number and unit whole (no break inside +0.63%/month) and dates in the period on one line", () => {
    expect(splitUnit("+0.63%/month")).toEqual(["+0.63%", "/month"]);
    expect(splitUnit("₹50,051/month")).toEqual(["₹50,051", "/month"]);
    expect(splitUnit("36 months")).toEqual(["36 months", null]);
    const window = { label: "trailing 12 complete months (2025-12 to 2026-11)" };
    render(<MetricTile label="GST turnover trend" metric={{ value: 0.63, unit: "% per month", formula: "slope", window }} />);
    const tile = screen.getByRole("button", { name: /^GST turnover trend: \+0\.63%\/month/ });
    expect(tile.querySelector(".metric-number")).toHaveTextContent(/^\+0\.63%$/);
    expect(tile.querySelector(".metric-unit")).toHaveTextContent(/^\/month$/);
    expect(tile.querySelector(".metric-value wbr")).not.toBeNull(); // the only place the value may break
    expect([...tile.querySelectorAll(".metric-window .nowrap")].map((el) => el.textContent)).toEqual(["2025-12", "2026-11"]);
  });

  it("shows a dash and the reason for a missing value, and a disabled tile without a metric", () => {
    render(
      <>
        <MetricTile label="DSCR" metric={{ value: null, unit: "ratio", formula: "a / b", reason: "no EMIs detected" }} />
        <MetricTile label="ABB" metric={undefined} />
      </>,
    );
    expect(screen.getByRole("button", { name: "DSCR: —. Show calculation" })).toHaveTextContent("no EMIs detected");
    expect(screen.getByRole("button", { name: "ABB: —" })).toBeDisabled();
  });

  it("MetricGrid picks percentages and multiples from the key", () => {
    render(<MetricGrid metrics={{ foir: metric, dscr: { ...metric, value: 4.3466 }, income_cv: { ...metric, value: 0.2449 } }} />);
    expect(screen.getByRole("button", { name: /^FOIR: 4.3%/ })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /^DSCR: 4.35×/ })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /^Income CV: 0.24/ })).toBeInTheDocument();
    expect(metricLabel("avg_eod_balance")).toBe("Avg EOD balance");
    expect(metricLabel("gstr1_vs_3b_gap_pct")).toBe("GSTR-1 vs 3B gap %");
    expect(metricLabel("enquiries_3m")).toBe("Enquiries 3 months");
  });
});

describe("Tabs", () => {
  function Harness() {
    const [active, setActive] = useState("a");
    return (
      <Tabs label="Sections" tabs={[{ id: "a", label: "Alpha" }, { id: "b", label: "Beta" }, { id: "c", label: "Gamma" }]}
        active={active} onChange={setActive}>
        <p>panel {active}</p>
      </Tabs>
    );
  }

  it("is a tablist whose arrow keys, Home and End move and select", async () => {
    render(<Harness />);
    const list = screen.getByRole("tablist", { name: "Sections" });
    const alpha = within(list).getByRole("tab", { name: "Alpha" });
    expect(alpha).toHaveAttribute("aria-selected", "true");
    expect(screen.getByRole("tabpanel", { name: "Alpha" })).toHaveTextContent("panel a");
    alpha.focus();
    await userEvent.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Beta" })).toHaveFocus();
    expect(screen.getByRole("tab", { name: "Beta" })).toHaveAttribute("aria-selected", "true");
    await userEvent.keyboard("{End}");
    expect(screen.getByRole("tab", { name: "Gamma" })).toHaveAttribute("aria-selected", "true");
    await userEvent.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Alpha" })).toHaveFocus();
    await userEvent.keyboard("{ArrowLeft}");
    expect(screen.getByRole("tabpanel")).toHaveTextContent("panel c");
    expect(screen.getByRole("tab", { name: "Alpha" })).toHaveAttribute("tabindex", "-1");
  });
});

describe("DataTable", () => {
  const rows = Array.from({ length: 23 }, (_, i) => ({ id: i + 1, name: `Party ${String.fromCharCode(65 + (i % 26))}${i}`, amount: (i * 7919) % 1000 }));
  const columns = [
    { key: "name", header: "Name" },
    { key: "amount", header: "Amount", align: "right" },
  ];

  it("pages, sorts and searches on the client", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
      render(<DataTable caption="Parties" columns={columns} rows={rows} pageSize={10} searchable />);
      const table = screen.getByRole("table", { name: "Parties" });
      expect(within(table).getAllByRole("row")).toHaveLength(11);
      expect(screen.getByText(/1–10 of 23/)).toBeInTheDocument();
      await user.click(screen.getByRole("button", { name: "Next page" }));
      expect(screen.getByText(/11–20 of 23/)).toBeInTheDocument();
      await user.click(screen.getByRole("button", { name: /Amount/ }));
      expect(screen.getByRole("columnheader", { name: /Amount/ })).toHaveAttribute("aria-sort", "ascending");
      expect(screen.getByText(/1–10 of 23/)).toBeInTheDocument();
      const first = within(table).getAllByRole("row")[1];
      expect(first).toHaveTextContent("0");
      await user.click(screen.getByRole("button", { name: /Amount/ }));
      expect(screen.getByRole("columnheader", { name: /Amount/ })).toHaveAttribute("aria-sort", "descending");
      await user.type(screen.getByRole("searchbox", { name: "Search" }), "Party C2");
      await act(async () => { vi.advanceTimersByTime(350); });
      expect(within(table).getAllByRole("row")).toHaveLength(2);
      expect(screen.queryByRole("navigation")).not.toBeInTheDocument();
    } finally {
      vi.useRealTimers();
    }
  });

  it("shows the empty text and a dash for missing cells", () => {
    const { rerender } = render(<DataTable caption="Empty" columns={columns} rows={[]} emptyText="No parties." />);
    expect(screen.getByText("No parties.")).toBeInTheDocument();
    rerender(<DataTable caption="Gaps" columns={columns} rows={[{ id: 1, name: null, amount: undefined }]} />);
    expect(screen.getAllByText("—")).toHaveLength(2);
  });

  it("in server mode hands paging and sorting to the caller", async () => {
    const onPage = vi.fn();
    const onSort = vi.fn();
    render(<DataTable caption="Server" columns={columns} rows={rows.slice(0, 5)} total={120} page={2} pageSize={5}
      onPageChange={onPage} sort={{ key: "name", order: "asc" }} onSortChange={onSort} />);
    expect(screen.getByText(/11–15 of 120/)).toBeInTheDocument();
    expect(screen.getAllByRole("row")).toHaveLength(6);
    await userEvent.click(screen.getByRole("button", { name: "Next page" }));
    expect(onPage).toHaveBeenCalledWith(3);
    await userEvent.click(screen.getByRole("button", { name: /Name/ }));
    expect(onSort).toHaveBeenCalledWith({ key: "name", order: "desc" });
  });
});

describe("Gauge, Badge, ErrorBoundary", () => {
  it("describes the score and band in text", () => {
    render(<Gauge value={549} />);
    expect(screen.getByRole("img", { name: "Credit score 549 on a scale of 300 to 900, band E High risk" })).toBeInTheDocument();
    expect(screen.getByText("Band E · High risk")).toBeInTheDocument();
  });

  it("reads a missing score as not available", () => {
    render(<Gauge value={null} />);
    expect(screen.getByRole("img", { name: "Credit score: not available" })).toBeInTheDocument();
  });

  it("infers tones", () => {
    expect(toneFor("HIGH")).toBe("danger");
    expect(toneFor("active")).toBe("good");
    expect(toneFor(undefined)).toBe("neutral");
    render(<Badge>MEDIUM</Badge>);
    expect(screen.getByText("MEDIUM")).toHaveClass("badge-warning");
  });

  it("catches a rendering error and shows it as an alert", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    function Broken() { throw new Error("cannot read properties of undefined"); }
    render(<ErrorBoundary label="Risk"><Broken /></ErrorBoundary>);
    expect(screen.getByRole("alert")).toHaveTextContent("Risk could not be shown: cannot read properties of undefined");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(screen.getByRole("alert")).toBeInTheDocument(); // still broken: the boundary catches it again
    spy.mockRestore();
  });
});

describe("LiveLog", () => {
  it("says it waits for the first line, then shows each line's IST time, level in words and message", () => {
    const { rerender } = render(<LiveLog lines={[]} label="Job log" />);
    expect(screen.getByRole("log", { name: "Job log" })).toHaveTextContent("No log lines yet.");
    rerender(<LiveLog lines={[]} label="Job log" waiting />);
    expect(screen.getByRole("log")).toHaveTextContent("Waiting for the first log line…");
    rerender(<LiveLog label="Job log" lines={[
      { ts: "2026-11-21T06:45:02.400+00:00", level: "info", message: "[1/1] clean: started" },
      { ts: "2026-11-21T18:31:00Z", level: "bogus", message: "late at night" },
    ]} />);
    const items = screen.getAllByRole("listitem");
    expect(items.map((li) => li.textContent)).toEqual(["12:15:02Info[1/1] clean: started", "00:01:00Infolate at night"]);
    expect(items[0].querySelector("time")).toHaveAttribute("title", "21 Nov 2026, 12:15 IST");
    expect(screen.getByRole("log")).toHaveAttribute("aria-live", "polite");
    expect(formatClockIST("not a time")).toBe("—");
  });
});
