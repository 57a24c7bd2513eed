import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getRole, getToken, hasRole, signIn, signOut } from "./auth.js";

describe("auth.js", () => {
  let fetchMock;

  beforeEach(() => {
    fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
  });

  afterEach(() => vi.unstubAllGlobals());

  it("verifies a token with whoami and stores token and role", async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ role: "analyst", label: "env-analyst" }), { status: 200 }));
    await expect(signIn("  analyst-token \n")).resolves.toEqual({ role: "analyst", label: "env-analyst" });
    expect(fetchMock.mock.calls[0][0]).toBe("/api/whoami");
    expect(fetchMock.mock.calls[0][1].headers.Authorization).toBe("Bearer analyst-token");
    expect(getToken()).toBe("analyst-token");
    expect(getRole()).toBe("analyst");
    expect(sessionStorage.getItem("msme.role")).toBe("analyst");
    signOut();
    expect(getToken()).toBeNull();
    expect(getRole()).toBeNull();
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
