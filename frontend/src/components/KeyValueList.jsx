/** A `<dl>` of `{label, value}` pairs; missing values read `—`. */
export default function KeyValueList({ items, className = "" }) {
  return (
    <dl className={`kv ${className}`.trim()}>
      {(items || []).map(({ label, value }) => (
        <div className="kv-row" key={label}>
          <dt>{label}</dt>
          <dd>{value === null || value === undefined || value === "" ? "—" : value}</dd>
        </div>
      ))}
    </dl>
  );
}
