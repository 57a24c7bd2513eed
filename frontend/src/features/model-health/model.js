/** What a drift status means to a credit analyst, and how each is shown. */
export const STATUS = {
  stable: { tone: "good", label: "Stable", text: "The customers scored look like those the model was trained on." },
  watch: { tone: "warning", label: "Watch", text: "The population has shifted somewhat: the model can still be used, keep an eye on the next months." },
  act: { tone: "danger", label: "Act", text: "The population differs markedly from the training data: review the model (recalibrate or retrain) before relying on its bands." },
  insufficient: { tone: "neutral", label: "Too few scored", text: "Too few customers were scored to tell a shift from chance." },
};

/** The status entry for a code (unknown codes read as "insufficient"). */
export function statusOf(code) {
  return STATUS[code] || STATUS.insufficient;
}

/**
 * Chart points: one per month with the score PSI and the largest top-driver CSI. Both are null for a month
 * with too few customers scored (PSI on a handful of rows is noise, and plotting it would look like an alarm).
 */
export function trendPoints(months) {
  return (months || []).map((m) => {
    const judged = m.status !== "insufficient";
    return {
      month: m.month,
      score: judged ? m.score_psi : null,
      driver: judged && m.top_drivers?.length ? Math.max(...m.top_drivers.map((d) => d.csi)) : null,
      status: m.status,
      n: m.n_scored,
    };
  });
}
