import { useEffect, useId, useMemo, useState } from "react";
import { formatNumber } from "../lib/format.js";

/**
 * An accessible table with sorting, paging and search.
 *
 * columns: `[{key, header, render?(row), value?(row), align?: "right", sortable?: false, className?}]` — `value`
 * gives the sort/search value (default `row[key]`), `render` the cell content (default the value as text),
 * `className` is added to the column's cells ("nowrap" keeps dates on one line). `onRowClick(row)` makes
 * every row open something (put a button in a cell too, so keyboards reach it: its click bubbles to the row).
 * Client mode (default): `rows` is everything; the table sorts, filters and pages itself.
 * Server mode (`total` given): `rows` is the current page; `page` (0-based) / `onPageChange(page)`,
 * `sort` `{key, order}` / `onSortChange(sort)`, `query` / `onQueryChange(q)` (debounced 300 ms) are the
 * caller's. `caption` names the table (required for screen readers; `captionHidden` keeps it visually hidden).
 */
export default function DataTable({
  columns, rows, rowKey = "id", caption, captionHidden = false, pageSize = 10, sortable = true, searchable = false,
  searchLabel = "Search", searchPlaceholder, emptyText = "No rows.", initialSort = null, rowClassName, onRowClick,
  total, page, onPageChange, sort, onSortChange, query, onQueryChange, loading = false, id,
}) {
  const autoId = useId();
  const tableId = id || `table${autoId.replace(/:/g, "")}`;
  const server = total !== undefined && total !== null;
  const [ownSort, setOwnSort] = useState(initialSort);
  const [ownPage, setOwnPage] = useState(0);
  const [text, setText] = useState(query ?? "");
  const [ownQuery, setOwnQuery] = useState("");
  const cols = columns || [];
  const all = Array.isArray(rows) ? rows : [];

  const activeSort = server ? sort : ownSort;
  const activeQuery = server ? query ?? "" : ownQuery;

  useEffect(() => {
    if (server) setText(query ?? "");
  }, [server, query]);

  useEffect(() => {
    if (!searchable) return undefined;
    if (text === activeQuery) return undefined;
    const timer = setTimeout(() => {
      if (server) onQueryChange?.(text);
      else {
        setOwnQuery(text);
        setOwnPage(0);
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [text, activeQuery, searchable, server, onQueryChange]);

  const valueOf = (col, row) => (col.value ? col.value(row) : row?.[col.key]);

  const filtered = useMemo(() => {
    if (server || !activeQuery) return all;
    const needle = activeQuery.toLowerCase();
    return all.filter((row) => cols.some((col) => {
      const v = valueOf(col, row);
      return v !== null && v !== undefined && String(v).toLowerCase().includes(needle);
    }));
  }, [all, cols, activeQuery, server]); // eslint-disable-line react-hooks/exhaustive-deps

  const sorted = useMemo(() => {
    if (server || !activeSort) return filtered;
    const col = cols.find((c) => c.key === activeSort.key);
    if (!col) return filtered;
    const dir = activeSort.order === "desc" ? -1 : 1;
    return filtered.slice().sort((a, b) => {
      const x = valueOf(col, a);
      const y = valueOf(col, b);
      if (x === y) return 0;
      if (x === null || x === undefined) return 1; // missing values last either way
      if (y === null || y === undefined) return -1;
      if (typeof x === "number" && typeof y === "number") return (x - y) * dir;
      return String(x).localeCompare(String(y), "en-IN", { numeric: true }) * dir;
    });
  }, [filtered, activeSort, cols, server]); // eslint-disable-line react-hooks/exhaustive-deps

  const count = server ? total : sorted.length;
  const size = pageSize > 0 ? pageSize : Math.max(count, 1);
  const pages = Math.max(1, Math.ceil(count / size));
  const current = Math.min(server ? page ?? 0 : ownPage, pages - 1);
  const visible = server ? all : sorted.slice(current * size, current * size + size);

  function goTo(next) {
    const clamped = Math.min(Math.max(next, 0), pages - 1);
    if (server) onPageChange?.(clamped);
    else setOwnPage(clamped);
  }

  function toggleSort(col) {
    const next = activeSort?.key === col.key
      ? { key: col.key, order: activeSort.order === "asc" ? "desc" : "asc" }
      : { key: col.key, order: "asc" };
    if (server) onSortChange?.(next);
    else {
      setOwnSort(next);
      setOwnPage(0);
    }
  }

  const keyOf = (row, index) => (typeof rowKey === "function" ? rowKey(row, index) : row?.[rowKey] ?? index);
  const from = count === 0 ? 0 : current * size + 1;
  const to = Math.min(count, current * size + size);

  return (
    <div className="datatable">
      {searchable && (
        <div className="datatable-search">
          <label htmlFor={`${tableId}-search`}>{searchLabel}</label>
          <input
            id={`${tableId}-search`}
            type="search"
            value={text}
            placeholder={searchPlaceholder}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                if (server) onQueryChange?.(text);
                else { setOwnQuery(text); setOwnPage(0); }
              }
            }}
          />
        </div>
      )}
      <div className="table-scroll" role="region" aria-labelledby={`${tableId}-caption`} tabIndex={0}>
        <table id={tableId} aria-busy={loading || undefined}>
          <caption id={`${tableId}-caption`} className={captionHidden ? "visually-hidden" : undefined}>{caption}</caption>
          <thead>
            <tr>
              {cols.map((col) => {
                const canSort = sortable && col.sortable !== false;
                const direction = activeSort?.key === col.key ? activeSort.order : null;
                return (
                  <th
                    key={col.key}
                    scope="col"
                    className={col.align === "right" ? "num" : undefined}
                    aria-sort={direction ? (direction === "asc" ? "ascending" : "descending") : undefined}
                  >
                    {canSort ? (
                      <button type="button" className="sort-button" onClick={() => toggleSort(col)}>
                        {col.header}
                        <span aria-hidden="true" className="sort-mark">{direction === "asc" ? "▲" : direction === "desc" ? "▼" : "↕"}</span>
                      </button>
                    ) : col.header}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {visible.length === 0 ? (
              <tr>
                <td colSpan={Math.max(cols.length, 1)} className="empty-cell">{loading ? "Loading…" : emptyText}</td>
              </tr>
            ) : visible.map((row, index) => (
              <tr key={keyOf(row, index)}
                className={[rowClassName ? rowClassName(row) : "", onRowClick ? "row-clickable" : ""].join(" ").trim() || undefined}
                onClick={onRowClick ? () => onRowClick(row) : undefined}>
                {cols.map((col) => {
                  const content = col.render ? col.render(row) : valueOf(col, row);
                  return (
                    <td key={col.key} className={[col.align === "right" ? "num" : "", col.className || ""].join(" ").trim() || undefined}>
                      {content === null || content === undefined || content === "" ? "—" : content}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pageSize > 0 && (count > size || current > 0) && (
        <nav className="pager" aria-label={`${caption || "Table"} pages`}>
          <button type="button" className="button button-secondary" onClick={() => goTo(current - 1)} disabled={current === 0}>
            Previous page
          </button>
          <span aria-live="polite">
            {formatNumber(from)}–{formatNumber(to)} of {formatNumber(count)} · page {formatNumber(current + 1)} of {formatNumber(pages)}
          </span>
          <button type="button" className="button button-secondary" onClick={() => goTo(current + 1)} disabled={current >= pages - 1}>
            Next page
          </button>
        </nav>
      )}
      {pageSize > 0 && count <= size && current === 0 && count > 0 && (
        <p className="datatable-count muted">{formatNumber(count)} {count === 1 ? "row" : "rows"}</p>
      )}
    </div>
  );
}
