import { useId, useState } from "react";
import { AA_FI_TYPES, AA_PURPOSES } from "../api.js";

const INITIAL = { purpose: AA_PURPOSES[0].code, fiTypes: AA_FI_TYPES.filter((t) => t.checked).map((t) => t.id) };

/**
 * Step 1 of the AA journey: what to ask the customer's Account Aggregator for — the purpose (104, monitoring,
 * by default) and the FI types (bank accounts and GST returns by default). `onRequest({purpose, fiTypes})`
 * starts the request; `disabled` while a job of the customer runs.
 */
export default function AaRequestForm({ onRequest, disabled, again }) {
  const [form, setForm] = useState(INITIAL);
  const id = useId();
  const noTypes = form.fiTypes.length === 0;

  function toggle(type) {
    setForm((f) => ({ ...f, fiTypes: f.fiTypes.includes(type) ? f.fiTypes.filter((t) => t !== type) : [...f.fiTypes, type] }));
  }

  function submit(event) {
    event.preventDefault();
    if (noTypes || disabled) return;
    onRequest({ purpose: form.purpose, fiTypes: AA_FI_TYPES.map((t) => t.id).filter((t) => form.fiTypes.includes(t)) });
  }

  return (
    <form className="consent-form" onSubmit={submit} aria-label="Request consent from the Account Aggregator" noValidate>
      <div className="consent-form-grid">
        <div className="field">
          <label htmlFor={`${id}-purpose`}>Purpose</label>
          <select id={`${id}-purpose`} value={form.purpose} onChange={(e) => setForm((f) => ({ ...f, purpose: e.target.value }))}>
            {AA_PURPOSES.map((p) => <option key={p.code} value={p.code}>{p.code} — {p.text}</option>)}
          </select>
        </div>
      </div>
      <fieldset className="consent-types">
        <legend>FI types to ask for</legend>
        {AA_FI_TYPES.map((type) => (
          <label key={type.id} className="checkbox">
            <input type="checkbox" checked={form.fiTypes.includes(type.id)} onChange={() => toggle(type.id)} />
            <span><code>{type.id}</code> {type.label}</span>
          </label>
        ))}
        {noTypes && <p className="field-error" role="alert">Choose at least one FI type.</p>}
      </fieldset>
      <div className="row">
        <button type="submit" className="button" disabled={disabled || noTypes}>
          {again ? "Request a new consent" : "Request consent"}
        </button>
      </div>
    </form>
  );
}
