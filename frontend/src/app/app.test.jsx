import { beforeEach, describe, expect, it } from "vitest";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import App from "./App.jsx";
import Shell from "./Shell.jsx";
import { resolveTab, TABS, visibleTabs } from "./tabs.js";
import { readUrlState } from "./url-state.js";
import { saveSession } from "../lib/session.js";
import { pending, stubFetch } from "../test/fetch-stub.js";
import customers from "./__fixtures__/customers.json";
import cases from "../features/casefile/__fixtures__/cases.json";

function Page({ customerId, role }) {
  return <p>page for {customerId || "nobody"} as {role}</p>;
}
const fakeTab = (id, label, minRole, needsCustomer = true, order = 0) => ({ id, label, minRole, needsCustomer, order, page: Page });
const TEST_TABS = [
  fakeTab("case", "Case File", "officer", true, 5),
  fakeTab("insights", "Analytics Insights", "officer", true, 10),
  fakeTab("profile", "Customer Profile", "officer", true, 20),
  fakeTab("pipeline", "Pipeline Monitor", "analyst", false, 80),
  fakeTab("datasets", "Dataset Viewer", "analyst", true, 90),
  fakeTab("consents", "Consents & Audit", "admin", true, 100),
];

function renderShell(role = "officer", tabs = TEST_TABS) {
  saveSession({ token: `${role}-token`, role, label: `env-${role}` });
  return render(<Shell session={{ token: `${role}-token`, role, label: `env-${role}` }} tabs={tabs} />);
}

beforeEach(() => {
  window.history.replaceState(null, "", "/");
});

describe("tabs.js", () => {
  it("shows each role its tabs in order", () => {
    expect(visibleTabs("officer", TEST_TABS).map((t) => t.id)).toEqual(["case", "insights", "profile"]);
    expect(visibleTabs("analyst", TEST_TABS).map((t) => t.id)).toEqual(["case", "insights", "profile", "pipeline", "datasets"]);
    expect(visibleTabs("admin", TEST_TABS).map((t) => t.id)).toEqual(["case", "insights", "profile", "pipeline", "datasets", "consents"]);
    expect(visibleTabs(null, TEST_TABS)).toEqual([]);
  });

  it("falls back to the landing tab for unknown or forbidden tabs", () => {
    expect(resolveTab("consents", "officer", TEST_TABS).id).toBe("insights");
    expect(resolveTab("nope", "admin", TEST_TABS).id).toBe("insights");
    expect(resolveTab("datasets", "analyst", TEST_TABS).id).toBe("datasets");
  });

  it("every real tab has a unique id, a label, a known role and a lazy page", () => {
    const ids = TABS.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    TABS.forEach((t) => {
      expect(t.label).toBeTruthy();
      expect(["officer", "analyst", "admin"]).toContain(t.minRole);
      expect(t.page).toBeTruthy();
    });
    expect(visibleTabs("officer")[0].id).toBe("case"); // a case opens on the officer's decision and history
    expect(resolveTab(null, "officer").id).toBe("insights"); // a link without a tab lands on the insights
  });
});

describe("sign-in", () => {
  it("verifies the token, shows the role and signs out", async () => {
    const fetchMock = stubFetch({
      "/api/whoami": (url, init) => (init.headers.Authorization === "Bearer analyst-token"
        ? { role: "analyst", label: "env-analyst" }
        : { status: 401, body: { error: "unauthorized", message: "invalid or revoked token" } }),
      "/api/customers": customers,
    });
    const user = userEvent.setup();
    render(<App />);
    expect(screen.getByRole("heading", { name: "MSME Lending Dashboard" })).toBeInTheDocument();
    await user.type(screen.getByLabelText("API token"), "wrong");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("invalid or revoked token");
    await user.clear(screen.getByLabelText("API token"));
    await user.type(screen.getByLabelText("API token"), "analyst-token");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Signed in as")).toBeInTheDocument();
    expect(screen.getByText("Analyst")).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Pipeline Monitor" })).toBeInTheDocument();
    expect(screen.queryByRole("tab", { name: "Consents & Audit" })).not.toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([u]) => String(u).startsWith("/api/customers"))).toBe(true);
    await user.click(screen.getByRole("button", { name: "Sign out" }));
    expect(screen.getByLabelText("API token")).toBeInTheDocument();
    expect(sessionStorage.getItem("msme.token")).toBeNull();
  });

  it("shows a scoped token's scope beside the role, and nothing for the whole book", async () => {
    stubFetch({ "/api/whoami": { role: "officer", label: "blr", scope: ["branch:BLR01"] }, "/api/customers": customers });
    const user = userEvent.setup();
    render(<App />);
    await user.type(screen.getByLabelText("API token"), "scoped-token");
    await user.keyboard("{Enter}");
    expect(await screen.findByText("Branch BLR01")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Sign out" }));
    stubFetch({ "/api/whoami": { role: "officer", label: "all", scope: null }, "/api/customers": customers });
    await user.type(screen.getByLabelText("API token"), "whole-book");
    await user.keyboard("{Enter}");
    expect(await screen.findByText("Signed in as")).toBeInTheDocument();
    expect(screen.queryByText(/^Branch /)).not.toBeInTheDocument();
  });

  it("keeps a shared link's customer and tab through sign-in", async () => {
    window.history.replaceState(null, "", "/?customer_id=CUST_MSM_00006&tab=profile");
    stubFetch({ "/api/whoami": { role: "officer", label: "env-officer" }, "/api/customers": customers });
    const user = userEvent.setup();
    render(<App />);
    await user.type(screen.getByLabelText("API token"), "officer-token");
    await user.keyboard("{Enter}");
    expect(await screen.findByRole("tab", { name: "Customer Profile", selected: true })).toBeInTheDocument();
    expect(await screen.findByRole("heading", { name: "Apex Electricals" })).toBeInTheDocument();
    expect(readUrlState()).toEqual({ customerId: "CUST_MSM_00006", tab: "profile" });
  });

  it("returns to sign-in with the reason when the server ends the session", async () => {
    stubFetch({ "/api/customers": { status: 401, body: { error: "unauthorized", message: "invalid or revoked token" } } });
    saveSession({ token: "old", role: "officer" });
    render(<App />);
    expect(await screen.findByLabelText("API token")).toBeInTheDocument();
    expect(screen.getByText(/You were signed out: invalid or revoked token/)).toBeInTheDocument();
  });
});

describe("shell", () => {
  it("lands on the case list and opens a case on its Case File", async () => {
    stubFetch({ "/api/customers": customers, "/api/cases": cases });
    const user = userEvent.setup();
    renderShell("officer");
    expect(screen.getAllByRole("tab").map((t) => t.textContent)).toEqual(["Case File", "Analytics Insights", "Customer Profile"]);
    const list = await screen.findByRole("region", { name: "Cases" });
    const row = (await within(list).findByRole("button", { name: /Open the case of Om Tirupati Wood Works/ })).closest("tr");
    expect(within(row).getByText("Approve with conditions")).toBeInTheDocument();
    expect(within(row).getByText("MODERATE · PD 6.2%")).toBeInTheDocument();
    expect(within(row).getByText("Decline")).toBeInTheDocument();
    expect(within(row).getByText("Differs")).toBeInTheDocument();
    await user.click(within(row).getByText("MODERATE · PD 6.2%")); // anywhere on the row
    expect(readUrlState()).toEqual({ customerId: "CUST_MSM_00003", tab: "case" });
    expect(await screen.findByText("page for CUST_MSM_00003 as officer")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "All cases" }));
    expect(readUrlState().customerId).toBeNull();
    expect(await screen.findByRole("region", { name: "Cases" })).toBeInTheDocument();
  });

  it("loads the customer and tab of the URL and shows the header", async () => {
    window.history.replaceState(null, "", "/?customer_id=CUST_MSM_00006&tab=datasets");
    stubFetch({ "/api/customers": customers });
    renderShell("analyst");
    expect(screen.getByText("page for CUST_MSM_00006 as analyst")).toBeInTheDocument();
    const header = screen.getByRole("region", { name: "Selected customer" });
    expect(await within(header).findByRole("heading", { name: "Apex Electricals" })).toBeInTheDocument();
    expect(within(header).getByText("ACTIVE")).toBeInTheDocument();
    expect(within(header).getByText("CUST_MSM_00006")).toBeInTheDocument();
  });

  it("replaces a tab the role may not see with the landing tab", () => {
    window.history.replaceState(null, "", "/?customer_id=CUST_MSM_00001&tab=consents");
    stubFetch({ "/api/customers": customers });
    renderShell("officer");
    expect(screen.getByRole("tab", { name: "Analytics Insights", selected: true })).toBeInTheDocument();
    expect(readUrlState().tab).toBe("insights");
  });

  it("keeps tab and customer in the URL and follows Back and Forward", async () => {
    stubFetch({ "/api/customers": customers });
    const user = userEvent.setup();
    window.history.replaceState(null, "", "/?customer_id=CUST_MSM_00001");
    renderShell("officer");
    await user.click(screen.getByRole("tab", { name: "Customer Profile" }));
    expect(window.location.search).toBe("?customer_id=CUST_MSM_00001&tab=profile");
    expect(screen.getByRole("tab", { name: "Customer Profile", selected: true })).toBeInTheDocument();
    act(() => {
      window.history.back();
    });
    await waitFor(() => expect(screen.getByRole("tab", { name: "Analytics Insights", selected: true })).toBeInTheDocument());
    act(() => {
      window.history.forward();
    });
    await waitFor(() => expect(screen.getByRole("tab", { name: "Customer Profile", selected: true })).toBeInTheDocument());
  });

  it("shows the customer-list error but still opens a typed id", async () => {
    stubFetch({ "/api/customers": { status: 500, body: { error: "internal_error", message: "the server could not complete the request" } } });
    const user = userEvent.setup();
    renderShell("officer");
    const box = screen.getByRole("combobox", { name: "Customer" });
    await user.click(box);
    expect(await screen.findByText(/the server could not complete the request/)).toBeInTheDocument();
    await user.type(box, "cust_msm_00003{Enter}");
    expect(screen.getByText("page for CUST_MSM_00003 as officer")).toBeInTheDocument();
  });
});

describe("customer picker", () => {
  it("filters by name or id, moves with the arrows and loads with Enter", async () => {
    stubFetch({ "/api/customers": customers });
    const user = userEvent.setup();
    renderShell("officer");
    const box = screen.getByRole("combobox", { name: "Customer" });
    await user.click(box);
    const list = await screen.findByRole("listbox", { name: "Customers" });
    await waitFor(() => expect(within(list).getAllByRole("option")).toHaveLength(customers.customers.length));
    expect(box).toHaveAttribute("aria-expanded", "true");
    await user.type(box, "apex");
    expect(within(list).getAllByRole("option")).toHaveLength(1);
    expect(within(list).getByRole("option")).toHaveTextContent("Apex Electricals");
    expect(within(list).getByRole("option")).toHaveTextContent("CUST_MSM_00006");
    expect(within(list).getByRole("option")).toHaveTextContent("ACTIVE");
    expect(within(list).getByRole("option")).toHaveTextContent(/last run done/);
    await user.keyboard("{Enter}");
    expect(screen.getByText("page for CUST_MSM_00006 as officer")).toBeInTheDocument();
    expect(readUrlState().customerId).toBe("CUST_MSM_00006");
    expect(box).toHaveValue("");

    await user.type(box, "CUST_MSM_0000");
    await user.keyboard("{ArrowDown}{ArrowDown}");
    const options = within(list).getAllByRole("option");
    expect(options[1]).toHaveAttribute("aria-selected", "true");
    expect(box).toHaveAttribute("aria-activedescendant", options[1].id);
    await user.keyboard("{Enter}");
    expect(screen.getByText(`page for ${customers.customers[1].customer_id} as officer`)).toBeInTheDocument();

    await user.type(box, "zzz");
    expect(within(list).getByText(/No customer matches/)).toBeInTheDocument();
    await user.keyboard("{Escape}");
    expect(box).toHaveAttribute("aria-expanded", "false");
  });

  it("selects with the mouse", async () => {
    stubFetch({ "/api/customers": customers });
    const user = userEvent.setup();
    renderShell("officer");
    await user.click(screen.getByRole("combobox", { name: "Customer" }));
    await user.click(await screen.findByRole("option", { name: /Apex Electricals/ }));
    expect(screen.getByText("page for CUST_MSM_00006 as officer")).toBeInTheDocument();
  });

  it("says it is loading while the list loads", async () => {
    stubFetch({ "/api/customers": () => pending() });
    const user = userEvent.setup();
    renderShell("officer");
    await user.click(screen.getByRole("combobox", { name: "Customer" }));
    expect(screen.getByText("Loading customers…")).toBeInTheDocument();
  });
});
