import { useState } from "react";
import Badge from "../../../components/Badge.jsx";
import Card from "../../../components/Card.jsx";
import DataTable from "../../../components/DataTable.jsx";
import MetricGrid from "../../../components/MetricGrid.jsx";
import { formatDateTime, formatINR } from "../../../lib/format.js";
import { errorMessage } from "../../../lib/useApi.js";
import { TRANSACTION_PAGE, useTransactions } from "../api.js";
import BouncesCard from "./bounces-card.jsx";
import WindowDressingCard from "./window-dressing-card.jsx";

const SUMMARY = ["total_credits", "total_debits", "avg_eod_balance", "abb", "avg_monthly_surplus", "cash_deposit_share",
  "inward_bounces", "outward_bounces", "negative_balance_days", "months_covered"];

const COLUMNS = [
  { key: "transactionTimestamp", header: "Date", className: "nowrap", render: (r) => formatDateTime(r.transactionTimestamp || r.valueDate) },
  { key: "txnId", header: "Txn id", sortable: false, render: (r) => <code>{r.txnId}</code> },
  { key: "type", header: "Type", render: (r) => <Badge tone={r.type === "CREDIT" ? "good" : "neutral"}>{r.type}</Badge> },
  { key: "mode", header: "Mode" },
  { key: "amount", header: "Amount", align: "right", render: (r) => formatINR(r.amount, { paise: true }) },
  { key: "currentBalance", header: "Balance", align: "right", render: (r) => formatINR(r.currentBalance ?? r.transactionalBalance, { paise: true }) },
  { key: "narration", header: "Narration", render: (r) => <span className="narration">{r.narration}</span> },
  { key: "category_leaf", header: "Category", sortable: false,
    render: (r) => (r.category_leaf ? <span title={r.group}>{r.category_leaf.replaceAll("_", " ")}</span> : "—") },
];

/**
 * The statement: summary figures and the clean transactions, searched, sorted and paged by the server
 * (`GET /api/transactions`), then the bounces with the lender each is booked to and the window-dressing cases. `query` pre-fills the search (a
 * flagged txnId from Anomalies, a bounce's line).
 */
export default function TransactionsSection({ customerId, metrics, bounces, windowDressing, onShowTxn, query: initialQuery = "" }) {
  const [query, setQuery] = useState(initialQuery);
  const [sort, setSort] = useState({ key: "transactionTimestamp", order: "desc" });
  const [page, setPage] = useState(0);
  const { data, error, loading } = useTransactions(customerId, {
    q: query, sort: sort.key, order: sort.order, offset: page * TRANSACTION_PAGE,
  });
  return (
    <div className="stack">
      <Card title="Statement summary" headingLevel={3}>
        <MetricGrid metrics={metrics} only={SUMMARY.filter((k) => metrics?.[k])} />
      </Card>
      <Card title="Transactions" headingLevel={3} subtitle="Search by narration or transaction id">
        {error && <p className="state state-error state-compact" role="alert">{errorMessage(error)}</p>}
        <DataTable
          caption="Clean transactions"
          captionHidden
          columns={COLUMNS}
          rows={data?.items || []}
          rowKey={(r, i) => `${r.txnId}-${i}`}
          searchable
          searchLabel="Search transactions"
          searchPlaceholder="Narration or txn id"
          total={data?.total ?? 0}
          page={page}
          onPageChange={setPage}
          pageSize={TRANSACTION_PAGE}
          sort={sort}
          onSortChange={(next) => { setSort(next); setPage(0); }}
          query={query}
          onQueryChange={(q) => { setQuery(q); setPage(0); }}
          loading={loading}
          emptyText={query ? `No transaction matches “${query}”.` : "No transactions."}
        />
      </Card>
      <BouncesCard bounces={bounces} onShowTxn={onShowTxn} />
      <WindowDressingCard dressing={windowDressing} onShowTxn={onShowTxn} />
    </div>
  );
}
