import { useId, useState } from "react";
import { LAYERS, PAGE_SIZES, SOURCES } from "./api.js";
import LayerPanel from "./components/layer-panel.jsx";
import "./datasets.css";

const START = { raw: 0, clean: 0, quarantine: 0 };

/**
 * Dataset Viewer (analysts): one source of the customer in its three layers side by side — raw as delivered,
 * clean as the analytics read it, and quarantine with every reason and the original line — each paged.
 */
export default function DatasetsPage({ customerId }) {
  const [source, setSource] = useState("transactions");
  const [limit, setLimit] = useState(PAGE_SIZES[0]);
  const [offsets, setOffsets] = useState(START);
  const sourceId = useId();
  const sizeId = useId();
  const sourceLabel = SOURCES.find((s) => s.id === source)?.label || source;

  return (
    <div className="datasets stack">
      <div className="datasets-controls row">
        <div className="field">
          <label htmlFor={sourceId}>Source</label>
          <select id={sourceId} value={source} onChange={(e) => { setSource(e.target.value); setOffsets(START); }}>
            {SOURCES.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={sizeId}>Records per page</label>
          <select id={sizeId} value={limit} onChange={(e) => { setLimit(Number(e.target.value)); setOffsets(START); }}>
            {PAGE_SIZES.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </div>
        <p className="muted datasets-note">Values are shown exactly as stored in each layer, so the repairs the cleaning made are visible.</p>
      </div>
      <div className="datasets-layers">
        {LAYERS.map((layer) => (
          <LayerPanel
            key={`${layer.id}-${source}`}
            layer={layer}
            source={source}
            sourceLabel={sourceLabel}
            customerId={customerId}
            limit={limit}
            offset={offsets[layer.id]}
            onOffset={(offset) => setOffsets((current) => ({ ...current, [layer.id]: offset }))}
          />
        ))}
      </div>
    </div>
  );
}
