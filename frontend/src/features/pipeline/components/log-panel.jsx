import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { formatDate } from "../../../lib/format.js";

const LEVELS = { info: "Info", success: "Success", warning: "Warning", error: "Error" };
const clock = new Intl.DateTimeFormat("en-IN", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
const STICK_PX = 24;

/** A log timestamp as the person's wall-clock time (HH:MM:SS); the full date is in the title. */
export function formatLogTime(ts) {
  const date = new Date(ts);
  if (!ts || Number.isNaN(date.getTime())) return "—";
  return clock.format(date);
}

/**
 * The job's log, newest last: each line with its time, its level in words and colour, and its message.
 * It follows the newest line unless the person has scrolled up to read (then a button jumps back down).
 * `role="log"` with `aria-live="polite"` lets screen readers announce new lines without interrupting.
 */
export default function LogPanel({ lines, waiting = false, label = "Pipeline log" }) {
  const box = useRef(null);
  const stick = useRef(true);
  const [behind, setBehind] = useState(0);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (stick.current) {
      el.scrollTop = el.scrollHeight;
      setBehind(0);
    } else {
      setBehind((n) => n + 1);
    }
  }, [lines.length]);

  useEffect(() => {
    if (lines.length === 0) {
      stick.current = true;
      setBehind(0);
    }
  }, [lines.length]);

  function onScroll() {
    const el = box.current;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_PX;
    if (stick.current) setBehind(0);
  }

  function jumpToNewest() {
    const el = box.current;
    stick.current = true;
    el.scrollTop = el.scrollHeight;
    setBehind(0);
  }

  return (
    <div className="pipeline-log-wrap">
      <div
        ref={box}
        className="pipeline-log"
        role="log"
        aria-live="polite"
        aria-label={label}
        tabIndex={0}
        onScroll={onScroll}
      >
        {lines.length === 0 ? (
          <p className="pipeline-log-empty muted">{waiting ? "Waiting for the first log line…" : "No log lines yet. Run a step to see its progress here."}</p>
        ) : (
          <ol className="pipeline-log-lines">
            {lines.map((line) => {
              const level = LEVELS[line.level] ? line.level : "info";
              return (
                <li key={`${line.ts}|${line.level}|${line.message}`} className={`log-line log-${level}`}>
                  <time dateTime={line.ts} title={`${formatDate(line.ts)} ${line.ts}`}>{formatLogTime(line.ts)}</time>
                  <span className="log-level">{LEVELS[level]}</span>
                  {line.step && <span className="log-step">{line.step}</span>}
                  <span className="log-message">{line.message}</span>
                </li>
              );
            })}
          </ol>
        )}
      </div>
      {behind > 0 && (
        <button type="button" className="button button-secondary pipeline-log-jump" onClick={jumpToNewest}>
          Show newest lines
        </button>
      )}
    </div>
  );
}
