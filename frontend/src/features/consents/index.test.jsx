import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import ConsentsPage from "./index.jsx";
import { dataLifeText, formatIST } from "./api.js";
import { consentRequest } from "./components/consent-form.jsx";
import consents from "./__fixtures__/consents.json";
import consentsRevoked from "./__fixtures__/consents-revoked.json";
import audit from "./__fixtures__/audit.json";
import auditRevoked from "./__fixtures__/audit-revoked.json";
import notFound from "./__fixtures__/not-found.json";

// the one shared socket is not opened in these tests (the AA card follows the customer through it)
vi.mock("../../lib/socket.js", () => ({ followCustomer: () => () => {} }));

function json(body, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/**
 * Stub `fetch` by "METHOD path"; a route is `{status, body}` or a function of (url, init) returning one. The AA
 * card's journey is "none requested yet" unless a test says otherwise.
 */
function stubApi(given) {
  const routes = { "GET /api/aa/consents": { body: { customer_id: CUSTOMER, aa: { base_url: "http://127.0.0.1:7070" }, journey: null } }, ...given };
  const fetchMock = vi.fn((url, init = {}) => {
    const key = `${init.method || "GET"} ${String(url).split("?")[0]}`;
    let route = routes[key];
    if (typeof route === "function") route = route(url, init);
    if (route instanceof Promise) return route;
    if (!route) return Promise.resolve(json({ error: "not_found", message: `no route ${key}` }, 404));
    return Promise.resolve(json(route.body, route.status ?? 200));
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

afterEach(() => vi.unstubAllGlobals());

const CUSTOMER = "CUST_MSM_00006";
const consent = consents.consents[0];

describe("Consents & Audit", () => {
  it("shows loading statuses while the consents and the audit trail load", () => {
    stubApi({ "GET /api/consents": () => new Promise(() => {}), "GET /api/audit": () => new Promise(() => {}),
      "GET /api/aa/consents": () => new Promise(() => {}) });
    render(<ConsentsPage customerId={CUSTOMER} role="admin" />);
    expect(screen.getAllByRole("status")).toHaveLength(3); // the AA journey, the consents, the audit trail
  });

  it("lists the consents with status, purpose, FI types, data range and DataLife, and the audit trail", async () => {
    const fetchMock = stubApi({ "GET /api/consents": { body: consents }, "GET /api/audit": { body: audit } });
    render(<ConsentsPage customerId={CUSTOMER} role="admin" />);
    const table = await screen.findByRole("table", { name: "Consent artefacts" });
    const row = within(table).getAllByRole("row")[1];
    expect(row).toHaveTextContent("ACTIVE");
    expect(row).toHaveTextContent("104 Explicit consent for monitoring of the accounts");
    expect(row).toHaveTextContent("DEPOSIT, GSTR1_3B, MUTUAL_FUNDS, INSURANCE_POLICIES, BUREAU, OCEN, ONDC");
    expect(row).toHaveTextContent("01 Nov 2023 – 31 Oct 2026");
    expect(row).toHaveTextContent("1 year");
    expect(row).toHaveTextContent("Periodic (monthly)");
    const trail = await screen.findByRole("table", { name: "Audit trail" });
    expect(within(trail).getAllByRole("row")).toHaveLength(audit.entries.length + 1);
    expect(within(trail).getAllByText("dataset:clean/transactions").length).toBeGreaterThan(0);
    expect(within(trail).getAllByText(/IST$/).length).toBe(audit.entries.length);
    expect(fetchMock.mock.calls.map(([u]) => u)).toContain(`/api/consents?customer_id=${CUSTOMER}`);
  });

  it("shows the API's error for an unknown customer", async () => {
    stubApi({ "GET /api/consents": { status: 404, body: notFound }, "GET /api/audit": { status: 404, body: notFound },
      "GET /api/aa/consents": { status: 404, body: notFound } });
    render(<ConsentsPage customerId="CUST_ZZZ_99999" role="admin" />);
    await waitFor(() => expect(screen.getAllByRole("alert")).toHaveLength(3));
    screen.getAllByRole("alert").forEach((alert) => expect(alert).toHaveTextContent("customer CUST_ZZZ_99999 not found"));
  });

  it("shows an empty consent list and audit trail", async () => {
    stubApi({
      "GET /api/consents": { body: { customer_id: CUSTOMER, consents: [] } },
      "GET /api/audit": { body: { customer_id: CUSTOMER, total: 0, entries: [] } },
    });
    render(<ConsentsPage customerId={CUSTOMER} role="admin" />);
    expect(await screen.findByText("This customer has no consent on record.")).toBeInTheDocument();
    expect(await screen.findByText("Nothing recorded for this customer yet.")).toBeInTheDocument();
  });

  it("revokes only after a confirmation that says the data will be erased from every layer", async () => {
    let revokedOnServer = false;
    const fetchMock = stubApi({
      "GET /api/consents": () => ({ body: revokedOnServer ? consentsRevoked : consents }),
      "GET /api/audit": () => ({ body: revokedOnServer ? auditRevoked : audit }),
      [`POST /api/consents/${consent.consentId}/revoke`]: () => {
        revokedOnServer = true;
        return { body: { consent: { ...consent, status: "REVOKED", effectiveStatus: "REVOKED" }, customer_id: CUSTOMER,
          erased_layers: ["raw", "clean", "quarantine", "analytics", "logs"] } };
      },
    });
    const user = userEvent.setup();
    render(<ConsentsPage customerId={CUSTOMER} role="admin" />);
    await user.click(await screen.findByRole("button", { name: /Revoke consent/ }));
    const dialog = screen.getByRole("dialog", { name: "Revoke consent and erase data?" });
    expect(dialog).toHaveTextContent("All of this customer's data will be erased from every layer of the lake");
    expect(dialog).toHaveTextContent("cannot be undone");
    // cancelling changes nothing
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === "POST")).toBe(false);
    await user.click(screen.getByRole("button", { name: /Revoke consent/ }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Revoke and erase data" }));
    expect(await screen.findByText(`${CUSTOMER}'s data was erased from: raw, clean, quarantine, analytics, logs.`)).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByText("REVOKED").length).toBeGreaterThan(0));
    const trail = screen.getByRole("table", { name: "Audit trail" });
    expect(await within(trail).findAllByText("Erase")).not.toHaveLength(0);
  });

  it("keeps the dialog open with the API's message when the revocation fails", async () => {
    stubApi({
      "GET /api/consents": { body: consents },
      "GET /api/audit": { body: audit },
      [`POST /api/consents/${consent.consentId}/revoke`]: { status: 404, body: { error: "consent_not_found", message: `consent ${consent.consentId} not found` } },
    });
    const user = userEvent.setup();
    render(<ConsentsPage customerId={CUSTOMER} role="admin" />);
    await user.click(await screen.findByRole("button", { name: /Revoke consent/ }));
    await user.click(screen.getByRole("button", { name: "Revoke and erase data" }));
    expect(await within(screen.getByRole("dialog")).findByRole("alert")).toHaveTextContent(`consent ${consent.consentId} not found`);
  });

  it("creates a consent from the form", async () => {
    let sent = null;
    stubApi({
      "GET /api/consents": { body: consents },
      "GET /api/audit": { body: audit },
      "POST /api/consents": (url, init) => {
        sent = JSON.parse(init.body);
        return { status: 201, body: { ...consent, consentId: "b0f3fba0-d6c8-4c02-b906-833792b34102", effectiveStatus: "ACTIVE" } };
      },
    });
    const user = userEvent.setup();
    render(<ConsentsPage customerId={CUSTOMER} role="admin" />);
    const form = await screen.findByRole("form", { name: "Create a consent" });
    await user.selectOptions(within(form).getByLabelText("Purpose"), "105");
    await user.selectOptions(within(form).getByLabelText("Fetch type"), "ONETIME");
    await user.clear(within(form).getByLabelText("DataLife value"));
    await user.type(within(form).getByLabelText("DataLife value"), "6");
    await user.selectOptions(within(form).getByLabelText("DataLife unit"), "MONTH");
    for (const type of ["GSTR1_3B", "MUTUAL_FUNDS", "INSURANCE_POLICIES", "OCEN", "ONDC"]) {
      await user.click(within(form).getByRole("checkbox", { name: new RegExp(type) }));
    }
    await user.click(within(form).getByRole("button", { name: "Create consent" }));
    expect(await within(form).findByRole("status")).toHaveTextContent("Consent b0f3fba0-d6c8-4c02-b906-833792b34102 created and ACTIVE.");
    expect(sent).toEqual({ customer_id: CUSTOMER, purpose: "105", fiTypes: ["DEPOSIT", "BUREAU"], fetchType: "ONETIME",
      DataLife: { unit: "MONTH", value: 6 }, dataRangeMonths: 36 });
  });

  it("needs at least one FI type and shows the API's field error", async () => {
    stubApi({
      "GET /api/consents": { body: consents },
      "GET /api/audit": { body: audit },
      "POST /api/consents": { status: 400, body: { error: "invalid_consent", field: "purpose", message: "purpose must be one of 101, 102, 103, 104, 105" } },
    });
    const user = userEvent.setup();
    render(<ConsentsPage customerId={CUSTOMER} role="admin" />);
    const form = await screen.findByRole("form", { name: "Create a consent" });
    const boxes = within(form).getAllByRole("checkbox");
    for (const box of boxes) await user.click(box);
    expect(within(form).getByRole("alert")).toHaveTextContent("Choose at least one FI type.");
    expect(within(form).getByRole("button", { name: "Create consent" })).toBeDisabled();
    await user.click(boxes[0]);
    await user.click(within(form).getByRole("button", { name: "Create consent" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("purpose: purpose must be one of 101, 102, 103, 104, 105");
  });
});

describe("consent helpers", () => {
  it("reads DataLife and timestamps the way people say them", () => {
    expect(dataLifeText({ unit: "YEAR", value: 1 })).toBe("1 year");
    expect(dataLifeText({ unit: "MONTH", value: 6 })).toBe("6 months");
    expect(dataLifeText({ unit: "INF", value: 0 })).toBe("until the consent ends");
    expect(formatIST("2026-11-21T06:39:33+00:00")).toBe("21 Nov 2026, 12:09 IST");
    expect(formatIST(null)).toBe("—");
    expect(consentRequest("CUST_MSM_00001", { purpose: "103", fiTypes: ["DEPOSIT"], fetchType: "ONETIME", lifeUnit: "INF", lifeValue: 3, months: "12" }))
      .toEqual({ customer_id: "CUST_MSM_00001", purpose: "103", fiTypes: ["DEPOSIT"], fetchType: "ONETIME", DataLife: { unit: "INF", value: 0 }, dataRangeMonths: 12 });
  });
});
