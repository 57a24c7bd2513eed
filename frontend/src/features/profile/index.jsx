import { useState } from "react";
import StateView from "../../components/StateView.jsx";
import Tabs from "../../components/Tabs.jsx";
import AnomaliesSection from "./components/anomalies-section.jsx";
import CreditSection from "./components/credit-section.jsx";
import EarningsSection from "./components/earnings-section.jsx";
import GstSection from "./components/gst-section.jsx";
import { InsuranceSection, MutualFundsSection } from "./components/holdings-sections.jsx";
import { OcenSection, OndcSection } from "./components/ocen-ondc-sections.jsx";
import OverviewSection from "./components/overview-section.jsx";
import SignalsSection from "./components/signals-section.jsx";
import TransactionsSection from "./components/transactions-section.jsx";
import { useAnomalies, useProfile } from "./api.js";

export const SECTIONS = [
  { id: "overview", label: "Overview" },
  { id: "transactions", label: "Transactions" },
  { id: "gst", label: "GST Returns" },
  { id: "credit", label: "Credit" },
  { id: "earnings", label: "Earnings & Spendings" },
  { id: "anomalies", label: "Anomalies" },
  { id: "signals", label: "Signals" },
  { id: "mutual-funds", label: "Mutual Funds" },
  { id: "insurance", label: "Insurance" },
  { id: "ocen", label: "OCEN" },
  { id: "ondc", label: "ONDC" },
];

/**
 * Customer Profile: every source of the customer in ten sections and its behavioural signals (`GET /api/customer-profile`), plus the
 * anomalies (`GET /api/anomalies`, loaded when that section opens). A flagged transaction's id jumps to
 * Transactions filtered by that id.
 */
export default function ProfilePage({ customerId, initialSection = "overview" }) {
  const [section, setSection] = useState(initialSection);
  const [txnQuery, setTxnQuery] = useState({ q: "", n: 0 });
  const [anomaliesWanted, setAnomaliesWanted] = useState(initialSection === "anomalies");
  const profile = useProfile(customerId);
  const anomalies = useAnomalies(anomaliesWanted ? customerId : null);

  function open(id) {
    if (id === "anomalies") setAnomaliesWanted(true);
    setSection(id);
  }

  function showTransaction(txnId) {
    setTxnQuery((prev) => ({ q: txnId, n: prev.n + 1 }));
    setSection("transactions");
  }

  return (
    <div className="stack profile">
      <h2 className="visually-hidden">Customer Profile</h2>
      <StateView loading={profile.loading} error={profile.error} onRetry={profile.reload} loadingText="Loading the profile…"
        empty={!profile.loading && !profile.error && !profile.data} emptyText="No profile for this customer.">
        {() => {
          const p = profile.data;
          return (
            <Tabs className="subtabs" label="Profile sections" idPrefix="profile" tabs={SECTIONS} active={section} onChange={open}>
              {section === "overview" && <OverviewSection overview={p.overview} transactionCount={p.transactions?.count} />}
              {section === "transactions" && (
                <TransactionsSection key={txnQuery.n} customerId={customerId} metrics={p.transactions?.metrics}
                  bounces={p.transactions?.bounces} windowDressing={p.transactions?.window_dressing}
                  onShowTxn={showTransaction} query={txnQuery.q} />
              )}
              {section === "gst" && <GstSection gst={p.gst} />}
              {section === "credit" && <CreditSection credit={p.credit} />}
              {section === "earnings" && <EarningsSection earnings={p.earnings_spendings} />}
              {section === "anomalies" && (
                <AnomaliesSection data={anomalies.data} error={anomalies.error} loading={anomalies.loading || !anomaliesWanted}
                  onRetry={anomalies.reload} onShowTransaction={showTransaction} />
              )}
              {section === "signals" && <SignalsSection signals={p.signals} onShowTxn={showTransaction} />}
              {section === "mutual-funds" && <MutualFundsSection funds={p.mutual_funds} />}
              {section === "insurance" && <InsuranceSection insurance={p.insurance} />}
              {section === "ocen" && <OcenSection ocen={p.ocen} />}
              {section === "ondc" && <OndcSection ondc={p.ondc} />}
            </Tabs>
          );
        }}
      </StateView>
    </div>
  );
}
