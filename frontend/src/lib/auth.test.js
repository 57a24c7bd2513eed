import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { describeScope, getRole, getToken, hasRole, signIn, signOut } from "./auth.js";

describe("auth.js", () => {
  let fetchMock;

  beforeEach(() => {
    fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
  });

  afterEach(() => vi.unstubAllGlobals());

  it("verifies a token with whoami and stores token and role", async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ role: "analyst", label: "env-analyst" }), { status: 200 }));
    await expect(signIn("  analyst-token \n")).resolves.toEqual({ role: "analyst", label: "env-analyst", scope: null });
    expect(fetchMock.mock.calls[0][0]).toBe("/api/whoami");
    expect(fetchMock.mock.calls[0][1].headers.Authorization).toBe("Bearer analyst-token");
    expect(getToken()).toBe("analyst-token");
    expect(getRole()).toBe("analyst");
    expect(sessionStorage.getItem("msme.role")).toBe("analyst");
    signOut();
    expect(getToken()).toBeNull();
    expect(getRole()).toBeNull();
  });

  it("keeps a scoped token's scope and forgets it on sign-out", async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify(
      { role: "officer", label: "blr", scope: ["branch:BLR01", "customer:CUST_MSM_00003"] }), { status: 200 }));
    await expect(signIn("scoped")).resolves.toEqual(
      { role: "officer", label: "blr", scope: "branch:BLR01,customer:CUST_MSM_00003" });
    expect(sessionStorage.getItem("msme.scope")).toBe("branch:BLR01,customer:CUST_MSM_00003");
    signOut();
    expect(sessionStorage.getItem("msme.scope")).toBeNull();
  });

  it("describes a scope in words, and no scope as none", () => {
    expect(describeScope("branch:BLR01,customer:CUST_MSM_00003")).toBe("Branch BLR01 · Customer CUST_MSM_00003");
    expect(describeScope(["branch:MUM01"])).toBe("Branch MUM01");
    expect(describeScope(null)).toBeNull();
    expect(describeScope([])).toBeNull();
  });

  it("refuses an empty token without calling the server", async () => {
    await expect(signIn("   ")).rejects.toMatchObject({ code: "missing_token" });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("stores nothing when the server refuses the token", async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ error: "unauthorized", message: "invalid or revoked token" }), { status: 401 }));
    await expect(signIn("nope")).rejects.toMatchObject({ status: 401, message: "invalid or revoked token" });
    expect(getToken()).toBeNull();
  });

  it("ranks roles officer < analyst < admin", () => {
    expect(hasRole("officer", "officer")).toBe(true);
    expect(hasRole("analyst", "officer")).toBe(false);
    expect(hasRole("analyst", "admin")).toBe(true);
    expect(hasRole("admin", "analyst")).toBe(false);
    expect(hasRole("officer", null)).toBe(false);
    expect(hasRole("superuser", "admin")).toBe(false);
  });
});
