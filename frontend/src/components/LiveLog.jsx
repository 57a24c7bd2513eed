import { useLayoutEffect, useRef } from "react";
import { formatDateTime, formatTimeIST } from "../lib/format.js";

const LEVELS = { info: "Info", success: "Success", warning: "Warning", error: "Error" };
const STICK_PX = 24;

/** A job log timestamp as India Standard Time, `12:09:33`, whatever the browser's zone; `—` when unreadable. */
export function formatClockIST(ts) {
  return formatTimeIST(ts);
}

/**
 * A job's live log (`pipeline_log` lines `{ts, level, step, message}`), newest last, as the Pipeline Monitor
 * shows its own: time in IST, level in words and colour, the message. It keeps the newest line in view unless
 * the person scrolled up to read. `role="log"` + `aria-live="polite"` announce new lines without interrupting.
 */
export default function LiveLog({ lines, label, waiting = false, emptyText = "No log lines yet." }) {
  const box = useRef(null);
  const stick = useRef(true);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines.length]);

  function onScroll() {
    const el = box.current;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_PX;
  }

  return (
    <div ref={box} className="live-log" role="log" aria-live="polite" aria-label={label} tabIndex={0} onScroll={onScroll}>
      {lines.length === 0 ? (
        <p className="live-log-empty">{waiting ? "Waiting for the first log line…" : emptyText}</p>
      ) : (
        <ol className="live-log-lines">
          {lines.map((line) => {
            const level = LEVELS[line.level] ? line.level : "info";
            return (
              <li key={`${line.ts}|${line.level}|${line.message}`} className={`live-log-line live-log-${level}`}>
                <time dateTime={line.ts} title={formatDateTime(line.ts)}>{formatClockIST(line.ts)}</time>
                <span className="live-log-level">{LEVELS[level]}</span>
                <span className="live-log-message">{line.message}</span>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
