import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, apiGet, apiGetFile, apiGetText, apiPost, buildUrl, filenameFrom } from "./api.js";
import { readSession, saveSession, takeEndReason } from "./session.js";

function jsonResponse(status, body, statusText = "") {
  return new Response(JSON.stringify(body), { status, statusText, headers: { "Content-Type": "application/json" } });
}

describe("api.js", () => {
  let fetchMock;

  beforeEach(() => {
    fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
    saveSession({ token: "tok-1", role: "analyst" });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("sends the bearer token and query parameters, and parses JSON", async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { customers: [], count: 0 }));
    const body = await apiGet("/api/transactions", { customer_id: "CUST_MSM_00001", q: "", limit: 50, sort: null });
    expect(body).toEqual({ customers: [], count: 0 });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe("/api/transactions?customer_id=CUST_MSM_00001&limit=50");
    expect(init.method).toBe("GET");
    expect(init.headers.Authorization).toBe("Bearer tok-1");
    expect(init.body).toBeUndefined();
  });

  it("fetches a file with the token and names it from Content-Disposition", async () => {
    fetchMock.mockResolvedValue(new Response("%PDF-1.4 memo", {
      status: 200, headers: { "Content-Type": "application/pdf", "Content-Disposition": "attachment; filename=credit-memo-CUST_MSM_00001.pdf" },
    }));
    const { blob, filename } = await apiGetFile("/api/credit-memo", { customer_id: "CUST_MSM_00001" });
    expect(filename).toBe("credit-memo-CUST_MSM_00001.pdf");
    expect(await blob.text()).toBe("%PDF-1.4 memo");
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe("/api/credit-memo?customer_id=CUST_MSM_00001");
    expect(init.headers.Authorization).toBe("Bearer tok-1");
  });

  it("turns a file request's JSON error into an ApiError", async () => {
    fetchMock.mockResolvedValue(jsonResponse(404, { error: "analytics_not_found", message: "run the models step" }));
    await expect(apiGetFile("/api/credit-memo", { customer_id: "CUST_MSM_00009" }))
      .rejects.toMatchObject({ status: 404, code: "analytics_not_found", message: "run the models step" });
  });

  it("reads file names from Content-Disposition", () => {
    expect(filenameFrom('attachment; filename="a b.pdf"')).toBe("a b.pdf");
    expect(filenameFrom("attachment; filename*=UTF-8''credit%20memo.pdf")).toBe("credit memo.pdf");
    expect(filenameFrom("inline")).toBeNull();
    expect(filenameFrom(null)).toBeNull();
  });

  it("posts JSON bodies", async () => {
    fetchMock.mockResolvedValue(jsonResponse(202, { job_id: "job_1", status: "pending" }));
    const body = await apiPost("/api/pipeline/analyze", { customer_id: "CUST_MSM_00001" });
    expect(body.job_id).toBe("job_1");
    const [, init] = fetchMock.mock.calls[0];
    expect(init.method).toBe("POST");
    expect(init.headers["Content-Type"]).toBe("application/json");
    expect(JSON.parse(init.body)).toEqual({ customer_id: "CUST_MSM_00001" });
  });

  it("throws ApiError with the API's code, message and field", async () => {
    fetchMock.mockResolvedValue(jsonResponse(400, { error: "missing_field", message: "customer_id is required", field: "customer_id" }));
    const error = await apiPost("/api/ai-insights", {}).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe("missing_field");
    expect(error.message).toBe("customer_id is required");
    expect(error.field).toBe("customer_id");
    expect(readSession().token).toBe("tok-1");
  });

  it("keeps the session on 403 and 404", async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(403, { error: "forbidden", message: "this needs the admin role; your token has analyst" }));
    await expect(apiGet("/api/audit")).rejects.toMatchObject({ status: 403, code: "forbidden", message: "this needs the admin role; your token has analyst" });
    fetchMock.mockResolvedValueOnce(jsonResponse(404, { error: "customer_not_found", message: "customer CUST_MSM_99999 not found" }));
    await expect(apiGet("/api/credit-score", { customer_id: "CUST_MSM_99999" })).rejects.toMatchObject({ status: 404, code: "customer_not_found" });
    expect(readSession().token).toBe("tok-1");
  });

  it("signs the user out on 401 and says why", async () => {
    const seen = [];
    fetchMock.mockResolvedValue(jsonResponse(401, { error: "unauthorized", message: "invalid or revoked token" }));
    await expect(apiGet("/api/customers")).rejects.toMatchObject({ status: 401, message: "invalid or revoked token" });
    expect(readSession().token).toBeNull();
    seen.push(takeEndReason());
    expect(seen[0]).toMatch(/invalid or revoked token/);
  });

  it("does not clear the session when verifying an explicit token", async () => {
    fetchMock.mockResolvedValue(jsonResponse(401, { error: "unauthorized", message: "invalid or revoked token" }));
    await expect(apiGet("/api/whoami", null, { token: "other" })).rejects.toMatchObject({ status: 401 });
    expect(fetchMock.mock.calls[0][1].headers.Authorization).toBe("Bearer other");
    expect(readSession().token).toBe("tok-1");
  });

  it("explains a non-JSON error body by its status", async () => {
    fetchMock.mockResolvedValue(new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    const error = await apiGet("/api/health").catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(502);
    expect(error.code).toBe("http_502");
    expect(error.message).toMatch(/not answering \(502 Bad Gateway\)/);
  });

  it("uses a plain status message when the JSON error has no message", async () => {
    fetchMock.mockResolvedValue(jsonResponse(500, { oops: true }, "Internal Server Error"));
    await expect(apiGet("/api/health")).rejects.toMatchObject({ status: 500, code: "http_500", message: "The request failed (500 Internal Server Error)" });
  });

  it("turns a network failure into a readable ApiError", async () => {
    fetchMock.mockRejectedValue(new TypeError("Failed to fetch"));
    await expect(apiGet("/api/health")).rejects.toMatchObject({ status: 0, code: "network_error", message: expect.stringMatching(/Cannot reach the API server/) });
  });

  it("rethrows aborts untouched", async () => {
    const abort = new DOMException("The operation was aborted.", "AbortError");
    fetchMock.mockRejectedValue(abort);
    await expect(apiGet("/api/health")).rejects.toBe(abort);
  });

  it("rejects a success response that is not JSON", async () => {
    fetchMock.mockResolvedValue(new Response("not json", { status: 200 }));
    await expect(apiGet("/api/health")).rejects.toMatchObject({ code: "invalid_response" });
  });

  it("reads text responses", async () => {
    fetchMock.mockResolvedValue(new Response("# Methodology", { status: 200, headers: { "Content-Type": "text/markdown" } }));
    await expect(apiGetText("/api/methodology")).resolves.toBe("# Methodology");
  });

  it("builds URLs without empty parameters", () => {
    expect(buildUrl("/api/x")).toBe("/api/x");
    expect(buildUrl("/api/x", { a: "", b: undefined })).toBe("/api/x");
    expect(buildUrl("/api/x?y=1", { q: "a b&c" })).toBe("/api/x?y=1&q=a+b%26c");
  });
});
