import { EN, TEMPLATE_SETS, type Family, type Line, type Lines, type Phase, type SubjectStyle, type TemplateSet, type Tone } from "./builtin-templates";
import { URGENCY } from "./grounding-rules";
import { checkDraft, PREVIEW_MAX, PREVIEW_MIN, SUBJECT_HARD_LIMIT, SUBJECT_SOFT_LIMIT } from "./guardrails";
import { formatMoney } from "./money-text";
import { shuffled, streamFor, weightedPick, type Random } from "./prng";
import { findWord } from "./text";
import { copyDraftSchema, type CopyDraft, type CopyRequest, type CopyResult, type Copywriter, type ProductFact } from "./types";

// The built-in copywriter: no network, the default and the fallback. It assembles a draft from the
// template lines, filling slots only from the request's facts, and checks its own draft with the same
// guardrails everything else goes through, re-picking lines that caused a blocking finding.

export const BUILTIN_MODEL = "builtin-templates-v1";

/** Which template family a request reads as. */
export function familyFor(request: CopyRequest): Family {
  if (request.kind === "winback") return "winback";
  if (request.kind === "cart_recovery") return request.angle === "browse_abandonment" ? "browse" : "cart";
  switch (request.angle) {
    case "winback": return "winback";
    case "cart_recovery": return "cart";
    case "browse_abandonment": return "browse";
    default: return request.angle;
  }
}

export function phaseFor(request: CopyRequest): Phase {
  if (request.steps <= 1 || request.step <= 0) return "first";
  return request.step >= request.steps - 1 ? "last" : "middle";
}

interface Plan {
  request: CopyRequest;
  set: TemplateSet;
  family: Family;
  phase: Phase;
  tone: Tone;
  slots: Map<string, string>;
  offerIncluded: boolean;
  urgent: boolean;
  hasMarkdown: boolean;
  /** Words and strings no line may contain: banned words plus evidence of earlier blocking findings. */
  excluded: string[];
}

function daysText(days: number): string {
  return days === 1 ? "24 hours" : `${days} days`;
}

function isMarkdown(p: ProductFact): boolean {
  return p.compareAtPrice !== null && p.compareAtPrice > p.price;
}

function mentions(text: string, excluded: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return excluded.some((x) => (/^[\p{L}\p{N}' -]+$/u.test(x) ? findWord(text, x) !== null : lower.includes(x.toLowerCase())));
}

function buildPlan(request: CopyRequest, set: TemplateSet, excluded: string[]): Plan {
  const family = familyFor(request);
  const phase = phaseFor(request);
  const slots = new Map<string, string>();
  const usable = (text: string) => text.trim().length > 0 && !mentions(text, excluded);
  // Name products the request can name: in stock first (never promote what cannot be bought),
  // marked-down first for a price drop.
  const nameable = request.products.filter((p) => usable(p.title));
  const ranked = [...nameable].sort((a, b) =>
    Number(b.inStock) - Number(a.inStock) || (family === "price_drop" ? Number(isMarkdown(b)) - Number(isMarkdown(a)) : 0));
  const [first, second] = ranked;
  if (first) {
    slots.set("product", first.title.trim());
    slots.set("price", formatMoney(first.price, first.currency));
    if (isMarkdown(first) && first.compareAtPrice !== null) {
      slots.set("was", formatMoney(first.compareAtPrice, first.currency));
      slots.set("save", formatMoney(first.compareAtPrice - first.price, first.currency));
    }
    if (usable(first.vendor) && first.vendor.trim() !== request.shopName.trim()) slots.set("vendor", first.vendor.trim());
  }
  if (second) {
    slots.set("product2", second.title.trim());
    slots.set("price2", formatMoney(second.price, second.currency));
  }
  if (usable(request.shopName)) slots.set("shop", request.shopName.trim());
  // A segment's shared interest (the shop's own words): only short, clean labels become a slot.
  const interest = request.segment?.interest.trim() ?? "";
  if (interest && interest.length <= 40 && usable(interest) && !/[{}<>]/.test(interest)) slots.set("interest", interest);
  const offer = request.offer;
  const offerUsable = offer !== null && offer.percent > 0 && offer.percent <= request.voice.discountPolicy.maxPercent && usable(offer.code);
  // A goal's planner already chose the steps that carry the offer; otherwise the phase decides.
  const offerIncluded = offerUsable && (request.purpose !== undefined || phase === "last" || request.steps <= 1 || (request.kind === "promotional" && phase === "first"));
  if (offerIncluded && offer) {
    slots.set("percent", `${offer.percent}%`);
    slots.set("code", offer.code.trim());
    if (offer.expiresInDays !== null && offer.expiresInDays > 0) slots.set("days", daysText(offer.expiresInDays));
  }
  const urgent = (offerIncluded && slots.has("days")) || (request.angle === "low_stock" && first?.inStock === true);
  return {
    // A segment may lean to a neighbouring preset (chosen inside the brand voice, ADR 018).
    request, set, family, phase, tone: request.segment?.tone ?? request.voice.tone.preset, slots, offerIncluded, urgent,
    hasMarkdown: slots.has("was"), excluded,
  };
}

function render(plan: Plan, line: Line): string | null {
  const text = typeof line === "string" ? line : line.t;
  let missing = false;
  const out = text.replace(/\{([a-z0-9]+)\}/g, (_, slot: string) => {
    const value = plan.slots.get(slot);
    if (value === undefined) missing = true;
    return value ?? "";
  });
  if (missing) return null;
  if (mentions(out, plan.excluded)) return null;
  if (!plan.urgent && URGENCY.test(out)) return null;
  return out;
}

function toneFits(plan: Plan, line: Line): boolean {
  return typeof line === "string" || line.tones.includes(plan.tone);
}

interface Candidate { text: string; weight: number }

/**
 * Renders lines tier by tier and returns the first tier with anything usable: a family's lines for
 * this phase (with the shared ones for the phase), then the family's any-phase lines, then shared.
 */
function candidates(plan: Plan, pickLines: (lines: Lines) => Line[] | undefined, accept: (text: string) => boolean): Candidate[] {
  const family = plan.set.families[plan.family];
  const own = (lines: Lines | undefined, factor: number) => (lines ? pickLines(lines) ?? [] : []).map((line) => ({ line, factor }));
  // The shared reminder lines for a phase join the family's own, at half weight.
  const purposeLines = plan.request.purpose ? plan.set.purposes?.[plan.request.purpose] : undefined;
  const segmentLines = plan.slots.has("interest") ? plan.set.segment?.lines : undefined;
  const tiers = [
    ...(purposeLines ? [own(purposeLines, 1)] : []),
    ...(segmentLines ? [own(segmentLines, 1)] : []),
    plan.phase === "first" ? own(family.first, 1) : [...own(family[plan.phase], 1), ...own(plan.set.shared[plan.phase], 0.5)],
    own(family.any, 1),
    own(plan.set.shared.any, 1),
  ];
  const { prefer, avoid } = plan.request.voice.vocabulary;
  // Two passes: lines using a word the voice avoids only when nothing else is left.
  for (const allowAvoided of [false, true]) {
    for (const tier of tiers) {
      const found: Candidate[] = [];
      for (const { line, factor } of tier) {
        if (!toneFits(plan, line)) continue;
        const text = render(plan, line);
        if (text === null || !accept(text)) continue;
        if (!allowAvoided && avoid.some((w) => findWord(text, w))) continue;
        let weight = factor * ((typeof line === "string" ? 1 : 2) + 2 * prefer.filter((w) => findWord(text, w)).length);
        if (plan.tone === "minimal") weight /= 1 + text.length / 60;
        found.push({ text, weight });
      }
      if (found.length > 0) return found;
    }
  }
  return [];
}

function choose(plan: Plan, random: Random, pickLines: (lines: Lines) => Line[] | undefined, accept: (text: string) => boolean = () => true): string | null {
  return weightedPick(candidates(plan, pickLines, accept), (c) => c.weight, random)?.text ?? null;
}

const STYLE_HINTS: Array<[RegExp, SubjectStyle]> = [
  [/product|name/i, "product"], [/question/i, "question"], [/curio|myster|teas/i, "curiosity"],
  [/benefit|value/i, "benefit"], [/urgen|scarc|deadline/i, "urgency"], [/offer|discount|percent/i, "offer"],
];

function subjectStyles(plan: Plan, random: Random): SubjectStyle[] {
  const base: SubjectStyle[] = shuffled(["product", "benefit", "question", "curiosity"], random);
  if (plan.urgent) base.splice(1 + Math.floor(random() * 2), 0, "urgency");
  if (plan.offerIncluded) base.splice(Math.floor(random() * 2), 0, "offer");
  const hinted = plan.request.styleHints.flatMap((hint) => STYLE_HINTS.filter(([re]) => re.test(hint)).map(([, s]) => s));
  return [...new Set([...hinted.filter((s) => base.includes(s)), ...base])];
}

function pickSubjects(plan: Plan, seed: number): string[] {
  const recent = new Set(plan.request.avoidSubjects.map((s) => s.trim().toLowerCase()));
  const chosen: string[] = [];
  const fresh = (limit: number) => (text: string) =>
    text.length <= limit && !recent.has(text.toLowerCase()) && !chosen.some((c) => c.toLowerCase() === text.toLowerCase());
  const styles = subjectStyles(plan, streamFor(seed, "subject-styles"));
  // A segment's draft tests one subject in its own angle, whatever tier the others come from.
  const segmentSubjects = plan.set.segment?.lines.subjects;
  if (plan.slots.has("interest") && segmentSubjects) {
    const own = choose(plan, streamFor(seed, "subject-segment"), () => Object.values(segmentSubjects).flat(), fresh(SUBJECT_SOFT_LIMIT));
    if (own) chosen.push(own);
  }
  for (const limit of [SUBJECT_SOFT_LIMIT, SUBJECT_HARD_LIMIT]) {
    for (const style of styles) {
      if (chosen.length >= 4) break;
      const text = choose(plan, streamFor(seed, "subject", style, chosen.length), (l) => l.subjects?.[style], fresh(limit));
      if (text) chosen.push(text);
    }
    // Fewer than three styles had a line: take more lines from any style.
    for (const style of styles) {
      while (chosen.length < 3) {
        const text = choose(plan, streamFor(seed, "subject-extra", style, chosen.length), (l) => l.subjects?.[style], fresh(limit));
        if (!text) break;
        chosen.push(text);
      }
    }
    if (chosen.length >= 3) break;
  }
  return chosen;
}

function greet(plan: Plan, opener: string): string {
  const greeting = plan.set.greetings[plan.tone];
  if (!greeting || mentions(greeting, plan.excluded)) return opener;
  // "Hi Sam, we saved…": after a comma the opener continues the sentence.
  const continued = greeting.endsWith(",") && /^\p{Lu}\p{Ll}/u.test(opener) && !/^I\b/.test(opener)
    ? opener[0].toLowerCase() + opener.slice(1)
    : opener;
  return `${greeting} ${continued}`;
}

function compose(plan: Plan, seed: number): CopyDraft | null {
  const subjects = pickSubjects(plan, seed);
  const previewFits = (text: string) => text.length >= PREVIEW_MIN && text.length <= PREVIEW_MAX;
  const previewText = choose(plan, streamFor(seed, "preview"), (l) => l.previews, previewFits)
    ?? choose(plan, streamFor(seed, "preview"), (l) => l.previews, (text) => text.length >= 10);
  const headline = choose(plan, streamFor(seed, "headline"), (l) => l.headlines, (text) => text.length <= 80);
  const opener = choose(plan, streamFor(seed, "opener"), (l) => l.openers);
  // A segment's angle: why these picks suit them, in the segment's tone.
  const segmentAngles = plan.set.segment?.angles;
  const angle = plan.slots.has("interest") && segmentAngles ? choose(plan, streamFor(seed, "segment-angle"), () => segmentAngles) : null;
  const hasSecond = plan.slots.has("product2");
  const detailLines = (l: Lines) => [...(l.details ?? []), ...(plan.hasMarkdown && l === plan.set.families[plan.family].any ? plan.set.markdownDetails : [])];
  const details = weightedPick(
    candidates(plan, detailLines, () => true).map((c) => ({ ...c, weight: c.weight * (hasSecond && c.text.includes(plan.slots.get("product2") ?? "\u0000") ? 3 : 1) * (plan.family === "price_drop" && plan.slots.has("was") && c.text.includes(plan.slots.get("was") ?? "\u0000") ? 4 : 1) })),
    (c) => c.weight,
    streamFor(seed, "details"),
  )?.text ?? null;
  const offers = plan.slots.has("days") ? plan.set.offers.withDays : plan.set.offers.withoutDays;
  const closing = plan.offerIncluded
    ? choose(plan, streamFor(seed, "offer"), () => offers)
    : choose(plan, streamFor(seed, "closer"), (l) => l.closers);
  const callToAction = choose(plan, streamFor(seed, "cta"), (l) => l.ctas, (text) => text.length <= 30);
  if (subjects.length < 3 || !previewText || !headline || !opener || !callToAction) return null;
  // The angle joins the opening paragraph: short emails (1–4 paragraphs) read better.
  const body = [angle ? `${greet(plan, opener)} ${angle}` : greet(plan, opener), details, plan.request.products.length > 0 ? "{{ product_block }}" : null, closing]
    .filter((p): p is string => Boolean(p));
  const parsed = copyDraftSchema.safeParse({ subjects: subjects.slice(0, 5), previewText, headline, body, callToAction });
  return parsed.success ? parsed.data : null;
}

function templateSetFor(language: string): { set: TemplateSet; note: string | null } {
  const code = language.trim().toLowerCase().split(/[-_]/)[0] || "en";
  const set = TEMPLATE_SETS[code];
  return set ? { set, note: null } : { set: EN, note: `No built-in templates for "${language}"; the draft is in English.` };
}

const MAX_ROUNDS = 6;

/** The built-in draft for a request: deterministic for request + seed. */
export function writeBuiltinDraft(request: CopyRequest): CopyResult {
  const { set, note } = templateSetFor(request.language);
  const notes = note ? [note] : [];
  const repairWords = request.repair?.problems.map((p) => p.evidence).filter((e) => e.trim().length > 1 && e.length < 80) ?? [];
  let excluded = [...request.voice.bannedWords, ...repairWords];
  // A repair shifts the seed so the retry does not pick the same lines again.
  const baseSeed = request.seed + (request.repair ? 7_919 : 0) + request.step * 104_729;
  let best: CopyDraft | null = null;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const plan = buildPlan(request, set, excluded);
    const draft = compose(plan, baseSeed + round * 15_485_863);
    if (!draft) break;
    best = draft;
    const blocking = checkDraft(draft, { request, allowedHosts: [] }).filter((f) => f.severity === "block");
    if (blocking.length === 0) break;
    // Re-pick without whatever caused the findings (a product title with a price in it, say).
    excluded = [...excluded, ...blocking.map((f) => f.evidence).filter((e) => e.trim().length > 1)];
  }
  if (!best) {
    // Every line holds an excluded word. A draft that shows the problem beats none: the merchant
    // sees it with the guardrail findings (it is never marked ready) and can edit or change the list.
    best = compose(buildPlan(request, set, []), baseSeed);
    if (best) notes.push("Every template line uses a banned word; this draft ignores the list and will be blocked until edited.");
  }
  if (!best) {
    return { ok: false, error: { kind: "invalid_output", message: "The built-in templates could not fill a draft for this request." } };
  }
  return { ok: true, draft: best, model: BUILTIN_MODEL, raw: JSON.stringify(best), usage: null, notes };
}

export class BuiltinCopywriter implements Copywriter {
  readonly id = "builtin" as const;

  async write(request: CopyRequest): Promise<CopyResult> {
    return writeBuiltinDraft(request);
  }
}
