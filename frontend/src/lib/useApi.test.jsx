import { describe, expect, it } from "vitest";
import { act, renderHook, waitFor } from "@testing-library/react";
import { useApi } from "./useApi.js";

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

describe("useApi", () => {
  it("loads, then exposes data", async () => {
    const { result } = renderHook(() => useApi(async () => ({ ok: 1 }), []));
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.data).toEqual({ ok: 1 }));
    expect(result.current.loading).toBe(false);
    expect(result.current.error).toBeNull();
  });

  it("drops a superseded response so one customer's data never shows under another", async () => {
    const calls = { A: deferred(), B: deferred() };
    const { result, rerender } = renderHook(({ id }) => useApi(() => calls[id].promise, [id]), { initialProps: { id: "A" } });
    rerender({ id: "B" });
    await act(async () => calls.B.resolve("data B"));
    await act(async () => calls.A.resolve("data A"));
    expect(result.current.data).toBe("data B");
  });

  it("exposes errors and keeps old data on reload", async () => {
    let n = 0;
    const { result } = renderHook(() => useApi(async () => {
      n += 1;
      if (n === 2) throw new Error("boom");
      return `data ${n}`;
    }, []));
    await waitFor(() => expect(result.current.data).toBe("data 1"));
    act(() => result.current.reload());
    expect(result.current.data).toBe("data 1");
    await waitFor(() => expect(result.current.error?.message).toBe("boom"));
    expect(result.current.data).toBeNull();
  });

  it("does nothing without a fetcher", () => {
    const { result } = renderHook(() => useApi(null, []));
    expect(result.current).toMatchObject({ data: null, error: null, loading: false });
  });
});
