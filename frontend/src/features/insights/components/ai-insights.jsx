import Card from "../../../components/Card.jsx";
import StateView from "../../../components/StateView.jsx";
import { formatDateTime } from "../../../lib/format.js";

function List({ title, items }) {
  const list = Array.isArray(items) ? items.filter(Boolean) : [];
  if (list.length === 0) return null;
  return (
    <div>
      <h3>{title}</h3>
      <ul className="reason-list">{list.map((x, i) => <li key={i}>{String(x)}</li>)}</ul>
    </div>
  );
}

const PROVIDER_NAMES = { offline: "the built-in template (no AI model configured)", openai_compatible: "an OpenAI-compatible model", gemini: "Google Gemini" };

/**
 * The AI lending narrative, written on request (`POST /api/ai-insights`): summary, strengths, risks,
 * recommendation and suggested conditions, with the provider and model that wrote it. Text is shown as
 * plain text — never HTML from a model.
 */
export default function AiInsights({ result, error, loading, onGenerate }) {
  const narrative = result?.narrative || null;
  return (
    <Card
      title="AI insights"
      subtitle="A narrative of the figures above, for the credit note"
      actions={(
        <button type="button" className="button" onClick={onGenerate} disabled={loading} aria-busy={loading || undefined}>
          {loading ? "Writing insights…" : result ? "Regenerate AI insights" : "Get AI insights"}
        </button>
      )}
    >
      <StateView loading={loading} error={error} loadingText="Writing the narrative… this can take a few seconds."
        empty={!result} emptyText="Select “Get AI insights” for a written summary of this customer.">
        {() => (
          <div className="stack ai-narrative">
            <p className="muted" data-testid="ai-provider">
              Written by {PROVIDER_NAMES[result.provider] || result.provider || "an unknown provider"}
              {result.model && <> · model <code>{result.model}</code></>}
              {result.generated_at && <> · {formatDateTime(result.generated_at)}</>}
            </p>
            {!narrative ? (
              <p className="muted">The provider returned no narrative.</p>
            ) : (
              <>
                {narrative.summary && (
                  <div>
                    <h3>Summary</h3>
                    <p>{String(narrative.summary)}</p>
                  </div>
                )}
                <div className="grid-2">
                  <List title="Strengths" items={narrative.strengths} />
                  <List title="Risks" items={narrative.risks} />
                </div>
                {narrative.recommendation && (
                  <div>
                    <h3>Recommendation</h3>
                    <p>{String(narrative.recommendation)}</p>
                  </div>
                )}
                <List title="Suggested conditions" items={narrative.suggested_conditions} />
              </>
            )}
            {Array.isArray(result.attempts) && result.attempts.length > 0 && (
              <details>
                <summary>Providers tried</summary>
                <ul className="reason-list">
                  {result.attempts.map((a, i) => (
                    <li key={i}>{a.provider}: {a.status}{a.detail ? ` — ${a.detail}` : ""}</li>
                  ))}
                </ul>
              </details>
            )}
          </div>
        )}
      </StateView>
    </Card>
  );
}
