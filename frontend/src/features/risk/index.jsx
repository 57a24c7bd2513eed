/**
 * Risk & Forecast: the risk model's probability of default with its top SHAP drivers and validation, and the
 * cash-flow forecast with scenarios, runway, suggested EMI ceiling, risk flags and back-test accuracy.
 * The two documents load independently: one missing does not hide the other.
 */
import { useForecast, useRiskModel } from "./api.js";
import ForecastSection from "./components/forecast-section.jsx";
import RiskModelSection from "./components/risk-model-section.jsx";
import "./risk.css";

export default function RiskPage({ customerId }) {
  const risk = useRiskModel(customerId);
  const forecast = useForecast(customerId);
  return (
    <div className="stack risk-page">
      <RiskModelSection state={risk} />
      <ForecastSection state={forecast} />
    </div>
  );
}
