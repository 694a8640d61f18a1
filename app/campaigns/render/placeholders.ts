import type { RECIPIENT_PLACEHOLDERS } from "~/copy/types";
import { escapeHtmlLines, escapeLiquidText } from "./escape";

// A draft is plain text with a few Liquid placeholders ("Hi {{ first_name | default: \"there\" }}").
// Copy comes from an LLM or a merchant's edit, so it is parsed here with a grammar far narrower than
// Liquid's: outputs only (no {% tags %}), known variables, a short list of filters, literal arguments
// without markup characters. Everything else in the text is escaped. The placeholder is then written
// back in a canonical form, so nothing from the draft reaches MJML or Liquid verbatim.

export type PlaceholderName = (typeof RECIPIENT_PLACEHOLDERS)[number];

/** Filters a draft may use, with how many arguments each takes. */
const DRAFT_FILTERS: Record<string, number> = { default: 1, capitalize: 0, upcase: 0, downcase: 0 };

export interface PlaceholderFilter {
  name: string;
  /** Liquid literals, already checked: "…" or '…' without markup characters, or a number. */
  args: string[];
}

export type Segment =
  | { kind: "text"; text: string }
  | { kind: "placeholder"; name: PlaceholderName; filters: PlaceholderFilter[] };

export type CopyProblemKind = "unknown_variable" | "unknown_filter" | "invalid_placeholder" | "liquid_tag";

export interface CopyProblem {
  kind: CopyProblemKind;
  /** Which part of the draft: "subject", "previewText", "headline", "body[2]", "callToAction". */
  field: string;
  message: string;
  /** The offending text as written. */
  evidence: string;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
// String literals may not carry anything MJML, HTML or Liquid would read as structure.
const LITERAL = /^(?:"[^"<>&{}\\\r\n]*"|'[^'<>&{}\\\r\n]*'|-?\d{1,9}(?:\.\d{1,6})?)$/;
const OUTPUT = /\{\{([\s\S]*?)\}\}/g;

/** Splits on `sep` outside quotes (filter chains and argument lists). */
function splitOutsideQuotes(source: string, sep: string): string[] {
  const parts: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === sep) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts.map((part) => part.trim());
}

function parsePlaceholder(
  field: string,
  inner: string,
  allowed: ReadonlySet<string>,
): { ok: true; segment: Segment } | { ok: false; problem: CopyProblem } {
  const evidence = `{{${inner}}}`;
  const fail = (kind: CopyProblemKind, message: string) => ({ ok: false as const, problem: { kind, field, message, evidence } });
  const [name, ...filterSources] = splitOutsideQuotes(inner, "|");
  if (!IDENT.test(name)) return fail("invalid_placeholder", `"${evidence}" is not a placeholder`);
  if (!allowed.has(name)) {
    return fail("unknown_variable", `unknown placeholder "${name}"; allowed here: ${[...allowed].join(", ")}`);
  }
  const filters: PlaceholderFilter[] = [];
  for (const filterSource of filterSources) {
    const colon = filterSource.indexOf(":");
    const filterName = (colon === -1 ? filterSource : filterSource.slice(0, colon)).trim();
    if (!IDENT.test(filterName)) return fail("invalid_placeholder", `"${evidence}" has a malformed filter`);
    const arity = DRAFT_FILTERS[filterName];
    if (arity === undefined) {
      return fail("unknown_filter", `unknown filter "${filterName}"; allowed: ${Object.keys(DRAFT_FILTERS).join(", ")}`);
    }
    const args = colon === -1 ? [] : splitOutsideQuotes(filterSource.slice(colon + 1), ",");
    if (args.length !== arity || !args.every((arg) => LITERAL.test(arg))) {
      return fail("invalid_placeholder", `filter "${filterName}" takes ${arity} plain literal argument(s)`);
    }
    filters.push({ name: filterName, args });
  }
  return { ok: true, segment: { kind: "placeholder", name: name as PlaceholderName, filters } };
}

/** Parses one field of a draft into text and placeholder segments, or the first problem found. */
export function parseCopyField(
  field: string,
  text: string,
  allowed: readonly PlaceholderName[],
): { ok: true; segments: Segment[] } | { ok: false; problem: CopyProblem } {
  const allowedSet = new Set<string>(allowed);
  const segments: Segment[] = [];
  let last = 0;
  const pushText = (literal: string): CopyProblem | null => {
    if (literal.includes("{%")) {
      const at = literal.indexOf("{%");
      return { kind: "liquid_tag", field, message: "Liquid tags are not allowed in copy", evidence: literal.slice(at, at + 40) };
    }
    if (literal.includes("{{")) {
      const at = literal.indexOf("{{");
      return { kind: "invalid_placeholder", field, message: "unclosed placeholder", evidence: literal.slice(at, at + 40) };
    }
    if (literal) segments.push({ kind: "text", text: literal });
    return null;
  };
  for (const match of text.matchAll(OUTPUT)) {
    const problem = pushText(text.slice(last, match.index));
    if (problem) return { ok: false, problem };
    const parsed = parsePlaceholder(field, match[1], allowedSet);
    if (!parsed.ok) return parsed;
    segments.push(parsed.segment);
    last = match.index + match[0].length;
  }
  const problem = pushText(text.slice(last));
  if (problem) return { ok: false, problem };
  return { ok: true, segments };
}

export interface PlaceholderOptions {
  /** Used when the draft writes {{ first_name }} without a default (names are often unknown). */
  firstNameFallback: string;
}

/** Canonical Liquid output for a placeholder; a missing first-name default is added as the first filter. */
function placeholderSource(segment: Extract<Segment, { kind: "placeholder" }>, options: PlaceholderOptions): string {
  const filters = [...segment.filters];
  if (segment.name === "first_name" && !filters.some((filter) => filter.name === "default")) {
    filters.unshift({ name: "default", args: [JSON.stringify(options.firstNameFallback)] });
  }
  const chain = filters.map((filter) => (filter.args.length ? ` | ${filter.name}: ${filter.args.join(", ")}` : ` | ${filter.name}`));
  return `{{ ${segment.name}${chain.join("")} }}`;
}

/** Liquid source for the HTML template (text escaped, line breaks as <br>); product_block is left out. */
export function segmentsToHtml(segments: Segment[], options: PlaceholderOptions): string {
  return segments
    .map((segment) => {
      if (segment.kind === "text") return escapeHtmlLines(segment.text);
      return segment.name === "product_block" ? "" : placeholderSource(segment, options);
    })
    .join("");
}

/** Liquid source for plain text (subject, preview, text part); product_block is left out. */
export function segmentsToText(segments: Segment[], options: PlaceholderOptions): string {
  return segments
    .map((segment) => {
      if (segment.kind === "text") return escapeLiquidText(segment.text);
      return segment.name === "product_block" ? "" : placeholderSource(segment, options);
    })
    .join("");
}

export function mentionsPlaceholder(segments: Segment[], name: PlaceholderName): boolean {
  return segments.some((segment) => segment.kind === "placeholder" && segment.name === name);
}

/** True when a placeholder needs a recipient value: used without a default filter. */
export function requiresValue(segments: Segment[], name: PlaceholderName): boolean {
  return segments.some(
    (segment) =>
      segment.kind === "placeholder" && segment.name === name && !segment.filters.some((filter) => filter.name === "default"),
  );
}

/** A paragraph that is only the product block placeholder (whitespace aside). */
export function isOnlyProductBlock(segments: Segment[]): boolean {
  const meaningful = segments.filter((segment) => segment.kind === "placeholder" || segment.text.trim() !== "");
  return meaningful.length === 1 && meaningful[0].kind === "placeholder" && meaningful[0].name === "product_block";
}
