import { useMemo } from "react";
import Card from "../../components/Card.jsx";
import StateView from "../../components/StateView.jsx";
import { useMethodology } from "./api.js";
import { renderMarkdown } from "./markdown.js";
import "./methodology.css";

/** The document's sections, as in-page links that move focus to the section (no URL change). */
function Contents({ headings }) {
  const sections = headings.filter((h) => h.depth === 2);
  if (sections.length < 3) return null;
  function go(event, id) {
    event.preventDefault();
    const target = document.getElementById(id);
    if (!target) return;
    target.setAttribute("tabindex", "-1");
    target.scrollIntoView?.({ block: "start" });
    target.focus({ preventScroll: true });
  }
  return (
    <nav className="md-contents" aria-label="Methodology contents">
      <p className="md-contents-title">Contents</p>
      <ol>
        {sections.map((h) => <li key={h.id}><a href={`#${h.id}`} onClick={(e) => go(e, h.id)}>{h.text}</a></li>)}
      </ol>
    </nav>
  );
}

/**
 * Methodology: the credit methodology the credit committee signs off, rendered from the Markdown the API
 * serves (our own document; raw HTML in it is shown as text all the same).
 */
export default function MethodologyPage() {
  const { data, error, loading, reload } = useMethodology();
  const rendered = useMemo(() => (data ? renderMarkdown(data) : null), [data]);
  return (
    <Card title="Credit methodology" subtitle="How the score, the overlays and every factor are computed — the same tables the code applies.">
      <StateView loading={loading} error={error} onRetry={reload} empty={data !== null && !String(data).trim()}
        emptyText="The methodology document is empty." loadingText="Loading the methodology…">
        {() => (
          <div className="methodology-layout">
            <Contents headings={rendered.headings} />
            {/* eslint-disable-next-line react/no-danger -- our own Markdown, rendered with raw HTML escaped */}
            <article className="markdown" dangerouslySetInnerHTML={{ __html: rendered.html }} />
          </div>
        )}
      </StateView>
    </Card>
  );
}
