// Escaping for the two places copy and recipient data end up before Liquid sees them: the MJML/HTML
// source (compile time) and the plain-text Liquid source. Both must make copy text inert: no markup in
// HTML, and no Liquid delimiters anywhere, so text can never become a tag or an output.

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  // Braces as entities: the browser shows "{", Liquid never sees "{{" or "{%" coming from copy text.
  "{": "&#123;",
  "}": "&#125;",
};

/** Plain text → HTML text/attribute content that is also inert as Liquid source. */
export function escapeHtmlText(text: string): string {
  return text.replace(/[&<>"'{}]/g, (char) => HTML_ENTITIES[char]);
}

/** Plain text (possibly multi-line) → HTML, line breaks kept as <br>. */
export function escapeHtmlLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => escapeHtmlText(line))
    .join("<br>");
}

/**
 * Plain text → Liquid source that renders to exactly that text with no output escaping (text part,
 * subject). Only "{" can start a Liquid delimiter, so each one becomes an output of the string "{".
 */
export function escapeLiquidText(text: string): string {
  return text.replace(/\{/g, '{{ "{" }}');
}

// C0/C1 controls (CR, LF, TAB included) and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** One line of recipient data: controls become spaces, runs of spaces collapse, trimmed, capped. */
export function singleLine(value: string, maxLength: number): string {
  const line = value.replace(CONTROL, " ").replace(/\s+/g, " ").trim();
  return line.length > maxLength ? line.slice(0, maxLength).trimEnd() : line;
}
