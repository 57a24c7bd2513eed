/**
 * Portfolio views over the warehouse (analysts): pick a view, see its rows as a table with units, and for the
 * approval mix and the vintage curves a chart. Each view says what it computes, and when the warehouse was
 * built; a warehouse never built says which command builds it.
 */
import { useState } from "react";
import {
  Bar, BarChart, CartesianGrid, ChartFrame, Legend, Line, LineChart, SERIES_COLOURS, Tooltip, XAxis, YAxis, monthTick,
} from "../../../components/charts.jsx";
import StateView from "../../../components/StateView.jsx";
import { formatDateTime, formatMonth, formatNumber } from "../../../lib/format.js";
import { usePortfolioView, usePortfolioViews } from "../api.js";
import { columnLabel, formatCell, isNumeric, recordsOf, vintageSeries } from "../views-model.js";

function MixChart({ view }) {
  const data = recordsOf(view);
  const summary = data.map((r) => `${formatMonth(r.month)}: ${r.approved} approved, ${r.referred} referred, `
    + `${r.declined} declined`).join("; ");
  return (
    <ChartFrame label="Decisions by month" summary={summary || "No decisions yet."} height={220}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="month" tickFormatter={monthTick} />
        <YAxis allowDecimals={false} width={32} />
        <Tooltip labelFormatter={monthTick} formatter={(v, name) => [formatNumber(v), columnLabel(name)]} />
        <Legend formatter={(name) => columnLabel(name)} />
        <Bar dataKey="approved" stackId="d" fill="var(--good)" isAnimationActive={false} />
        <Bar dataKey="referred" stackId="d" fill="var(--warning)" isAnimationActive={false} />
        <Bar dataKey="declined" stackId="d" fill="var(--danger)" isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}

function VintageChart({ view }) {
  const { cohorts, points } = vintageSeries(view);
  const summary = cohorts.map((c) => `${formatMonth(c)} cohort`).join(", ");
  return (
    <ChartFrame label="Cumulative 30+ DPD rate by months on book, per disbursal cohort"
      summary={summary ? `Curves for the ${summary}.` : "No loan has a risk history yet."} height={240}>
      <LineChart data={points} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="months_on_book" label={{ value: "Months on book", position: "insideBottom", offset: -2 }} />
        <YAxis unit="%" width={40} />
        <Tooltip formatter={(v, name) => [`${formatNumber(v, { decimals: 1 })}%`, `${formatMonth(name)} cohort`]}
          labelFormatter={(m) => `${m} months on book`} />
        <Legend formatter={(name) => `${formatMonth(name)} cohort`} />
        {cohorts.map((c, i) => (
          <Line key={c} dataKey={c} stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]} connectNulls dot
            isAnimationActive={false} />
        ))}
      </LineChart>
    </ChartFrame>
  );
}

const CHARTS = { approval_mix_by_month: MixChart, vintage_curves: VintageChart };

function ViewTable({ view }) {
  if (!view.rows.length) return <p className="muted">No rows yet: the warehouse holds no data this view reads.</p>;
  return (
    <div className="table-scroll">
      <table data-testid="portfolio-view-table">
        <caption className="visually-hidden">{view.title}</caption>
        <thead>
          <tr>{view.columns.map((c) => <th key={c} scope="col" className={isNumeric(c) ? "num" : undefined}>{columnLabel(c)}</th>)}</tr>
        </thead>
        <tbody>
          {view.rows.map((row, i) => (
            // rows of a query have no id of their own: their position is their key
            <tr key={i}>
              {view.columns.map((c, j) => <td key={c} className={isNumeric(c) ? "num" : undefined}>{formatCell(c, row[j])}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SelectedView({ name }) {
  const view = usePortfolioView(name);
  const Chart = CHARTS[name];
  return (
    <StateView loading={view.loading && !view.data} error={view.error} onRetry={view.reload}
      loadingText="Computing the view over the warehouse…">
      {() => (
        <div className="stack">
          <p>{view.data.description}</p>
          {Chart && <Chart view={view.data} />}
          <ViewTable view={view.data} />
          <details className="pf-details">
            <summary>The SQL</summary>
            <pre className="small">{view.data.sql}</pre>
          </details>
        </div>
      )}
    </StateView>
  );
}

/** The section: the list of views as buttons, the chosen one below (the first by default). */
export default function WarehouseViews() {
  const list = usePortfolioViews();
  const [chosen, setChosen] = useState(null);
  if (!list.data) {
    return <StateView loading={list.loading} error={list.error} onRetry={list.reload} loadingText="Loading the portfolio views…" />;
  }
  const { views, built_at: builtAt } = list.data;
  if (!builtAt) {
    return (
      <p className="muted" data-testid="warehouse-not-built">
        The warehouse has not been built yet. Run <code>python -m pipeline warehouse build</code>, then reload.
      </p>
    );
  }
  const name = chosen || views[0]?.name;
  return (
    <div className="stack">
      <p className="muted small">Computed with SQL over the warehouse built {formatDateTime(builtAt)}.</p>
      <div className="pf-view-tabs" role="group" aria-label="Portfolio views">
        {views.map((v) => (
          <button key={v.name} type="button" aria-pressed={v.name === name} title={v.description}
            className={`button ${v.name === name ? "" : "button-secondary"}`} onClick={() => setChosen(v.name)}>
            {v.title}
          </button>
        ))}
      </div>
      {name && <SelectedView key={name} name={name} />}
    </div>
  );
}
