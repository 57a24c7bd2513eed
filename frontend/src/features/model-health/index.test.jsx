import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { stubFetch } from "../../test/fetch-stub.js";
import report from "./__fixtures__/model-health.json";
import { statusOf, trendPoints } from "./model.js";

const { default: ModelHealthPage } = await import("./index.jsx");
const { saveSession } = await import("../../lib/session.js");

beforeEach(() => saveSession({ token: "analyst-token", role: "analyst" }));
afterEach(() => vi.unstubAllGlobals());

// the fixture is a real report: a model trained on a 40-customer portfolio; 2026-11 scores the same customers,
// 2026-12 a riskier population, 2027-01 only five customers (tests/monitoring/test_drift.py builds the same lake)
describe("Model Health", () => {
  it("shows the model, the months with their status, and says the latest month has too few customers", async () => {
    const fetchMock = stubFetch({ "/api/model-health": report });
    render(<ModelHealthPage role="analyst" />);
    expect(screen.getByRole("status")).toHaveTextContent("Loading the model's health");
    expect(await screen.findByText(/Latest month: Too few scored/)).toBeInTheDocument();
    expect(screen.getByText(/Only 5 customers were scored this month/)).toBeInTheDocument();
    expect(String(fetchMock.mock.calls[0][0])).toContain("/api/model-health?months=12");
    expect(screen.getByText(new RegExp(`Risk model ${report.model.version.replace("+", "\\+")}`))).toBeInTheDocument();
    const months = within(screen.getByRole("table", { name: "Population stability by month" }));
    const rows = months.getAllByRole("row").slice(1);
    expect(rows.map((r) => r.dataset.month)).toEqual(["2026-11", "2026-12", "2027-01"]);
    expect(within(rows[0]).getByText("Stable")).toBeInTheDocument();
    expect(within(rows[1]).getByText("Act")).toBeInTheDocument();
    expect(within(rows[2]).getByText("Too few scored")).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /Population stability by month\. 3 months; .*watch from 0\.1, act from 0\.25/ })).toBeInTheDocument();
    expect(screen.getByTestId("calculation")).toHaveTextContent("(a - e) * ln(a / e)");
  });

  it("opens a month: its plain-language summary, top drivers and every input's PSI, largest first", async () => {
    stubFetch({ "/api/model-health": report });
    render(<ModelHealthPage role="analyst" />);
    await userEvent.click(await screen.findByRole("button", { name: "Dec 2026" }));
    expect(screen.getByText(/differ markedly from those the model was trained on/)).toBeInTheDocument();
    const shifted = report.months.find((m) => m.month === "2026-12");
    const inputs = within(screen.getByRole("region", { name: "Input stability in 2026-12" }));
    const shown = inputs.getAllByRole("row").slice(1).map((r) => r.dataset.feature);
    expect(shown).toEqual(shifted.features.map((f) => f.feature));
    const drivers = within(screen.getByRole("region", { name: "Top drivers in 2026-12" }));
    expect(drivers.getAllByRole("row")).toHaveLength(shifted.top_drivers.length + 1);
    expect(drivers.getByText(shifted.top_drivers[0].description)).toBeInTheDocument();
  });

  it("shows the API's message when the model has no reference profile", async () => {
    stubFetch({ "/api/model-health": { status: 404, body: { error: "no_reference_profile",
      message: "no reference profile for risk_model in this lake: train the model again" } } });
    render(<ModelHealthPage role="analyst" />);
    expect(await screen.findByRole("alert")).toHaveTextContent("no reference profile for risk_model");
  });
});

describe("model health helpers", () => {
  it("reads statuses in plain words and builds one chart point per month", () => {
    expect(statusOf("act").label).toBe("Act");
    expect(statusOf("nonsense").label).toBe("Too few scored");
    const points = trendPoints([{ month: "2026-11", score_psi: 0.3, n_scored: 40, status: "act",
      top_drivers: [{ csi: 0.1 }, { csi: 0.4 }] },
    { month: "2026-12", score_psi: 5.7, n_scored: 2, status: "insufficient", top_drivers: [{ csi: 3 }] }]);
    expect(points).toEqual([{ month: "2026-11", score: 0.3, driver: 0.4, status: "act", n: 40 },
      { month: "2026-12", score: null, driver: null, status: "insufficient", n: 2 }]);
  });
});
