import { z } from "zod";
import type { ProductFact } from "~/copy/types";
import { TONE_PRESETS } from "./brand-voice";
import type { PersonalisationSettings } from "./contact-memory";

// Splitting one campaign's audience into up to three segments by their strongest affinity, each with
// its own angle and a tone nudge inside the brand voice (ADR 018). Pure: members with their stored
// affinities and the catalogue's prices in, segments with their reasons out.

export type Tone = (typeof TONE_PRESETS)[number];
export const SEGMENT_DIMENSIONS = ["productType", "collection", "tag", "vendor"] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

export interface SegmentCandidate {
  /** The recipient's address: one segment per recipient. */
  id: string;
  affinities: Array<{ dimension: string; key: string; score: number }>;
}

export interface PricedItem {
  productType: string;
  vendor: string;
  tags: readonly string[];
  collections: readonly string[];
  price?: number;
  available?: boolean;
}

export interface AudienceSegment {
  id: string;
  dimension: SegmentDimension;
  /** The shared interest in the shop's own words (a type, collection, tag or vendor): untrusted text. */
  interest: string;
  size: number;
  memberIds: string[];
  /** A neighbouring tone preset the copy may lean to; null keeps the brand's own. */
  tone: Tone | null;
  /** Why the tone (or why not), for the merchant. */
  toneBecause: string;
  /** Who they are, for the merchant. */
  why: string;
  /** Who they are, for the copywriter (data, not instructions). */
  description: string;
}

export interface Segmentation {
  segments: AudienceSegment[];
  /** Recipients in no segment: they get the campaign's general copy. */
  rest: number;
  /** Why the audience was (or was not) split, in plain words. */
  note: string;
}

export type SegmentSettings = PersonalisationSettings["segments"];

const DIMENSION_WORDS: Record<SegmentDimension, string> = { productType: "product type", collection: "collection", tag: "tag", vendor: "brand" };
/** A segment needs at least this share of the audience, whatever the minimum size. */
const MIN_SHARE = 0.1;

/** Words in an interest that suggest a register; checked before prices. */
const TONE_WORDS: Array<[Tone, RegExp]> = [
  ["premium", /\b(luxury|luxe|premium|designer|couture|silk|cashmere|leather|gold|fine|atelier|signature|limited)\b/i],
  ["minimal", /\b(minimal|minimalist|minimalism|essentials?|basics?|clean|simple|monochrome|capsule)\b/i],
  ["bold", /\b(sports?|active|activewear|performance|outdoors?|adventure|gym|training)\b/i],
  ["playful", /\b(fun|kids?|party|colou?rful|bright|street|streetwear|festival)\b/i],
  ["warm", /\b(handmade|artisan|vintage|cosy|cozy|heritage|organic|natural|home)\b/i],
  ["expert", /\b(pro|professional|technical|tech|specialist|tools?)\b/i],
  ["friendly", /\b(casual|everyday|classic|family|relaxed|weekend)\b/i],
];

/**
 * The presets each brand tone may lean to: neighbours, never the opposite register (a playful shop
 * does not turn premium, a minimal one does not turn playful or bold).
 */
export const TONE_NEIGHBOURS: Record<Tone, readonly Tone[]> = {
  friendly: ["warm", "playful", "minimal", "premium", "expert"],
  warm: ["friendly", "premium", "minimal"],
  playful: ["friendly", "bold", "warm"],
  premium: ["minimal", "expert", "warm"],
  minimal: ["premium", "expert", "friendly"],
  bold: ["playful", "expert", "friendly"],
  expert: ["minimal", "premium", "friendly"],
};

export function matchesInterest(item: PricedItem, dimension: SegmentDimension, interest: string): boolean {
  switch (dimension) {
    case "productType": return item.productType === interest;
    case "vendor": return item.vendor === interest;
    case "tag": return item.tags.includes(interest);
    case "collection": return item.collections.includes(interest);
  }
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The register an interest suggests: from its words, else from how its prices sit against the shop's. */
function suggestedTone(dimension: SegmentDimension, interest: string, catalogue: readonly PricedItem[], shopMedian: number | null): { tone: Tone; because: string } | null {
  for (const [tone, words] of TONE_WORDS) {
    const word = words.exec(interest);
    if (word) return { tone, because: `“${word[0]}” reads ${tone}` };
  }
  const own = median(catalogue.filter((item) => matchesInterest(item, dimension, interest) && item.price !== undefined).map((item) => item.price!));
  if (own === null || !shopMedian) return null;
  const ratio = own / shopMedian;
  if (ratio >= 1.5) return { tone: "premium", because: `its median price is ${ratio.toFixed(1)}× the shop's` };
  if (ratio <= 0.67) return { tone: "friendly", because: `its median price is ${ratio.toFixed(1)}× the shop's` };
  return null;
}

function toneFor(brand: Tone, suggestion: { tone: Tone; because: string } | null, allowed: boolean): { tone: Tone | null; because: string } {
  if (!allowed) return { tone: null, because: "tone nudges are switched off: the brand's tone" };
  if (!suggestion) return { tone: null, because: `nothing suggests another register: the brand's ${brand} tone` };
  if (suggestion.tone === brand) return { tone: null, because: `${suggestion.because}, as the brand's own tone` };
  if (!TONE_NEIGHBOURS[brand].includes(suggestion.tone)) {
    return { tone: null, because: `${suggestion.because}, too far from the brand's ${brand} tone: kept ${brand}` };
  }
  return { tone: suggestion.tone, because: `${suggestion.because}: leans ${suggestion.tone}, within the brand's ${brand} voice` };
}

/** Each member's strongest key in one dimension. */
function strongest(members: readonly SegmentCandidate[], dimension: SegmentDimension): Map<string, string> {
  const top = new Map<string, string>();
  for (const member of members) {
    let best: { key: string; score: number } | null = null;
    for (const affinity of member.affinities) {
      if (affinity.dimension !== dimension || !affinity.key.trim()) continue;
      if (!best || affinity.score > best.score || (affinity.score === best.score && affinity.key < best.key)) best = affinity;
    }
    if (best) top.set(member.id, best.key);
  }
  return top;
}

/**
 * Up to `max` segments of at least max(minSize, 10% of the audience) recipients, all on one dimension
 * (the one whose segments cover the most recipients, so the split reads as one idea: "by style tag"),
 * and at least two of them; otherwise one audience with the general copy.
 */
export function segmentAudience(members: readonly SegmentCandidate[], catalogue: readonly PricedItem[], brandTone: Tone, settings: SegmentSettings): Segmentation {
  const whole = (note: string): Segmentation => ({ segments: [], rest: members.length, note });
  if (!settings.enabled) return whole("Segments are switched off: one copy for everyone.");
  const minSize = Math.max(settings.minSize, Math.ceil(members.length * MIN_SHARE));
  if (settings.max < 2 || members.length < 2 * minSize) {
    return whole(`One copy for everyone: ${members.length} recipients, and a segment needs at least ${minSize}.`);
  }
  let chosen: { dimension: SegmentDimension; groups: Array<[string, string[]]>; covered: number } | null = null;
  for (const dimension of SEGMENT_DIMENSIONS) {
    const byKey = new Map<string, string[]>();
    for (const [memberId, key] of strongest(members, dimension)) {
      const ids = byKey.get(key);
      if (ids) ids.push(memberId);
      else byKey.set(key, [memberId]);
    }
    const groups = [...byKey]
      .filter(([, ids]) => ids.length >= minSize)
      .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
      .slice(0, settings.max);
    const covered = groups.reduce((sum, [, ids]) => sum + ids.length, 0);
    if (groups.length >= 2 && (!chosen || covered > chosen.covered)) chosen = { dimension, groups, covered };
  }
  if (!chosen) return whole(`One copy for everyone: no two interests are each shared by ${minSize} or more recipients.`);

  const shopMedian = median(catalogue.filter((item) => item.price !== undefined && item.available !== false).map((item) => item.price!));
  const { dimension, groups, covered } = chosen;
  const segments = groups.map(([interest, memberIds], index): AudienceSegment => {
    const tone = toneFor(brandTone, suggestedTone(dimension, interest, catalogue, shopMedian), settings.toneNudges);
    return {
      id: `s${index + 1}`,
      dimension,
      interest,
      size: memberIds.length,
      memberIds,
      tone: tone.tone,
      toneBecause: tone.because,
      why: `${memberIds.length} recipients whose strongest ${DIMENSION_WORDS[dimension]} is ${interest}`,
      description: `customers whose strongest interest is ${interest} (a ${DIMENSION_WORDS[dimension]} of the shop)`,
    };
  });
  const rest = members.length - covered;
  return {
    segments,
    rest,
    note: `Split by ${DIMENSION_WORDS[dimension]} into ${segments.length} segments of at least ${minSize}${rest ? `; ${rest} others get the general copy` : ""}.`,
  };
}

/** A segment as the campaign's plan keeps it: what the review page shows and merchant edits are checked against. */
export const storedSegmentSchema = z.object({
  id: z.string().min(1),
  dimension: z.enum(SEGMENT_DIMENSIONS),
  interest: z.string(),
  size: z.number().int().nonnegative(),
  why: z.string(),
  tone: z.enum(TONE_PRESETS).nullable(),
  toneBecause: z.string(),
  description: z.string(),
  copyProducts: z.array(z.custom<ProductFact>()).default([]),
  audienceSummary: z.string().default(""),
});
export type StoredSegment = z.output<typeof storedSegmentSchema>;

/** Plans stored before segments have none: one copy for everyone. */
export const storedSegmentationSchema = z.object({
  note: z.string().default(""),
  segments: z.array(storedSegmentSchema).default([]),
});
export type StoredSegmentation = z.output<typeof storedSegmentationSchema>;
