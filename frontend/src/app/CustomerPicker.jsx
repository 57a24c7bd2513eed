import { useId, useMemo, useRef, useState } from "react";
import Badge from "../components/Badge.jsx";
import { formatDateTime } from "../lib/format.js";
import { errorMessage } from "../lib/useApi.js";
import { matchesCustomer } from "./customers.js";

const MAX_OPTIONS = 50;
const ID_PATTERN = /^[A-Za-z0-9_-]{3,64}$/;

function lastRunText(run) {
  if (!run) return "never run";
  return `last run ${run.status || "unknown"} ${formatDateTime(run.ts)}`;
}

/**
 * The customer search: a WAI-ARIA combobox over `GET /api/customers`, matching id or name. Arrow keys move
 * through the options, Enter loads the highlighted option (or the first match, or — when the list could not
 * be loaded — the typed id), Escape closes. Each option shows the consent status and last run.
 */
export default function CustomerPicker({ customers, loading, error, selectedId, onSelect, onOpen }) {
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const input = useRef(null);
  const id = useId().replace(/:/g, "");
  const listId = `${id}-list`;

  const matches = useMemo(
    () => (customers || []).filter((c) => matchesCustomer(c, text)).slice(0, MAX_OPTIONS),
    [customers, text],
  );

  function choose(customerId) {
    if (!customerId) return;
    onSelect(customerId);
    setText("");
    setOpen(false);
    setActive(-1);
  }

  function show() {
    if (!open) onOpen?.();
    setOpen(true);
  }

  function onKeyDown(event) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      show();
      setActive((i) => (matches.length ? (i + 1) % matches.length : -1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      show();
      setActive((i) => (matches.length ? (i <= 0 ? matches.length - 1 : i - 1) : -1));
    } else if (event.key === "Enter") {
      event.preventDefault();
      const picked = matches[active] || matches[0];
      if (picked) choose(picked.customer_id);
      else if (ID_PATTERN.test(text.trim())) choose(text.trim().toUpperCase());
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        setOpen(false);
        setActive(-1);
      } else {
        setText("");
      }
    } else if (event.key === "Home" && open && matches.length && !text) {
      setActive(0);
    }
  }

  const expanded = open && (matches.length > 0 || Boolean(text) || loading || Boolean(error));
  const activeId = expanded && active >= 0 && matches[active] ? `${id}-opt-${active}` : undefined;
  const count = matches.length;

  return (
    <div className="picker">
      <label htmlFor={`${id}-input`}>Customer</label>
      <input
        id={`${id}-input`}
        ref={input}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={activeId}
        aria-describedby={`${id}-hint`}
        autoComplete="off"
        spellCheck={false}
        placeholder={selectedId ? `${selectedId} — search another by name or id` : "Search by name or customer id"}
        value={text}
        onChange={(e) => { setText(e.target.value); setActive(-1); show(); }}
        onFocus={show}
        onClick={show}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <span id={`${id}-hint`} className="visually-hidden">
        Type a name or id; use the arrow keys to choose and Enter to open.
      </span>
      <span className="visually-hidden" aria-live="polite">
        {open && customers ? `${count} ${count === 1 ? "customer matches" : "customers match"}` : ""}
      </span>
      <ul id={listId} role="listbox" aria-label="Customers" className="picker-list" hidden={!expanded}>
        {loading && !customers && <li className="picker-empty" role="presentation">Loading customers…</li>}
        {error && !customers && (
          <li className="picker-empty" role="presentation">
            {errorMessage(error)} — type a full customer id and press Enter.
          </li>
        )}
        {customers && count === 0 && (
          <li className="picker-empty" role="presentation">
            No customer matches “{text}”.{ID_PATTERN.test(text.trim()) ? " Press Enter to open it by id." : ""}
          </li>
        )}
        {matches.map((c, index) => (
          <li
            key={c.customer_id}
            id={`${id}-opt-${index}`}
            role="option"
            aria-selected={index === active}
            className="picker-option"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(c.customer_id)}
            onMouseEnter={() => setActive(index)}
          >
            <span className="opt-name">{c.name || c.customer_id}</span>
            <span className="opt-meta">
              <span>{c.customer_id}</span>
              <Badge>{c.consent_status || "NO CONSENT"}</Badge>
              <span>{lastRunText(c.last_run)}</span>
              {c.has_data === false && <span>no data</span>}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
