import { Suspense, useEffect } from "react";
import Badge from "../components/Badge.jsx";
import ErrorBoundary from "../components/ErrorBoundary.jsx";
import StateView from "../components/StateView.jsx";
import Tabs from "../components/Tabs.jsx";
import CaseList from "../features/casefile/components/case-list.jsx";
import DecisionHeader from "../features/casefile/components/decision-header.jsx";
import { describeScope, signOut } from "../lib/auth.js";
import { humanize } from "../lib/format.js";
import CustomerHeader from "./CustomerHeader.jsx";
import CustomerPicker from "./CustomerPicker.jsx";
import { useCustomers } from "./customers.js";
import { CASE_TAB, TABS, resolveTab, visibleTabs } from "./tabs.js";
import { useUrlState } from "./url-state.js";

/**
 * The signed-in dashboard: header (picker, role, sign-out), the selected customer with the engine's decision
 * above the role's tabs; with no customer picked, the case list (opening a case opens its Case File).
 */
export default function Shell({ session, tabs = TABS }) {
  const { role, token } = session;
  const [url, setUrl] = useUrlState();
  const { customers, error, loading, refresh } = useCustomers(token);
  const visible = visibleTabs(role, tabs);
  const active = resolveTab(url.tab, role, tabs);
  const customer = customers?.find((c) => c.customer_id === url.customerId) || null;

  useEffect(() => {
    // a tab this role may not see (or a typo in a shared link) falls back to the landing tab
    if (url.tab && active && url.tab !== active.id) setUrl({ tab: active.id }, { replace: true });
  }, [url.tab, active, setUrl]);

  useEffect(() => {
    const name = customer?.name || url.customerId;
    document.title = `${name ? `${name} · ` : ""}${active ? `${active.label} · ` : ""}MSME Lending Dashboard`;
  }, [customer, url.customerId, active]);

  const Page = active?.page;
  const needsPick = active?.needsCustomer && !url.customerId;

  return (
    <div className="app">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <p className="brand">
          MSME Lending
          <small>Data lake dashboard</small>
        </p>
        <CustomerPicker
          customers={customers}
          loading={loading}
          error={error}
          selectedId={url.customerId}
          onSelect={(id) => setUrl({ customerId: id })}
          onOpen={refresh}
        />
        {url.customerId && (
          <button type="button" className="button button-secondary" onClick={() => setUrl({ customerId: null })}>
            All cases
          </button>
        )}
        <div className="user">
          <span className="role-text">Signed in as</span>
          <Badge tone="info" title={session.label || undefined}>{humanize(role)}</Badge>
          {session.scope && (
            <Badge tone="neutral" title="This token sees only these branches and customers">
              {describeScope(session.scope)}
            </Badge>
          )}
          <button type="button" className="button button-secondary" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <CustomerHeader customerId={url.customerId} customer={customer} listLoaded={Boolean(customers)} />
      {url.customerId && <DecisionHeader key={url.customerId} customerId={url.customerId} />}
      <main id="main" className="content" tabIndex={-1}>
        {visible.length === 0 ? (
          <StateView empty emptyText="Your role has no views." />
        ) : (
          <Tabs
            className="main-tabs"
            label="Dashboard views"
            idPrefix="view"
            tabs={visible.map((t) => ({ id: t.id, label: t.label }))}
            active={active?.id}
            onChange={(id) => setUrl({ tab: id })}
          >
            {needsPick ? (
              <CaseList onOpen={(id) => setUrl({ customerId: id, tab: CASE_TAB })} />
            ) : (
              <ErrorBoundary resetKey={`${active?.id}|${url.customerId}`} label={active?.label}>
                <Suspense fallback={<StateView loading loadingText={`Loading ${active?.label || "view"}…`} />}>
                  {Page && <Page key={`${active.id}|${url.customerId || ""}`} customerId={url.customerId} role={role} />}
                </Suspense>
              </ErrorBoundary>
            )}
          </Tabs>
        )}
      </main>
    </div>
  );
}
