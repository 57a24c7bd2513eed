import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { formatDateTime, formatTimeIST } from "../../../lib/format.js";

const LEVELS = { info: "Info", success: "Success", warning: "Warning", error: "Error" };
const STICK_PX = 24;

/**
 * A log timestamp as India Standard Time (HH:MM:SS), like every other time on the dashboard, whatever the
 * browser's time zone; the full date is in the line's title.
 */
export function formatLogTime(ts) {
  return formatTimeIST(ts);
}

/** The lines of one job, each with its time, its level in words and colour, and its message. */
function Lines({ lines }) {
  return (
    <ol className="pipeline-log-lines">
      {lines.map((line) => {
        const level = LEVELS[line.level] ? line.level : "info";
        return (
          <li key={`${line.ts}|${line.level}|${line.message}`} className={`log-line log-${level}`}>
            <time dateTime={line.ts} title={`${formatDateTime(line.ts)} (${line.ts})`}>{formatLogTime(line.ts)}</time>
            <span className="log-level">{LEVELS[level]}</span>
            {line.step && <span className="log-step">{line.step}</span>}
            <span className="log-message">{line.message}</span>
          </li>
        );
      })}
    </ol>
  );
}

/**
 * The log, newest last: `lines` of one job, or `groups` `[{key, title, lines}]`, one per job, each under a
 * separator heading (the jobs of the tab one after another). It follows the newest line unless the person
 * has scrolled up to read (then a button jumps back down). `role="log"` with `aria-live="polite"` lets
 * screen readers announce new lines without interrupting.
 */
export default function LogPanel({ lines, groups, waiting = false, label = "Pipeline log" }) {
  const sections = groups || [{ key: "log", title: null, lines: lines || [] }];
  const total = sections.reduce((n, g) => n + g.lines.length, 0);
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
  }, [total, sections.length]);

  useEffect(() => {
    if (total === 0) {
      stick.current = true;
      setBehind(0);
    }
  }, [total]);

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
        {total === 0 && sections.length <= 1 ? (
          <p className="pipeline-log-empty muted">{waiting ? "Waiting for the first log line…" : "No log lines yet. Run a step to see its progress here."}</p>
        ) : sections.map((g, i) => (
          <section key={g.key} className="log-job">
            {g.title && <p className="log-job-title">{g.title}</p>}
            {g.lines.length > 0 ? <Lines lines={g.lines} />
              : <p className="pipeline-log-empty muted">{waiting && i === sections.length - 1 ? "Waiting for the first log line…" : "No log lines."}</p>}
          </section>
        ))}
      </div>
      {behind > 0 && (
        <button type="button" className="button button-secondary pipeline-log-jump" onClick={jumpToNewest}>
          Show newest lines
        </button>
      )}
    </div>
  );
}
