import { useState } from "react";
import { errorMessage } from "../../../lib/useApi.js";
import { downloadCreditMemo } from "../api.js";

/** "Download credit memo": the PDF for the loan file, fetched with the session's token and saved as a file. */
export default function MemoButton({ customerId }) {
  const [state, setState] = useState({ busy: false, error: null, saved: null });
  async function download() {
    setState({ busy: true, error: null, saved: null });
    try {
      const filename = await downloadCreditMemo(customerId);
      setState({ busy: false, error: null, saved: filename || `credit-memo-${customerId}.pdf` });
    } catch (error) {
      setState({ busy: false, error, saved: null });
    }
  }
  return (
    <span className="memo-button">
      <button type="button" className="button button-secondary" onClick={download} disabled={state.busy}>
        {state.busy ? "Preparing the memo…" : "Download credit memo"}
      </button>
      {state.saved && <span className="muted" role="status">Saved {state.saved}</span>}
      {state.error && <span className="field-error" role="alert">{errorMessage(state.error)}</span>}
    </span>
  );
}
