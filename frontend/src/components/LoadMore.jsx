import { formatNumber } from "../lib/format.js";
import { LIST_PAGE } from "../lib/usePagedList.js";
import { errorMessage } from "../lib/useApi.js";

/**
 * Under a table fed page by page (`usePagedList`): how many rows of the total are loaded, a button for the next
 * page while some are left, and a failed page's message with a retry. Search and sort cover the loaded rows.
 */
export default function LoadMore({ label, list }) {
  const { rows, total, loading, error, loadMore } = list;
  if (!total) return null;
  const left = total - rows.length;
  return (
    <div className="row load-more" aria-live="polite">
      <span className="muted">
        {loading && rows.length === 0 ? `Loading ${label}…` : `${formatNumber(rows.length)} of ${formatNumber(total)} ${label} loaded`}
      </span>
      {error && <span role="alert">{errorMessage(error)}</span>}
      {left > 0 && (
        <button type="button" className="button button-secondary" onClick={loadMore} disabled={loading}>
          {loading ? "Loading…" : error ? "Retry" : `Load ${formatNumber(Math.min(left, LIST_PAGE))} more`}
        </button>
      )}
    </div>
  );
}
