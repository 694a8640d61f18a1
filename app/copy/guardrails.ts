import { checkDiscounts, checkPrices, checkProducts, checkUrgency } from "./grounding-rules";
import { countEmoji, draftFields, findWord, type DraftField } from "./text";
import { RECIPIENT_PLACEHOLDERS, type CopyDraft, type CopyRequest } from "./types";

export { sanitizeDraft } from "./sanitize";

// Guardrails run on every draft, whoever wrote it, after `sanitizeDraft`. A "block" finding means the
// draft must not be offered as ready; a "warn" finding is shown to the merchant next to the draft.
// Pure: the same draft and context always give the same findings, so they can be stored with the
// content version that produced them.

export type Severity = "block" | "warn";

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  /** The offending text as it appears in the draft (or the name it matched). */
  evidence: string;
  /** Where: "subjects[1]", "body[0]", … */
  field: string;
}

export interface GuardrailContext {
  request: CopyRequest;
  /** Hosts links may point to (the shop's own domains); subdomains of these are allowed too. */
  allowedHosts: string[];
  /** Titles of the shop's other products: naming one of them in this campaign is blocked. */
  otherProductTitles?: string[];
}

export const SUBJECT_HARD_LIMIT = 78;
export const SUBJECT_SOFT_LIMIT = 60;
export const PREVIEW_MIN = 40;
export const PREVIEW_MAX = 110;

const finding = (rule: string, severity: Severity, message: string, evidence: string, field: string): Finding => ({
  rule, severity, message, evidence, field,
});

function checkWords(fields: DraftField[], request: CopyRequest): Finding[] {
  const out: Finding[] = [];
  for (const { field, text } of fields) {
    for (const word of request.voice.bannedWords) {
      const hit = findWord(text, word);
      if (hit) out.push(finding("banned_word", "block", `"${word}" is on the shop's banned list.`, hit, field));
    }
    for (const word of request.voice.vocabulary.avoid) {
      const hit = findWord(text, word);
      if (hit) out.push(finding("avoided_word", "warn", `The brand voice avoids "${word}".`, hit, field));
    }
  }
  return out;
}

function checkLengths(draft: CopyDraft, request: CopyRequest): Finding[] {
  const out: Finding[] = [];
  const recent = new Set(request.avoidSubjects.map((s) => s.trim().toLowerCase()));
  draft.subjects.forEach((subject, i) => {
    const field = `subjects[${i}]`;
    if (subject.length > SUBJECT_HARD_LIMIT) {
      out.push(finding("subject_length", "block", `Subject is ${subject.length} characters; the limit is ${SUBJECT_HARD_LIMIT}.`, subject, field));
    } else if (subject.length > SUBJECT_SOFT_LIMIT) {
      out.push(finding("subject_length", "warn", `Subject is ${subject.length} characters; most inboxes cut after ${SUBJECT_SOFT_LIMIT}.`, subject, field));
    }
    if (recent.has(subject.trim().toLowerCase())) {
      out.push(finding("subject_repeated", "warn", "This audience got the same subject recently.", subject, field));
    }
  });
  const preview = draft.previewText;
  if (preview.length < PREVIEW_MIN || preview.length > PREVIEW_MAX) {
    out.push(finding("preview_length", "warn", `Preview text is ${preview.length} characters; ${PREVIEW_MIN}–${PREVIEW_MAX} shows well in inboxes.`, preview, "previewText"));
  }
  if (draft.body.length > 4) {
    out.push(finding("body_length", "warn", `${draft.body.length} paragraphs; short emails (1–4) read better.`, String(draft.body.length), "body"));
  }
  return out;
}

const ACRONYMS = new Set(
  ("USA UK EU US FAQ DIY USB LED TV PDF VIP XS XL XXL OK RSVP UV SPF BBQ ID NYC LA PS AM PM GPS HD " +
    "USD EUR GBP JPY CAD AUD NZD CHF SEK NOK DKK INR").split(" "),
);
const SPAM_BLOCK = /\b(?:100% free|risk[- ]free|you(?:'ve| have) been (?:selected|chosen)|you(?:'re| are) a winner|no strings attached|double your (?:money|income)|cash bonus)\b|\${2,}/i;
const SPAM_WARN = /\b(?:act now|click here|once in a lifetime|order now|buy now|don'?t delete|call now|apply now)\b/i;

function checkSpam(fields: DraftField[], request: CopyRequest): Finding[] {
  const out: Finding[] = [];
  const exempt = new Set(
    [request.shopName, request.offer?.code ?? "", ...request.products.flatMap((p) => [p.title, p.vendor])]
      .flatMap((name) => name.match(/[A-Z0-9]{2,}/g) ?? []),
  );
  let caps = 0;
  let bangs = 0;
  let emoji = 0;
  for (const { field, text } of fields) {
    const isSubject = field.startsWith("subjects");
    const shouting = (text.replace(/\{\{[^}]*\}\}/g, "").match(/\b[A-Z]{3,}\b/g) ?? [])
      .filter((w) => !ACRONYMS.has(w) && !exempt.has(w));
    caps += shouting.length;
    if (isSubject && shouting.length > 0) {
      out.push(finding("spam_caps", "warn", "Words in capitals read as shouting and trip spam filters.", shouting.join(" "), field));
    }
    const fieldBangs = text.match(/!/g)?.length ?? 0;
    bangs += fieldBangs;
    if (/!{3,}/.test(text)) out.push(finding("spam_punctuation", "block", "Repeated exclamation marks are a spam signal.", "!!!", field));
    else if (/!{2}/.test(text) || (isSubject && fieldBangs > 1)) {
      out.push(finding("spam_punctuation", "warn", "More than one exclamation mark.", text, field));
    }
    const blocked = SPAM_BLOCK.exec(text);
    if (blocked) out.push(finding("spam_phrase", "block", "A phrase spam filters (and readers) distrust.", blocked[0], field));
    const warned = SPAM_WARN.exec(text);
    if (warned) out.push(finding("spam_phrase", "warn", "A pushy or vague phrase; say what the reader gets instead.", warned[0], field));
    const fieldEmoji = countEmoji(text);
    emoji += fieldEmoji;
    if (isSubject && fieldEmoji > 3) out.push(finding("spam_emoji", "block", `${fieldEmoji} emoji in one subject.`, text, field));
    else if (isSubject && fieldEmoji > 1) out.push(finding("spam_emoji", "warn", `${fieldEmoji} emoji in one subject.`, text, field));
    if (isSubject && /^\s*(?:re|fwd?|aw|wg|tr)\s*:/i.test(text)) {
      out.push(finding("fake_reply", "block", "A subject pretending to be a reply or forward.", text, field));
    }
  }
  if (caps >= 3) out.push(finding("spam_caps", "block", `${caps} words in capitals across the email.`, String(caps), "draft"));
  if (bangs > 6) out.push(finding("spam_punctuation", "block", `${bangs} exclamation marks across the email.`, String(bangs), "draft"));
  else if (bangs > 3) out.push(finding("spam_punctuation", "warn", `${bangs} exclamation marks across the email.`, String(bangs), "draft"));
  if (emoji > 8) out.push(finding("spam_emoji", "block", `${emoji} emoji across the email.`, String(emoji), "draft"));
  else if (emoji > 4) out.push(finding("spam_emoji", "warn", `${emoji} emoji across the email.`, String(emoji), "draft"));
  return out;
}

const OUTPUT = /\{\{([^{}]*)\}\}/g;
const EXPRESSION = /^\s*([a-z_][a-z0-9_]*)\s*((?:\|\s*[a-z_]+\s*(?::\s*(?:"[^"]*"|'[^']*'))?\s*)*)$/;
const ALLOWED_FILTERS = new Set(["default", "capitalize", "downcase", "upcase", "strip"]);
const LOOKALIKE = /[{[%<]\s*(?:first_?name|firstname|first name|name|discount_code|shop_name|product_block)\s*[}\]%>]/i;

function checkPlaceholders(fields: DraftField[]): Finding[] {
  const out: Finding[] = [];
  const known = new Set<string>(RECIPIENT_PLACEHOLDERS);
  for (const { field, text } of fields) {
    if (/\{%|%\}/.test(text)) {
      out.push(finding("liquid_tag", "block", "Liquid tags ({% %}) are not allowed in copy; only {{ placeholders }}.", text.match(/\{%[^]*?(?:%\}|$)/)?.[0] ?? "{%", field));
      continue;
    }
    for (const match of text.matchAll(OUTPUT)) {
      const parsed = EXPRESSION.exec(match[1]);
      if (!parsed) {
        out.push(finding("liquid_syntax", "block", "Not a valid placeholder expression.", match[0], field));
        continue;
      }
      if (!known.has(parsed[1])) {
        out.push(finding("placeholder_unknown", "block", `Unknown placeholder; allowed: ${RECIPIENT_PLACEHOLDERS.join(", ")}.`, match[0], field));
      } else if (parsed[1] === "product_block" && (field.startsWith("subjects") || field === "previewText" || field === "callToAction")) {
        out.push(finding("placeholder_misplaced", "block", "The product block can only stand in the body.", match[0], field));
      }
      for (const filter of parsed[2].matchAll(/\|\s*([a-z_]+)/g)) {
        if (!ALLOWED_FILTERS.has(filter[1])) {
          out.push(finding("liquid_syntax", "block", `Filter "${filter[1]}" is not allowed.`, match[0], field));
        }
      }
    }
    const rest = text.replace(OUTPUT, "");
    if (rest.includes("{{") || rest.includes("}}")) {
      out.push(finding("liquid_syntax", "block", "Unbalanced {{ }} braces.", text, field));
    } else {
      const lookalike = LOOKALIKE.exec(rest);
      if (lookalike) out.push(finding("liquid_syntax", "block", "A placeholder in the wrong syntax would be sent literally.", lookalike[0], field));
    }
  }
  return out;
}

const TLDS = "com|net|org|io|co|shop|store|app|info|biz|me|ly|link|xyz|online|site|us|uk|de|fr|ca|au|eu|nl|es|it";
const URL_LIKE = new RegExp(
  String.raw`\b(?:https?|ftp):\/\/[^\s<>"'{}]+|\bwww\.[^\s<>"'{}]+|\b[a-z0-9.-]*[a-z0-9]@(?:[a-z0-9-]+\.)+[a-z]{2,}\b|\b(?:[a-z0-9-]+\.)+(?:${TLDS})\b(?:\/[^\s<>"'{}]*)?`,
  "gi",
);

function hostOf(found: string): string {
  const withoutScheme = found.replace(/^[a-z]+:\/\//i, "");
  const afterAt = withoutScheme.includes("@") ? withoutScheme.split("@").pop() ?? "" : withoutScheme;
  return afterAt.split(/[/?#:]/)[0].toLowerCase().replace(/\.$/, "");
}

function checkLinks(fields: DraftField[], allowedHosts: string[]): Finding[] {
  const allowed = allowedHosts.map((h) => h.toLowerCase());
  const out: Finding[] = [];
  for (const { field, text } of fields) {
    if (/\b(?:javascript|data|vbscript):/i.test(text)) {
      out.push(finding("url_not_allowed", "block", "Script or data URLs are never allowed.", text.match(/\b(?:javascript|data|vbscript):\S*/i)?.[0] ?? "", field));
    }
    for (const match of text.matchAll(URL_LIKE)) {
      const host = hostOf(match[0]).replace(/^www\./, "");
      const ok = allowed.some((a) => host === a.replace(/^www\./, "") || host.endsWith(`.${a}`));
      if (!ok) out.push(finding("url_not_allowed", "block", "Links may only point to the shop's own domains.", match[0], field));
    }
  }
  return out;
}

function checkHtml(fields: DraftField[]): Finding[] {
  return fields.flatMap(({ field, text }) => {
    const tag = /<\/?[a-z!][^>]*>|<[a-z]+[\s/]|&(?:lt|gt|amp|#\d+|#x[0-9a-f]+);/i.exec(text);
    return tag ? [finding("html", "block", "Copy fields are plain text; markup is not allowed.", tag[0], field)] : [];
  });
}

/** Every guardrail finding for a draft, in a stable order. */
export function checkDraft(draft: CopyDraft, context: GuardrailContext): Finding[] {
  const fields = draftFields(draft);
  const { request } = context;
  const all = [
    ...checkHtml(fields),
    ...checkPlaceholders(fields),
    ...checkLinks(fields, context.allowedHosts),
    ...checkWords(fields, request),
    ...checkPrices(fields, request),
    ...checkDiscounts(fields, request),
    ...checkUrgency(fields, request),
    ...checkProducts(fields, context),
    ...checkLengths(draft, request),
    ...checkSpam(fields, request),
  ];
  const seen = new Set<string>();
  return all.filter((f) => {
    const key = `${f.rule}\u0000${f.field}\u0000${f.evidence}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function hasBlocking(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === "block");
}
