/** The Pipeline Monitor's buttons, in pipeline order. `runs` names the runner steps the API runs for each. */
export const STEPS = [
  { id: "generate", label: "Validate Consent & Fetch Data", runs: ["generate"] },
  { id: "clean", label: "Clean & Validate", runs: ["clean"] },
  { id: "analyze", label: "Generate Analytics", runs: ["analyze"] },
  { id: "calculate_score", label: "Calculate Credit Score", runs: ["score"] },
  { id: "models", label: "Models", runs: ["models"] },
];
/** The button that runs every step in one job. */
export const RUN_ALL = { id: "run_all", label: "Run All", runs: ["generate", "clean", "analyze", "score", "models"] };
