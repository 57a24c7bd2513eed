import { useId, useRef, useState } from "react";

/**
 * An accessible tablist (WAI-ARIA tabs pattern, manual activation not needed: arrow keys move and select).
 *
 * `tabs`: `[{id, label, disabled?}]`; `active`/`onChange(id)` control it (uncontrolled when `active` is
 * undefined); `label` names the tablist; the one panel (`role="tabpanel"`) holds `children`, or
 * `renderPanel(activeId)` when given. Left/Right (and Up/Down) move, Home/End jump.
 */
export default function Tabs({ tabs, active, onChange, label, children, renderPanel, idPrefix, className = "", panelClassName = "" }) {
  const autoId = useId();
  const prefix = idPrefix || `tabs${autoId.replace(/:/g, "")}`;
  const [own, setOwn] = useState(tabs?.[0]?.id);
  const list = tabs || [];
  const current = active !== undefined ? active : own;
  const refs = useRef({});
  const enabled = list.filter((t) => !t.disabled);

  function select(id) {
    if (active === undefined) setOwn(id);
    onChange?.(id);
  }

  function onKeyDown(event) {
    const index = enabled.findIndex((t) => t.id === current);
    let next = null;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") next = enabled[(index + 1) % enabled.length];
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = enabled[(index - 1 + enabled.length) % enabled.length];
    else if (event.key === "Home") next = enabled[0];
    else if (event.key === "End") next = enabled[enabled.length - 1];
    if (!next) return;
    event.preventDefault();
    select(next.id);
    refs.current[next.id]?.focus();
  }

  const panelId = `${prefix}-panel`;
  return (
    <div className={`tabs ${className}`.trim()}>
      <div role="tablist" aria-label={label} className="tablist" onKeyDown={onKeyDown}>
        {list.map((tab) => {
          const selected = tab.id === current;
          return (
            <button
              key={tab.id}
              type="button"
              role="tab"
              id={`${prefix}-tab-${tab.id}`}
              aria-selected={selected}
              aria-controls={panelId}
              tabIndex={selected ? 0 : -1}
              disabled={tab.disabled}
              className={`tab${selected ? " tab-active" : ""}`}
              ref={(el) => { refs.current[tab.id] = el; }}
              onClick={() => select(tab.id)}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      <div
        role="tabpanel"
        id={panelId}
        aria-labelledby={current !== undefined ? `${prefix}-tab-${current}` : undefined}
        className={`tabpanel ${panelClassName}`.trim()}
        tabIndex={0}
      >
        {renderPanel ? renderPanel(current) : children}
      </div>
    </div>
  );
}
