/**
 * The dashboard's tabs: one entry per feature page, lazily loaded so each page (and recharts) is its own chunk.
 *
 * Entry: `{ id, label, minRole, needsCustomer, order, page }`
 *   id            the `?tab=` value and the tab's identity (kebab-case, unique)
 *   label         the tab's accessible name (e2e tests use getByRole("tab", { name: label }))
 *   minRole       "officer" | "analyst" | "admin": the least role that sees the tab
 *   needsCustomer true: the page is only rendered once a customer is picked (it gets `customerId`)
 *   order         position in the tab bar (lower first); ties keep list order
 *   page          lazy(() => import("../features/<feature>/index.jsx")) — default export `({ customerId, role })`
 *
 * Engineers B and C: APPEND your entries at the end of TABS (nothing else in this file). Suggested orders:
 * insights 10, profile 20, risk 30, reconciliation 40, recommendations 50, smart-collect 60, methodology 70,
 * pipeline 80, datasets 90, consents 100.
 */
import { lazy } from "react";
import { hasRole } from "../lib/auth.js";

export const TABS = [
  { id: "insights", label: "Analytics Insights", minRole: "officer", needsCustomer: true, order: 10,
    page: lazy(() => import("../features/insights/index.jsx")) },
  { id: "profile", label: "Customer Profile", minRole: "officer", needsCustomer: true, order: 20,
    page: lazy(() => import("../features/profile/index.jsx")) },
  { id: "methodology", label: "Methodology", minRole: "officer", needsCustomer: false, order: 70,
    page: lazy(() => import("../features/methodology/index.jsx")) },
  { id: "calculations", label: "Calculations", minRole: "officer", needsCustomer: true, order: 75,
    page: lazy(() => import("../features/methodology/calculations.jsx")) },
  { id: "pipeline", label: "Pipeline Monitor", minRole: "analyst", needsCustomer: false, order: 80,
    page: lazy(() => import("../features/pipeline/index.jsx")) },
  { id: "datasets", label: "Dataset Viewer", minRole: "analyst", needsCustomer: true, order: 90,
    page: lazy(() => import("../features/datasets/index.jsx")) },
  { id: "consents", label: "Consents & Audit", minRole: "admin", needsCustomer: true, order: 100,
    page: lazy(() => import("../features/consents/index.jsx")) },
  { id: "risk", label: "Risk & Forecast", minRole: "officer", needsCustomer: true, order: 30,
    page: lazy(() => import("../features/risk/index.jsx")) },
  { id: "reconciliation", label: "Reconciliation", minRole: "officer", needsCustomer: true, order: 40,
    page: lazy(() => import("../features/reconciliation/index.jsx")) },
  { id: "recommendations", label: "Recommendations", minRole: "officer", needsCustomer: true, order: 50,
    page: lazy(() => import("../features/recommendations/index.jsx")) },
  { id: "smart-collect", label: "Smart Collect", minRole: "officer", needsCustomer: true, order: 60,
    page: lazy(() => import("../features/smart-collect/index.jsx")) },
  { id: "portfolio", label: "Portfolio Monitor", minRole: "analyst", needsCustomer: false, order: 85,
    page: lazy(() => import("../features/portfolio/index.jsx")) },
  { id: "case", label: "Case File", minRole: "officer", needsCustomer: true, order: 5,
    page: lazy(() => import("../features/casefile/index.jsx")) },
  { id: "model-health", label: "Model Health", minRole: "analyst", needsCustomer: false, order: 87,
    page: lazy(() => import("../features/model-health/index.jsx")) },
];

/** The tab a case opens on from the case list: the officer's decision and the case history. */
export const CASE_TAB = "case";

/** The landing tab (a loan officer's first view). */
export const DEFAULT_TAB = "insights";

/** The tabs `role` may see, in tab-bar order. */
export function visibleTabs(role, tabs = TABS) {
  return tabs
    .map((tab, index) => ({ tab, index }))
    .filter(({ tab }) => hasRole(tab.minRole || "officer", role))
    .sort((a, b) => (a.tab.order ?? 1000) - (b.tab.order ?? 1000) || a.index - b.index)
    .map(({ tab }) => tab);
}

/** The tab `id` if `role` may see it, else the default (or first visible) tab. */
export function resolveTab(id, role, tabs = TABS) {
  const visible = visibleTabs(role, tabs);
  return visible.find((t) => t.id === id) || visible.find((t) => t.id === DEFAULT_TAB) || visible[0] || null;
}
