import { useId, useState } from "react";
import { errorMessage } from "../../../lib/useApi.js";
import { DATA_LIFE_UNITS, FETCH_TYPES, FI_TYPES, PURPOSES } from "../api.js";

const INITIAL = { purpose: "104", fiTypes: FI_TYPES.map((f) => f.id), fetchType: "PERIODIC", lifeValue: 1, lifeUnit: "YEAR", months: 36 };

/** The request body the API expects from the form's fields. */
export function consentRequest(customerId, form) {
  return {
    customer_id: customerId,
    purpose: form.purpose,
    fiTypes: form.fiTypes,
    fetchType: form.fetchType,
    DataLife: form.lifeUnit === "INF" ? { unit: "INF", value: 0 } : { unit: form.lifeUnit, value: Number(form.lifeValue) },
    dataRangeMonths: Number(form.months),
  };
}

/**
 * Record a new consent for the customer (as the AA would after the customer approves): purpose, the FI types
 * it covers, one-time or periodic fetch, how long fetched data may be kept (DataLife) and how many months of
 * history. Field errors from the API are shown next to the form.
 */
export default function ConsentForm({ customerId, onCreate }) {
  const [form, setForm] = useState(INITIAL);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [created, setCreated] = useState(null);
  const id = useId();
  const set = (key) => (event) => setForm((f) => ({ ...f, [key]: event.target.value }));
  const noTypes = form.fiTypes.length === 0;
  const lifeValid = form.lifeUnit === "INF" || (Number.isInteger(Number(form.lifeValue)) && Number(form.lifeValue) >= 1);
  const monthsValid = Number.isInteger(Number(form.months)) && Number(form.months) >= 1 && Number(form.months) <= 120;

  function toggleType(type) {
    setForm((f) => ({ ...f, fiTypes: f.fiTypes.includes(type) ? f.fiTypes.filter((t) => t !== type) : [...f.fiTypes, type] }));
  }

  async function submit(event) {
    event.preventDefault();
    if (noTypes || !lifeValid || !monthsValid) return;
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      const artefact = await onCreate(consentRequest(customerId, form));
      setCreated(artefact);
    } catch (exc) {
      setError(exc);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="consent-form" onSubmit={submit} aria-label="Create a consent" noValidate>
      <div className="consent-form-grid">
        <div className="field">
          <label htmlFor={`${id}-purpose`}>Purpose</label>
          <select id={`${id}-purpose`} value={form.purpose} onChange={set("purpose")}>
            {PURPOSES.map((p) => <option key={p.code} value={p.code}>{p.code} — {p.text}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-fetch`}>Fetch type</label>
          <select id={`${id}-fetch`} value={form.fetchType} onChange={set("fetchType")}>
            {FETCH_TYPES.map((f) => <option key={f.id} value={f.id}>{f.label}</option>)}
          </select>
        </div>
        <fieldset className="field consent-life">
          <legend>DataLife (how long fetched data may be kept)</legend>
          <div className="row">
            <label className="visually-hidden" htmlFor={`${id}-life`}>DataLife value</label>
            <input id={`${id}-life`} type="number" min="1" step="1" value={form.lifeValue} onChange={set("lifeValue")}
              disabled={form.lifeUnit === "INF"} aria-invalid={!lifeValid || undefined} />
            <label className="visually-hidden" htmlFor={`${id}-unit`}>DataLife unit</label>
            <select id={`${id}-unit`} value={form.lifeUnit} onChange={set("lifeUnit")}>
              {DATA_LIFE_UNITS.map((u) => <option key={u.id} value={u.id}>{u.label}</option>)}
            </select>
          </div>
          {!lifeValid && <p className="field-error" role="alert">DataLife must be a whole number of at least 1.</p>}
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-months`}>Months of history to fetch</label>
          <input id={`${id}-months`} type="number" min="1" max="120" step="1" value={form.months} onChange={set("months")}
            aria-invalid={!monthsValid || undefined} />
          {!monthsValid && <p className="field-error" role="alert">Choose 1 to 120 months.</p>}
        </div>
      </div>
      <fieldset className="consent-types">
        <legend>FI types covered</legend>
        {FI_TYPES.map((type) => (
          <label key={type.id} className="checkbox">
            <input type="checkbox" checked={form.fiTypes.includes(type.id)} onChange={() => toggleType(type.id)} />
            <span><code>{type.id}</code> {type.label}</span>
          </label>
        ))}
        {noTypes && <p className="field-error" role="alert">Choose at least one FI type.</p>}
      </fieldset>
      <div className="row">
        <button type="submit" className="button" disabled={busy || noTypes || !lifeValid || !monthsValid}>
          {busy ? "Creating…" : "Create consent"}
        </button>
        {created && <p role="status" className="consent-created">Consent {created.consentId} created and ACTIVE.</p>}
      </div>
      {error && (
        <p role="alert" className="field-error">
          {error.field ? `${error.field}: ` : ""}{errorMessage(error)}
        </p>
      )}
    </form>
  );
}
