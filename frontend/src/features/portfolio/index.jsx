/**
 * Portfolio Monitor (analysts and admins): every monitored loan with its live PD and band, the PD
 * distribution and how it moved today, the day's top movers and band-crossing alerts, and a selected loan's
 * PD history. It follows `risk_update` over the shared socket, so it changes without a reload. Only
 * borrowers whose active consent covers monitoring (purpose 104) are listed: the API filters them.
 */
import { useState } from "react";
import Badge from "../../components/Badge.jsx";
import Banner from "../../components/Banner.jsx";
import Card from "../../components/Card.jsx";
import StateView from "../../components/StateView.jsx";
import { formatDateTime, formatNumber, formatPct, humanize } from "../../lib/format.js";
import { usePortfolio, useRiskHistory } from "./api.js";
import AlertsList from "./components/alerts-list.jsx";
import DistributionChart from "./components/distribution-chart.jsx";
import HistoryChart from "./components/history-chart.jsx";
import LoansTable from "./components/loans-table.jsx";
import MoversList from "./components/movers-list.jsx";
import WarehouseViews from "./components/warehouse-views.jsx";
import { meanPd, portfolioCounts } from "./model.js";
import "./portfolio.css";

const LIVE = {
  live: { tone: "good", text: "Live" },
  connecting: { tone: "warning", text: "Connecting…" },
  off: { tone: "danger", text: "Live updates off" },
};

function LiveStatus({ live, updates }) {
  const shown = LIVE[live.status] || LIVE.off;
  return (
    <p className="pf-live-status" role="status" data-testid="live-status">
      <Badge tone={shown.tone}>{shown.text}</Badge>
      {updates > 0 && <span className="muted">{formatNumber(updates)} update{updates === 1 ? "" : "s"} received</span>}
    </p>
  );
}

function Stat({ label, value, hint }) {
  return (
    <div className="pf-stat">
      <dt>{label}</dt>
      <dd>{value}{hint && <span className="muted small"> {hint}</span>}</dd>
    </div>
  );
}

const plural = (n, word) => `${formatNumber(n)} ${word}${n === 1 ? "" : "s"}`;

/** "loans of 3 borrowers" after the loan count; how many customers consent to monitoring when that differs. */
function sizeHint({ loans, borrowers, consenting }) {
  const text = `${loans === 1 ? "loan" : "loans"} of ${plural(borrowers, "borrower")}`;
  return consenting !== null && consenting !== borrowers
    ? `${text} · ${plural(consenting, "customer")} consent to monitoring` : text;
}

function Summary({ data }) {
  const { loans, bands } = data;
  const counts = portfolioCounts(data);
  const riskier = bands.slice(-2).map((b) => b.band); // the two riskiest bands (ELEVATED, HIGH)
  const worse = loans.filter((r) => riskier.includes(r.band)).length;
  return (
    <dl className="pf-stats" aria-label="Portfolio summary">
      <Stat label="Loans monitored" value={formatNumber(counts.loans)} hint={sizeHint(counts)} />
      <Stat label="Average PD" value={formatPct(meanPd(loans), 2)} />
      <Stat label={`${humanize(riskier[0])} or ${String(riskier[1] || "").toLowerCase()}`} value={formatNumber(worse)} />
      <Stat label="Alerts today" value={formatNumber(data.alerts.length)} />
    </dl>
  );
}

function HistoryCard({ loanId, version, bands }) {
  const history = useRiskHistory(loanId, version);
  if (!loanId) return <p className="muted">Click a loan in the table (or a mover or an alert) to see its PD history.</p>;
  return (
    <StateView loading={history.loading && !history.data} error={history.error} onRetry={history.reload}
      loadingText={`Loading the PD history of ${loanId}…`}>
      {() => <HistoryChart loanId={loanId} history={history.data?.history} bands={bands} />}
    </StateView>
  );
}

export default function PortfolioPage() {
  const { data, error, loading, live, refresh } = usePortfolio();
  const [selected, setSelected] = useState(null);

  if (!data) {
    return (
      <StateView loading={loading} error={error} onRetry={refresh} loadingText="Loading the portfolio…" />
    );
  }
  const subtitle = `${data.note ? `${data.note[0].toUpperCase()}${data.note.slice(1)}` : "Monitored borrowers only"}. `
    + `Changes are measured from the start of today (${formatDateTime(data.since)}).`;
  return (
    <div className="stack portfolio">
      <Card title="Portfolio Monitor" subtitle={subtitle}
        actions={<button type="button" className="button button-secondary" onClick={refresh} disabled={loading}>Refresh</button>}>
        <div className="stack">
          <LiveStatus live={live} updates={data.updates} />
          {live.status === "off" && (
            <Banner tone="warning" title="Live updates are off">{live.message} Use Refresh to see new scores.</Banner>
          )}
          {error && <StateView error={error} compact />}
          <Summary data={data} />
        </div>
      </Card>
      <div className="grid-2 pf-grid">
        <Card title="PD distribution" subtitle="Loans per PD range at the start of today and now.">
          <DistributionChart rows={data.loans} bands={data.bands} />
        </Card>
        <div className="stack">
          <Card title="Top movers today" subtitle="The largest PD changes since the start of today.">
            <MoversList rows={data.loans} onSelect={setSelected} />
          </Card>
          <Card title="Alerts" subtitle="Band crossings today, newest first, with the model's reasons.">
            <AlertsList alerts={data.alerts} onSelect={setSelected} />
          </Card>
        </div>
      </div>
      <Card title="Loans" subtitle="Live PD and band of every monitored loan. Sort by any column.">
        <LoansTable rows={data.loans} bands={data.bands} selectedId={selected} onSelect={setSelected} />
      </Card>
      <Card title={selected ? `PD history · ${selected}` : "PD history"} id="pf-history"
        subtitle="Every score of the loan, with the repayment event that moved it; it updates live.">
        <HistoryCard loanId={selected} version={selected ? data.versions[selected] || 0 : 0} bands={data.bands} />
      </Card>
      <Card title="Portfolio views" id="pf-views"
        subtitle="The whole book from the warehouse: approvals by month, PD by segment, vintage curves, roll rates, sector concentration.">
        <WarehouseViews />
      </Card>
    </div>
  );
}
