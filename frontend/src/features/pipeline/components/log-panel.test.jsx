import { describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import LogPanel, { formatLogTime } from "./log-panel.jsx";
import jobDone from "../__fixtures__/job-done.json";

/** jsdom has no layout: give the log box the geometry of a 300 px window onto `height` px of lines. */
function geometry(el, { height, top }) {
  Object.defineProperty(el, "scrollHeight", { configurable: true, value: height });
  Object.defineProperty(el, "clientHeight", { configurable: true, value: 300 });
  if (top !== undefined) el.scrollTop = top;
}

describe("LogPanel", () => {
  it("is empty with a hint, or waiting for the first line while a job runs", () => {
    const { rerender } = render(<LogPanel lines={[]} />);
    expect(screen.getByRole("log")).toHaveTextContent("No log lines yet.");
    rerender(<LogPanel lines={[]} waiting />);
    expect(screen.getByRole("log")).toHaveTextContent("Waiting for the first log line…");
  });

  it("follows the newest line, stops when the person scrolls up, and jumps back on request", () => {
    const lines = jobDone.log;
    const { rerender } = render(<LogPanel lines={lines.slice(0, 3)} />);
    const box = screen.getByRole("log");
    geometry(box, { height: 1000 });
    rerender(<LogPanel lines={lines.slice(0, 4)} />);
    expect(box.scrollTop).toBe(1000);
    // the person scrolls up to read an earlier line
    geometry(box, { height: 1000, top: 100 });
    fireEvent.scroll(box);
    geometry(box, { height: 1200 });
    rerender(<LogPanel lines={lines.slice(0, 6)} />);
    expect(box.scrollTop).toBe(100);
    fireEvent.click(screen.getByRole("button", { name: "Show newest lines" }));
    expect(box.scrollTop).toBe(1200);
    expect(screen.queryByRole("button", { name: "Show newest lines" })).not.toBeInTheDocument();
    // back at the bottom: following again
    geometry(box, { height: 1400 });
    rerender(<LogPanel lines={lines} />);
    expect(box.scrollTop).toBe(1400);
  });

  it("shows every level in words as well as colour", () => {
    const levels = ["info", "success", "warning", "error"];
    render(<LogPanel lines={levels.map((level, i) => ({ ...jobDone.log[0], level, message: `line ${i}`, ts: `2026-11-21T06:38:4${i}.000+00:00` }))} />);
    expect(screen.getAllByRole("listitem").map((li) => li.querySelector(".log-level").textContent)).toEqual(["Info", "Success", "Warning", "Error"]);
    expect(screen.getByText("line 3").closest("li")).toHaveClass("log-error");
  });

  it("formats timestamps as India Standard Time, whatever the browser's zone", () => {
    expect(formatLogTime("2026-11-21T06:38:43.186+00:00")).toBe("12:08:43");
    expect(formatLogTime("2026-11-21T20:00:05Z")).toBe("01:30:05");
    expect(formatLogTime("2026-11-21T12:08:43+05:30")).toBe("12:08:43");
    expect(formatLogTime("nonsense")).toBe("—");
    expect(formatLogTime(null)).toBe("—");
  });
});
