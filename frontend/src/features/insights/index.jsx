import AiInsights from "./components/ai-insights.jsx";
import AlertBanner from "./components/alert-banner.jsx";
import KeyMetrics from "./components/key-metrics.jsx";
import RecommendationCard from "./components/recommendation-card.jsx";
import RiskCard from "./components/risk-card.jsx";
import ScoreCard, { ScoreReasons } from "./components/score-card.jsx";
import { useAiInsights, useCreditScore, useOverallSummary, useRiskModel } from "./api.js";

/**
 * Analytics Insights — a loan officer's landing view: alerts first (a HIGH fraud alert on top in red),
 * then score, default risk and the recommendation, the key metrics, and an AI narrative on request.
 * Each block loads on its own, so the small score document shows while the summary is still on its way.
 */
export default function InsightsPage({ customerId }) {
  const score = useCreditScore(customerId);
  const risk = useRiskModel(customerId);
  const summary = useOverallSummary(customerId);
  const ai = useAiInsights(customerId);
  const overall = summary.data;

  return (
    <div className="stack insights">
      <h2 className="visually-hidden">Analytics Insights</h2>
      {overall && <AlertBanner alerts={overall.alerts} />}
      <div className="grid-3">
        <ScoreCard data={score.data} error={score.error} loading={score.loading} onRetry={score.reload} />
        <RiskCard data={risk.data} error={risk.error} loading={risk.loading} onRetry={risk.reload} />
        <RecommendationCard recommendation={overall?.recommendation} loading={summary.loading} error={summary.error}
          onRetry={summary.reload} />
      </div>
      {!score.loading && !score.error && <ScoreReasons data={score.data} />}
      {!summary.loading && !summary.error && <KeyMetrics metrics={overall?.key_metrics} />}
      <AiInsights result={ai.result} error={ai.error} loading={ai.loading} onGenerate={ai.generate} />
    </div>
  );
}
