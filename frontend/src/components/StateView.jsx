import { errorMessage } from "../lib/useApi.js";

/**
 * The loading / error / empty / content switch every data view uses.
 *
 * `children` may be a function: it is called only when there is content, so `{() => data.x.y}` never runs
 * while `data` is still null. The error shows the API's own message in `role="alert"`; `onRetry` adds a
 * "Try again" button.
 */
export default function StateView({ loading, error, empty, emptyText = "Nothing to show yet.", loadingText = "Loading…",
  onRetry, children, compact = false }) {
  if (loading) {
    return (
      <div className={`state state-loading${compact ? " state-compact" : ""}`} role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" />
        <span>{loadingText}</span>
      </div>
    );
  }
  if (error) {
    return (
      <div className={`state state-error${compact ? " state-compact" : ""}`} role="alert">
        <p className="state-message">{errorMessage(error)}</p>
        {onRetry && (
          <button type="button" className="button button-secondary" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    );
  }
  if (empty) {
    return <div className={`state state-empty${compact ? " state-compact" : ""}`}><p>{emptyText}</p></div>;
  }
  return typeof children === "function" ? children() : children ?? null;
}
