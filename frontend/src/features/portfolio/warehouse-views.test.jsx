import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { stubFetch } from "../../test/fetch-stub.js";
import { saveSession } from "../../lib/session.js";
import WarehouseViews from "./components/warehouse-views.jsx";
import { formatCell, vintageSeries } from "./views-model.js";
import views from "./__fixtures__/views.json";
import mix from "./__fixtures__/view-approval-mix.json";
import vintage from "./__fixtures__/view-vintage.json";

beforeEach(() => saveSession({ token: "analyst-token", role: "analyst" }));
afterEach(() => vi.unstubAllGlobals());

const table = () => within(screen.getByTestId("portfolio-view-table"));

describe("Portfolio views", () => {
  it("shows the first view's rows with units and switches to another view", async () => {
    const fetchMock = stubFetch({
      "/api/portfolio/views": views,
      "/api/portfolio/views/approval_mix_by_month": mix,
      "/api/portfolio/views/vintage_curves": vintage,
    });
    render(<WarehouseViews />);
    expect(await screen.findByText(/per as-of month: how many were approved/)).toBeInTheDocument();
    expect(table().getByRole("columnheader", { name: "Approval rate" })).toBeInTheDocument();
    const november = table().getByText("Nov 2026").closest("tr");
    expect(within(november).getByText("33.3%")).toBeInTheDocument();
    expect(within(november).getByText("₹31,28,000")).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /^Decisions by month\. Oct 2026: 3 approved/ })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Approval and decline mix by month" })).toHaveAttribute("aria-pressed", "true");

    await userEvent.click(screen.getByRole("button", { name: "Vintage curves" }));
    expect(await screen.findByRole("img", { name: /Cumulative 30\+ DPD rate by months on book/ })).toBeInTheDocument();
    expect(table().getByRole("columnheader", { name: "Disbursed in" })).toBeInTheDocument();
    expect(table().getAllByText("Sep 2025")).toHaveLength(3);
    expect(table().getByText("50.0%")).toBeInTheDocument();
    const paths = fetchMock.mock.calls.map(([u]) => new URL(u, "http://localhost").pathname);
    expect(paths).toEqual(["/api/portfolio/views", "/api/portfolio/views/approval_mix_by_month",
      "/api/portfolio/views/vintage_curves"]);
  });

  it("tells how to build a warehouse that was never built", async () => {
    stubFetch({ "/api/portfolio/views": { views: views.views, built_at: null } });
    render(<WarehouseViews />);
    expect(await screen.findByTestId("warehouse-not-built")).toHaveTextContent("python -m pipeline warehouse build");
  });

  it("shows the API's message when a view fails", async () => {
    stubFetch({
      "/api/portfolio/views": views,
      "/api/portfolio/views/approval_mix_by_month": { status: 409, body: { error: "warehouse_not_built",
        message: "the warehouse has not been built yet: run `python -m pipeline warehouse build`" } },
    });
    render(<WarehouseViews />);
    expect(await screen.findByText(/has not been built yet/)).toBeInTheDocument();
  });
});

describe("views model", () => {
  it("formats cells by the column's unit and turns vintage rows into one series per cohort", () => {
    expect(formatCell("exposure_inr", 3998000)).toBe("₹39,98,000");
    expect(formatCell("avg_pd", 0.0475)).toBe("4.8%");
    expect(formatCell("segment_type", "size_band")).toBe("Size (annual turnover)");
    expect(formatCell("hhi", 10000)).toBe("10,000");
    expect(vintageSeries(vintage)).toEqual({ cohorts: ["2025-09"], points: [
      { months_on_book: 0, "2025-09": 0 }, { months_on_book: 1, "2025-09": 0 }, { months_on_book: 2, "2025-09": 50 }] });
  });
});
