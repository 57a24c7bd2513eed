import Card from "../../../components/Card.jsx";
import StateView from "../../../components/StateView.jsx";
import { formatNumber } from "../../../lib/format.js";
import { useDatasetPage } from "../api.js";
import QuarantineList from "./quarantine-list.jsx";
import RecordTable from "./record-table.jsx";

/** Previous/next for one layer, with where we are in words. */
function Pager({ label, offset, limit, total, onOffset }) {
  if (!total) return null;
  const from = offset + 1;
  const to = Math.min(total, offset + limit);
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" className="button button-secondary" disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - limit))}>
        Previous page
      </button>
      <span aria-live="polite">{formatNumber(from)}–{formatNumber(to)} of {formatNumber(total)}</span>
      <button type="button" className="button button-secondary" disabled={to >= total}
        onClick={() => onOffset(offset + limit)}>
        Next page
      </button>
    </nav>
  );
}

/** One layer (raw, clean or quarantine) of the chosen source: a page of records with its own paging. */
export default function LayerPanel({ layer, source, sourceLabel, customerId, limit, offset, onOffset }) {
  const { data, error, loading, reload } = useDatasetPage(layer.id, source, customerId, limit, offset);
  const total = data?.total ?? 0;
  const count = data ? `${formatNumber(total)} record${total === 1 ? "" : "s"}` : null;
  return (
    <Card
      title={`${layer.label}${count ? ` · ${count}` : ""}`}
      subtitle={layer.description}
      className={`dataset-layer dataset-${layer.id}`}
    >
      <StateView
        loading={loading && !data}
        error={error}
        onRetry={reload}
        empty={data && total === 0}
        emptyText={layer.id === "quarantine" ? `Nothing was quarantined in ${sourceLabel}.` : `No ${layer.label.toLowerCase()} records in ${sourceLabel}.`}
        compact
      >
        {() => (
          <div className="stack" aria-busy={loading || undefined}>
            {layer.id === "quarantine"
              ? <QuarantineList page={data} />
              : <RecordTable layer={layer.id} page={data} offset={data.offset ?? offset} caption={`${layer.label} ${sourceLabel} records`} />}
            <Pager label={`${layer.label} ${sourceLabel}`} offset={data.offset ?? offset} limit={data.limit ?? limit} total={total} onOffset={onOffset} />
          </div>
        )}
      </StateView>
    </Card>
  );
}
