import { useState } from "react";
import Banner from "../../components/Banner.jsx";
import Card from "../../components/Card.jsx";
import StateView from "../../components/StateView.jsx";
import { formatNumber } from "../../lib/format.js";
import { createConsent, revokeConsent, useAudit, useConsents } from "./api.js";
import AaCard from "./components/aa-card.jsx";
import AuditTable from "./components/audit-table.jsx";
import ConsentForm from "./components/consent-form.jsx";
import ConsentTable from "./components/consent-table.jsx";
import RevokeDialog from "./components/revoke-dialog.jsx";
import "./consents.css";

/**
 * Consents & Audit (admins): the Account Aggregator journey, the customer's consents, a new one, revocation
 * with erasure (after a plain confirmation), and the audit trail of every read and change.
 */
export default function ConsentsPage({ customerId }) {
  const consents = useConsents(customerId);
  const audit = useAudit(customerId);
  const [revoking, setRevoking] = useState(null);
  const [revoked, setRevoked] = useState(null);

  async function revoke(consent) {
    const result = await revokeConsent(consent.consentId);
    setRevoking(null);
    setRevoked(result);
    consents.reload();
    audit.reload();
  }

  async function create(body) {
    const artefact = await createConsent(body);
    setRevoked(null);
    consents.reload();
    audit.reload();
    return artefact;
  }

  // an AA job ended or the AA moved the consent: an approved one joins the registry, and both are audited
  function aaChanged() {
    consents.reload();
    audit.reload();
  }

  const list = consents.data?.consents || [];
  const entries = audit.data?.entries || [];
  return (
    <div className="consents stack">
      {revoked && (
        <Banner tone="warning" title={`Consent ${revoked.consent?.consentId?.slice(0, 8)}… revoked`}>
          <p className="banner-text">
            {revoked.erased_layers?.length
              ? `${revoked.customer_id}'s data was erased from: ${revoked.erased_layers.join(", ")}.`
              : `There was no data of ${revoked.customer_id} left to erase.`}
          </p>
        </Banner>
      )}
      <AaCard customerId={customerId} onChanged={aaChanged} />
      <Card title="Consents" subtitle="Account Aggregator consent artefacts of this customer, with their effective status.">
        <StateView loading={consents.loading && !consents.data} error={consents.error} onRetry={consents.reload}>
          {() => <ConsentTable consents={list} onRevoke={setRevoking} />}
        </StateView>
      </Card>
      <Card title="New consent" subtitle="Record a consent the customer approved in the Account Aggregator journey.">
        <ConsentForm customerId={customerId} onCreate={create} />
      </Card>
      <Card title="Audit trail" subtitle={audit.data ? `${formatNumber(audit.data.total)} entries, newest first` : "Who read or changed what, and under which consent."}>
        <StateView loading={audit.loading && !audit.data} error={audit.error} onRetry={audit.reload}>
          {() => <AuditTable entries={entries} />}
        </StateView>
      </Card>
      {revoking && (
        <RevokeDialog consent={revoking} customerId={customerId} onConfirm={revoke} onClose={() => setRevoking(null)} />
      )}
    </div>
  );
}
