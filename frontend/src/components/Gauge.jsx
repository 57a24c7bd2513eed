/**
 * A credit-score gauge: a half-dial from `min` to `max` (300–900) with coloured band arcs and a needle.
 * It is an image with a text alternative (`role="img"`, aria-label with the score and band), and the score
 * and band are also printed under it — the colours are never the only signal.
 */
export const DEFAULT_BANDS = [
  { code: "E", label: "High risk", min: 300, max: 599 },
  { code: "D", label: "Elevated risk", min: 600, max: 649 },
  { code: "C", label: "Moderate risk", min: 650, max: 699 },
  { code: "B", label: "Moderate-low risk", min: 700, max: 749 },
  { code: "A", label: "Low risk", min: 750, max: 900 },
];
const BAND_COLOURS = { A: "var(--good)", B: "var(--good-2)", C: "var(--warning)", D: "var(--warning-2)", E: "var(--danger)" };

const CX = 100;
const CY = 100;
const R = 80;

function point(fraction, radius = R) {
  const angle = Math.PI * (1 - fraction);
  return [CX + radius * Math.cos(angle), CY - radius * Math.sin(angle)];
}

function arc(from, to) {
  const [x1, y1] = point(from);
  const [x2, y2] = point(to);
  return `M ${x1.toFixed(2)} ${y1.toFixed(2)} A ${R} ${R} 0 0 1 ${x2.toFixed(2)} ${y2.toFixed(2)}`;
}

/**
 * `bandLabels={false}` names the score band by its letter only: where the PD band is the risk grade (the case
 * header), the score band's own risk words ("Low risk") must not stand beside it as a second opinion.
 */
export default function Gauge({ value, min = 300, max = 900, bands = DEFAULT_BANDS, band, label = "Credit score",
  bandLabels = true }) {
  const number = typeof value === "number" && Number.isFinite(value) ? value : null;
  const span = max - min || 1;
  const clamp = (v) => Math.min(Math.max((v - min) / span, 0), 1);
  const list = (bands && bands.length ? bands : DEFAULT_BANDS).slice().sort((a, b) => a.min - b.min);
  const current = band || (number !== null ? list.find((b) => number >= b.min && number <= b.max) : null);
  const description = number === null
    ? `${label}: not available`
    : `${label} ${Math.round(number)} on a scale of ${min} to ${max}${current ? `, band ${current.code}${bandLabels ? ` ${current.label}` : ""}` : ""}`;
  const needle = number !== null ? point(clamp(number), R - 18) : null;
  return (
    <figure className="gauge">
      <svg viewBox="0 0 200 112" role="img" aria-label={description} focusable="false">
        <path d={arc(0, 1)} className="gauge-track" />
        {list.map((b) => (
          <path
            key={b.code}
            d={arc(clamp(b.min), clamp(Math.min(b.max + 1, max)))}
            stroke={BAND_COLOURS[b.code] || "var(--muted)"}
            className="gauge-band"
          />
        ))}
        {needle && (
          <>
            <line x1={CX} y1={CY} x2={needle[0].toFixed(2)} y2={needle[1].toFixed(2)} className="gauge-needle" />
            <circle cx={CX} cy={CY} r="5" className="gauge-hub" />
          </>
        )}
        <text x={CX - R} y={CY + 12} className="gauge-tick" textAnchor="middle">{min}</text>
        <text x={CX + R} y={CY + 12} className="gauge-tick" textAnchor="middle">{max}</text>
      </svg>
      <figcaption>
        <span className="gauge-value">{number === null ? "—" : Math.round(number)}</span>
        {current && (
          <span className={`badge badge-band-${current.code}`}>
            Band {current.code}{bandLabels ? ` · ${current.label}` : ""}
          </span>
        )}
      </figcaption>
    </figure>
  );
}
