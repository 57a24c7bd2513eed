import { useId, useState } from "react";
import { formatINR, formatINRWords, toNumber } from "../../../lib/format.js";
import { errorMessage } from "../../../lib/useApi.js";
import { recordOfficerDecision } from "../api.js";
import { notifyCaseChanged } from "../events.js";
import { APPROVALS, DECISIONS, decisionLabel, differences, engineAmount } from "../labels.js";

function initialForm(engine) {
  const offered = engineAmount(engine);
  return {
    choice: engine?.decision || "REFER",
    amount: offered === null ? "" : String(offered),
    conditions: (engine?.conditions || []).join("\n"),
    note: "",
    reason: "",
  };
}

/** The request body from the form: the amount only for an approval, conditions one per line. */
export function decisionRequest(customerId, form) {
  const body = {
    customer_id: customerId,
    decision: form.choice,
    conditions: form.conditions.split("\n").map((c) => c.trim()).filter(Boolean),
    note: form.note.trim(),
    reason: form.reason.trim(),
  };
  const amount = toNumber(form.amount);
  if (APPROVALS.includes(form.choice) && amount !== null) body.amount = amount;
  return body;
}

/** Problems the officer can fix before sending, keyed by field (empty when the form can be sent). */
export function checkForm(engine, form) {
  const problems = {};
  const approving = APPROVALS.includes(form.choice);
  const amount = toNumber(form.amount);
  if (approving && form.amount.trim() && (amount === null || amount <= 0)) {
    problems.amount = "Enter the amount in rupees, above zero (for example 500000).";
  }
  if (approving && !form.amount.trim() && engineAmount(engine) === null) {
    problems.amount = "Enter the amount: the engine made no offer to accept.";
  }
  if (form.choice === "APPROVE_WITH_CONDITIONS" && !form.conditions.trim()) {
    problems.conditions = "List at least one condition, one per line.";
  }
  const changed = differences(engine, form.choice, approving ? form.amount : "");
  if (changed.length && !form.reason.trim()) {
    const what = changed.join(" and ");
    problems.reason = `Give a reason: your ${what} differs from the engine's (${decisionLabel(engine?.decision)}${
      changed.includes("amount") && engineAmount(engine) !== null ? `, ${formatINRWords(engineAmount(engine))}` : ""}).`;
  }
  return problems;
}

/**
 * Record the officer's own decision: approve, approve with conditions, refer or decline, with the amount,
 * conditions, a note and — whenever it departs from the engine's decision or amount — the reason, which is
 * checked here and again by the server. The recorded decision appears in the case history.
 */
export default function DecisionForm({ customerId, engine }) {
  const [form, setForm] = useState(() => initialForm(engine));
  const [problems, setProblems] = useState({});
  const [serverError, setServerError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [recorded, setRecorded] = useState(null);
  const id = useId().replace(/:/g, "");
  const approving = APPROVALS.includes(form.choice);
  const offered = engineAmount(engine);
  const changed = differences(engine, form.choice, approving ? form.amount : "");

  const set = (key) => (event) => {
    const value = event.target.value;
    setForm((f) => {
      const next = { ...f, [key]: value };
      if (key === "choice" && value === "APPROVE_WITH_CONDITIONS" && !f.conditions.trim()) {
        next.conditions = (engine?.conditions || []).join("\n");
      }
      return next;
    });
    setProblems((p) => ({ ...p, [key === "choice" ? "reason" : key]: undefined }));
  };

  async function submit(event) {
    event.preventDefault();
    setRecorded(null);
    setServerError(null);
    const found = checkForm(engine, form);
    setProblems(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const record = await recordOfficerDecision(decisionRequest(customerId, form));
      setRecorded(record);
      setForm((f) => ({ ...f, note: "", reason: "" }));
      notifyCaseChanged(customerId);
    } catch (error) {
      setServerError(error);
      if (error?.field) setProblems({ [error.field.split("[")[0]]: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  const describe = (field) => (problems[field] ? `${id}-${field}-error` : undefined);
  const fieldError = (field) => problems[field] && (
    <p className="field-error" id={`${id}-${field}-error`} role="alert">{problems[field]}</p>
  );

  return (
    <form className="decision-form stack" onSubmit={submit} aria-label="Record your decision" noValidate>
      <fieldset className="field">
        <legend>Your decision</legend>
        <div className="row">
          {DECISIONS.map((d) => (
            <label key={d.id} className="choice">
              <input type="radio" name={`${id}-decision`} value={d.id} checked={form.choice === d.id} onChange={set("choice")} />
              {d.label}
              {engine?.decision === d.id && <>{" "}<span className="muted">(engine)</span></>}
            </label>
          ))}
        </div>
      </fieldset>
      {approving && (
        <div className="field">
          <label htmlFor={`${id}-amount`}>Amount (₹)</label>
          <input id={`${id}-amount`} inputMode="decimal" value={form.amount} onChange={set("amount")}
            aria-invalid={Boolean(problems.amount) || undefined} aria-describedby={describe("amount") || `${id}-amount-hint`} />
          <span className="muted" id={`${id}-amount-hint`}>
            {offered === null ? "The engine made no offer." : `The engine offers ${formatINR(offered)} (${formatINRWords(offered)}).`}
            {toNumber(form.amount) !== null && ` You enter ${formatINRWords(form.amount)}.`}
          </span>
          {fieldError("amount")}
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-conditions`}>Conditions (one per line)</label>
        <textarea id={`${id}-conditions`} rows={3} value={form.conditions} onChange={set("conditions")}
          aria-invalid={Boolean(problems.conditions) || undefined} aria-describedby={describe("conditions")} />
        {fieldError("conditions")}
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note</label>
        <textarea id={`${id}-note`} rows={2} value={form.note} onChange={set("note")} maxLength={2000}
          aria-invalid={Boolean(problems.note) || undefined} aria-describedby={describe("note")} />
        {fieldError("note")}
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`}>
          Reason{changed.length ? " (required: your decision differs from the engine's)" : " (required when you differ from the engine)"}
        </label>
        <textarea id={`${id}-reason`} rows={2} value={form.reason} onChange={set("reason")} maxLength={2000}
          required={changed.length > 0} aria-invalid={Boolean(problems.reason) || undefined} aria-describedby={describe("reason")} />
        {fieldError("reason")}
      </div>
      {serverError && !serverError.field && <p className="field-error" role="alert">{errorMessage(serverError)}</p>}
      <div className="row">
        <button type="submit" className="button" disabled={busy}>{busy ? "Recording…" : "Record decision"}</button>
        {recorded && (
          <span role="status" className="muted">
            Recorded: {decisionLabel(recorded.decision)}{recorded.differs ? " (differs from the engine)" : ""}.
          </span>
        )}
      </div>
    </form>
  );
}
