import { useId } from "react";
import { CUSTOMER_ID_HINT, isValidCustomerId } from "../api.js";

/**
 * The customer id the steps run for: a labelled input checked against CUST_XXX_NNNNN as the person types,
 * with the rule said in words, and a button that fills in a new random id (a new customer to generate).
 */
export default function CustomerIdField({ value, onChange, onRandom, disabled = false }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const invalid = value !== "" && !isValidCustomerId(value);
  return (
    <div className="pipeline-customer">
      <div className="field">
        <label htmlFor={id}>Customer ID</label>
        <input
          id={id}
          type="text"
          value={value}
          autoComplete="off"
          spellCheck={false}
          placeholder="CUST_MSM_00001"
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? `${errorId} ${hintId}` : hintId}
          disabled={disabled}
          onChange={(event) => onChange(event.target.value.trim().toUpperCase())}
        />
        <small id={hintId} className="muted">{CUSTOMER_ID_HINT}</small>
        {invalid && (
          <p id={errorId} className="field-error" role="alert">
            “{value}” is not a valid customer ID.
          </p>
        )}
      </div>
      <button type="button" className="button button-secondary" onClick={onRandom} disabled={disabled}>
        Generate Random Customer ID
      </button>
    </div>
  );
}
