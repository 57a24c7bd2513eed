/**
 * The shared UI components. Charts are deliberately NOT re-exported here: import them from
 * "../../../components/charts.jsx" inside a lazily loaded feature so recharts stays out of the first view.
 */
export { default as Badge, toneFor } from "./Badge.jsx";
export { default as Banner } from "./Banner.jsx";
export { default as CalculationDialog } from "./CalculationDialog.jsx";
export { default as Card } from "./Card.jsx";
export { default as DataTable } from "./DataTable.jsx";
export { default as Dialog } from "./Dialog.jsx";
export { default as ErrorBoundary } from "./ErrorBoundary.jsx";
export { default as Gauge, DEFAULT_BANDS } from "./Gauge.jsx";
export { default as KeyValueList } from "./KeyValueList.jsx";
export { default as LiveLog, formatClockIST } from "./LiveLog.jsx";
export { default as MetricGrid, metricLabel, ratioStyle } from "./MetricGrid.jsx";
export { default as MetricTile } from "./MetricTile.jsx";
export { default as StateView } from "./StateView.jsx";
export { default as Tabs } from "./Tabs.jsx";
