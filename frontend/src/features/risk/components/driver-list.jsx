import Badge from "../../../components/Badge.jsx";
import { raisesRisk, signed } from "../model.js";

/** The top drivers in words: what each input is, and whether it raised or lowered this customer's risk. */
export default function DriverList({ drivers }) {
  const list = (drivers || []).filter(Boolean);
  if (!list.length) return <p className="muted">The model reported no drivers for this customer.</p>;
  return (
    <ol className="reason-list risk-drivers" aria-label="Top risk drivers">
      {list.map((d, i) => {
        const up = raisesRisk(d);
        return (
          <li key={d.feature || i}>
            <Badge tone={up ? "danger" : "good"}>{up ? "Raised risk" : "Lowered risk"}</Badge>{" "}
            {d.text ? <span>{d.text}</span> : (
              <span>
                {d.description || d.feature || `Driver ${i + 1}`}: {up ? "raised" : "lowered"} risk{" "}
                <span className="muted">({signed(d.shap_value)} log-odds)</span>
              </span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
