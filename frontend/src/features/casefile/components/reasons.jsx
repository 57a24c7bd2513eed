import { topReasons } from "../labels.js";

/** The top three reasons for and against the decision, in plain words. */
export default function Reasons({ decision, count = 3 }) {
  const forList = topReasons(decision?.reasons_for, count);
  const against = topReasons(decision?.reasons_against, count);
  if (!forList.length && !against.length) return null;
  return (
    <div className="reasons grid-2">
      <div>
        <h3>Reasons for</h3>
        {forList.length ? (
          <ul className="reason-list" aria-label="Reasons for">{forList.map((r) => <li key={r}>{r}</li>)}</ul>
        ) : <p className="muted">None stated.</p>}
      </div>
      <div>
        <h3>Reasons against</h3>
        {against.length ? (
          <ul className="reason-list" aria-label="Reasons against">{against.map((r) => <li key={r}>{r}</li>)}</ul>
        ) : <p className="muted">None stated.</p>}
      </div>
    </div>
  );
}
