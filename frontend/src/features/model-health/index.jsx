/**
 * Model Health (analysts and admins): is the risk model still scoring the kind of customers it was trained
 * on? Per as-of month, the population stability index (PSI) of the risk score and of every input against
 * the training data, the top drivers' characteristic stability, a plain-language status, and the method.
 */
import { useState } from "react";
import Badge from "../../components/Badge.jsx";
import Banner from "../../components/Banner.jsx";
import Card from "../../components/Card.jsx";
import StateView from "../../components/StateView.jsx";
import { formatDateTime, formatMonth, formatNumber } from "../../lib/format.js";
import { useModelHealth } from "./api.js";
import { DriversTable, FeatureTable } from "./components/feature-table.jsx";
import PsiTrendChart from "./components/psi-trend-chart.jsx";
import { statusOf } from "./model.js";

const BANNER_TONE = { act: "danger", watch: "warning", stable: "good", insufficient: "info" };

function MonthRow({ month, selected, onSelect }) {
  const status = statusOf(month.status);
  return (
    <tr aria-selected={selected} data-month={month.month}>
      <th scope="row">
        <button type="button" className="link-button" onClick={() => onSelect(month.month)}>{formatMonth(month.month)}</button>
      </th>
      <td className="num">{formatNumber(month.n_scored)}</td>
      <td className="num">{month.score_psi === null ? "—" : formatNumber(month.score_psi, { decimals: 3 })}</td>
      <td><Badge tone={status.tone}>{status.label}</Badge></td>
    </tr>
  );
}

function Report({ data }) {
  const [chosen, setChosen] = useState(null);
  const months = data.months;
  const month = months.find((m) => m.month === chosen) || months[months.length - 1];
  const latest = statusOf(data.status);
  const { model, thresholds } = data;
  return (
    <div className="stack model-health">
      <Card title="Model Health"
        subtitle={`Risk model ${model.version} · trained ${formatDateTime(model.trained_at)} on ${formatNumber(model.training_rows)} rows · reference period ${data.reference_period}`}>
        <div className="stack">
          <Banner tone={BANNER_TONE[data.status] || "info"} title={`Latest month: ${latest.label}`}>
            {month ? month.summary : latest.text}
          </Banner>
          <PsiTrendChart months={months} thresholds={thresholds} />
          <p className="muted small">
            Stable below {thresholds.watch}; watch from {thresholds.watch}; act from {thresholds.act}.
            A month with fewer than {thresholds.min_scored} customers scored is not judged.
          </p>
        </div>
      </Card>
      {months.length > 0 && (
        <Card title="Months" subtitle="Customers scored in each as-of month and the stability of their risk scores.">
          <div className="table-scroll" role="region" aria-label="Months" tabIndex={0}>
            <table>
              <caption className="visually-hidden">Population stability by month</caption>
              <thead>
                <tr><th scope="col">Month</th><th scope="col" className="num">Scored</th><th scope="col" className="num">Score PSI</th><th scope="col">Status</th></tr>
              </thead>
              <tbody>
                {months.map((m) => <MonthRow key={m.month} month={m} selected={m.month === month?.month} onSelect={setChosen} />)}
              </tbody>
            </table>
          </div>
        </Card>
      )}
      {month && (
        <div className="grid-2">
          <Card title={`Top drivers · ${formatMonth(month.month)}`}
            subtitle="How far the model's most important inputs moved, and how much that alone shifted the scores.">
            <DriversTable month={month} />
          </Card>
          <Card title={`Every input · ${formatMonth(month.month)}`} subtitle="PSI of each model input, largest first.">
            <FeatureTable month={month} />
          </Card>
        </div>
      )}
      <Card title="How this is calculated">
        <p className="small" data-testid="calculation">{data.calculation}</p>
      </Card>
    </div>
  );
}

export default function ModelHealthPage() {
  const health = useModelHealth();
  return (
    <StateView loading={health.loading} error={health.error} onRetry={health.reload}
      loadingText="Loading the model's health…">
      {() => <Report data={health.data} />}
    </StateView>
  );
}
