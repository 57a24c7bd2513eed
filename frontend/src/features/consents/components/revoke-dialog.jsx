import { useState } from "react";
import Dialog from "../../../components/Dialog.jsx";
import { errorMessage } from "../../../lib/useApi.js";

/**
 * The confirmation before a revocation. It says plainly what happens: the customer's data is erased from
 * every layer of the lake, at once, and cannot be brought back without a new consent and a new fetch.
 */
export default function RevokeDialog({ consent, customerId, onConfirm, onClose }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm(consent);
    } catch (exc) {
      setError(exc);
      setBusy(false);
    }
  }

  return (
    <Dialog title="Revoke consent and erase data?" onClose={busy ? undefined : onClose} className="revoke-dialog">
      <p>
        You are revoking consent <code>{consent.consentId}</code> ({consent.Purpose?.code} — {consent.Purpose?.text}) of{" "}
        <strong>{customerId}</strong>.
      </p>
      <p className="revoke-warning">
        <strong>All of this customer's data will be erased from every layer of the lake</strong> — raw, clean,
        quarantine, analytics and logs — immediately. This cannot be undone: seeing this customer again needs a
        new consent and a new data fetch. The revocation and the erasure are recorded in the audit trail.
      </p>
      {error && <p role="alert" className="field-error">{errorMessage(error)}</p>}
      <div className="dialog-actions">
        <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>Cancel</button>
        <button type="button" className="button button-danger" onClick={confirm} disabled={busy}>
          {busy ? "Revoking…" : "Revoke and erase data"}
        </button>
      </div>
    </Dialog>
  );
}
