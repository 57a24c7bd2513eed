import DataTable from "../../../components/DataTable.jsx";
import { cellText, constantFields, recordColumns } from "../api.js";

/** The full record, pretty-printed, in a disclosure (nested GST invoices, bureau tradelines...). */
function RecordDetails({ record, number }) {
  return (
    <details className="record-details">
      <summary>Record {number}</summary>
      <pre><code>{JSON.stringify(record, null, 2)}</code></pre>
    </details>
  );
}

/**
 * Raw or clean records of one page as a table: one column per field, values exactly as stored (raw lines
 * that are not JSON are shown as their text), and the whole record in a disclosure on each row.
 */
export default function RecordTable({ layer, page, offset, caption }) {
  const items = page.items || [];
  const rows = items.map((record, index) => ({ record, number: offset + index + 1 }));
  const all = recordColumns(items);
  const constant = constantFields(items, all);
  const keys = all.filter((key) => !constant.includes(key));
  const columns = [
    { key: "#", header: "#", align: "right", render: (row) => row.number },
    ...keys.map((key) => ({
      key,
      header: key === "_unparseable" ? "Unparseable line" : key,
      render: (row) => {
        const value = row.record?.[key];
        if (value === undefined) return "";
        const text = cellText(value);
        return <span className={key === "_unparseable" ? "cell-unparseable" : "cell-value"} title={typeof value === "object" && value !== null ? JSON.stringify(value).slice(0, 500) : text}>{text}</span>;
      },
    })),
    { key: "_record", header: "Record", render: (row) => <RecordDetails record={row.record} number={row.number} /> },
  ];
  return (
    <>
      {constant.length > 0 && (
        <dl className="dataset-constant">
          <dt>Same on every record of this page</dt>
          {constant.map((key) => (
            <dd key={key}><code>{key}</code> = <span className="cell-value">{cellText(items[0][key])}</span></dd>
          ))}
        </dl>
      )}
      <DataTable
        columns={columns}
        rows={rows}
        rowKey={(row) => `${layer}-${row.number}`}
        caption={caption}
        captionHidden
        sortable={false}
        pageSize={0}
        emptyText="No records on this page."
        rowClassName={(row) => (row.record?._unparseable !== undefined ? "row-unparseable" : undefined)}
      />
    </>
  );
}
