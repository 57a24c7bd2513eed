/**
 * The searchable list of metrics, grouped by analytics document. Each metric is a button; the selected
 * one is marked with `aria-current`.
 */
export default function MetricList({ items, selectedId, onSelect }) {
  const groups = [];
  items.forEach((item) => {
    const last = groups[groups.length - 1];
    if (last && last.document === item.document) last.items.push(item);
    else groups.push({ document: item.document, label: item.documentLabel, items: [item] });
  });
  return (
    <div className="metric-list">
      {groups.map((group) => (
        <section key={group.document} aria-label={group.label}>
          <h3 className="metric-group">{group.label}</h3>
          <ul>
            {group.items.map((item) => (
              <li key={item.id}>
                <button
                  type="button"
                  className="metric-choice"
                  aria-current={item.id === selectedId ? "true" : undefined}
                  onClick={() => onSelect(item.id)}
                >
                  {item.label}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
