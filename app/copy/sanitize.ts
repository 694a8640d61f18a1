import sanitizeHtml from "sanitize-html";
import type { CopyDraft } from "./types";

// Every draft field is plain text. An LLM (or a product description it echoes) can put markup in
// it; this strips all of it before guardrails run and before anything reaches the renderer, which
// then escapes the plain text it gets. Guardrails still check for leftovers (rule "html").

const STRIP_ALL: sanitizeHtml.IOptions = {
  allowedTags: [],
  allowedAttributes: {},
  disallowedTagsMode: "discard",
  // Dropped with their content, not just their tags.
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "iframe", "object", "template"],
};

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

// Zero-width characters and bidirectional overrides hide or reorder text (spoofing); C0/C1
// controls have no place in copy.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** Plain text from anything: tags gone, entities decoded, invisible characters and markdown emphasis gone. */
export function toPlainText(text: string): string {
  let current = text;
  // Entity-encoded markup ("&lt;script&gt;") becomes markup once decoded, so strip until stable.
  for (let i = 0; i < 5; i += 1) {
    const next = decodeEntities(sanitizeHtml(current, STRIP_ALL));
    if (next === current) break;
    current = next;
  }
  return current
    .normalize("NFC")
    .replace(INVISIBLE, "")
    .replace(/\*\*|__/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Strips HTML and script from every field and normalises whitespace. The result may no longer fit
 * `copyDraftSchema` (a subject that was only a tag is now empty); callers re-validate it.
 */
export function sanitizeDraft(draft: CopyDraft): CopyDraft {
  return {
    subjects: draft.subjects.map(toPlainText),
    previewText: toPlainText(draft.previewText),
    headline: toPlainText(draft.headline),
    body: draft.body.map(toPlainText).filter((paragraph) => paragraph.length > 0),
    callToAction: toPlainText(draft.callToAction),
  };
}
