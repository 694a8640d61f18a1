import type { TONE_PRESETS } from "~/campaigns/brand-voice";
import type { StepPurpose } from "./types";

// The shape of the built-in copywriter's template tables (see builtin-templates.ts).

export type Tone = (typeof TONE_PRESETS)[number];
export type SubjectStyle = "product" | "benefit" | "question" | "curiosity" | "urgency" | "offer";
export type Line = string | { t: string; tones: readonly Tone[] };
export type Family = "new_arrival" | "back_in_stock" | "overstock" | "low_stock" | "price_drop" | "browse" | "cart" | "winback";
export type Phase = "first" | "middle" | "last";

export interface Lines {
  subjects?: Partial<Record<SubjectStyle, Line[]>>;
  previews?: Line[];
  headlines?: Line[];
  openers?: Line[];
  details?: Line[];
  closers?: Line[];
  ctas?: Line[];
}

export interface TemplateSet {
  /** Per family: lines for any phase, and lines for a specific phase (preferred when present). */
  families: Record<Family, { any: Lines } & Partial<Record<Phase, Lines>>>;
  /** Fallbacks for every family, used when a family's own lines are all filtered out. */
  shared: { any: Lines } & Partial<Record<Phase, Lines>>;
  offers: { withDays: Line[]; withoutDays: Line[] };
  greetings: Record<Tone, string>;
  markdownDetails: Line[];
  /** Per step purpose of a goal-driven sequence; preferred over the family's lines when present. */
  purposes?: Partial<Record<StepPurpose, Lines>>;
  /** An audience segment's lines ({interest} slot) and its angle paragraph, per tone (ADR 018). */
  segment?: { lines: Lines; angles: Line[] };
}

export const line = (text: string, ...tones: Tone[]): Line => ({ t: text, tones });
