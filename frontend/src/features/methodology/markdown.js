/** Markdown rendering for the Methodology page (kept apart so only that page's chunk carries `marked`). */
import { Marked, Renderer } from "marked";

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
const SAFE_HREF = /^(https?:|mailto:|#|\/(?!\/)|\.{0,2}\/)/i;

/** A heading's anchor: lower-case words joined by hyphens. */
export function slugify(text) {
  return String(text).toLowerCase().replace(/<[^>]*>/g, "").replace(/&[a-z]+;|&#\d+;/g, "")
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "section";
}

/**
 * Markdown to HTML for our own document, defensively: raw HTML in the Markdown is shown as text, links other
 * than http(s), mailto, anchors and relative paths are dropped, headings get ids for the table of contents.
 * Returns `{html, headings: [{id, text, depth}]}`.
 */
export function renderMarkdown(text) {
  const headings = [];
  const used = new Map();
  const marked = new Marked({
    gfm: true,
    walkTokens(token) {
      if ((token.type === "link" || token.type === "image") && !SAFE_HREF.test(token.href || "")) token.href = "#";
    },
    renderer: {
      html(token) {
        return escapeHtml(token.text ?? token.raw ?? "");
      },
      heading(token) {
        const inner = this.parser.parseInline(token.tokens);
        const base = slugify(token.text);
        const count = used.get(base) || 0;
        used.set(base, count + 1);
        const id = `m-${count ? `${base}-${count}` : base}`;
        headings.push({ id, text: token.text.replace(/[`*_]/g, ""), depth: token.depth });
        return `<h${token.depth} id="${id}">${inner}</h${token.depth}>\n`;
      },
      table(token) {
        // tables scroll inside their own box on a phone instead of widening the page
        const html = Renderer.prototype.table.call(this, token);
        return `<div class="md-table">${html}</div>`;
      },
    },
  });
  const html = marked.parse(String(text ?? ""));
  return { html, headings };
}
