import type { CopyDraft } from "./types";

// Small text helpers shared by the built-in copywriter and the guardrails. They must agree on what
// "contains a banned word" means, or the built-in writer would pick lines the guardrails then block.

export interface DraftField {
  /** "subjects[0]", "previewText", "headline", "body[2]", "callToAction". */
  field: string;
  text: string;
}

export function draftFields(draft: CopyDraft): DraftField[] {
  return [
    ...draft.subjects.map((text, i) => ({ field: `subjects[${i}]`, text })),
    { field: "previewText", text: draft.previewText },
    { field: "headline", text: draft.headline },
    ...draft.body.map((text, i) => ({ field: `body[${i}]`, text })),
    { field: "callToAction", text: draft.callToAction },
  ];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The forms a merchant means by one word: "deal" also bans "deals"; "party" also bans "parties". */
function wordForms(word: string): string[] {
  const base = word.trim().toLowerCase();
  const forms = new Set([base, `${base}s`, `${base}es`]);
  if (/[^aeiou]y$/.test(base)) forms.add(`${base.slice(0, -1)}ies`);
  // A plural given as the banned word also bans the singular ("deals" → "deal").
  if (base.endsWith("ies") && base.length > 4) forms.add(`${base.slice(0, -3)}y`);
  else if (base.endsWith("es") && base.length > 3) forms.add(base.slice(0, -2));
  if (base.endsWith("s") && !base.endsWith("ss") && base.length > 3) forms.add(base.slice(0, -1));
  return [...forms];
}

const patternCache = new Map<string, RegExp>();

/**
 * Case-insensitive, whole-word (Unicode letters and digits are word characters), simple plurals;
 * several words in the phrase may be separated by any whitespace or hyphen.
 */
export function wordPattern(word: string): RegExp {
  const key = word.trim().toLowerCase();
  let pattern = patternCache.get(key);
  if (!pattern) {
    const alternatives = wordForms(key)
      .sort((a, b) => b.length - a.length)
      .map((form) => form.split(/[\s-]+/).map(escapeRegExp).join("[\\s\\-]+"));
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}])`, "iu");
    patternCache.set(key, pattern);
  }
  return pattern;
}

/** The first occurrence of `word` in `text` (as written in the text), or null. */
export function findWord(text: string, word: string): string | null {
  if (!word.trim()) return null;
  return wordPattern(word).exec(text)?.[0] ?? null;
}

export function containsAnyWord(text: string, words: readonly string[]): boolean {
  return words.some((word) => findWord(text, word) !== null);
}

/** Lower case, accents and punctuation dropped, spaces collapsed: for fuzzy name matching. */
export function normalizeForMatch(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Number of user-perceived emoji (pictographs), ignoring digits and # that are technically emoji. */
export function countEmoji(text: string): number {
  return text.match(/\p{Extended_Pictographic}/gu)?.length ?? 0;
}
