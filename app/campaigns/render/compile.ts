import type { Liquid, Template } from "liquidjs";
import type { CopyDraft } from "~/copy/types";
import { palette } from "./colors";
import { buildMjml, MARK, type HtmlPieces } from "./layout";
import { htmlEngine, parseChecked, TEMPLATE_GLOBALS, textEngine } from "./liquid";
import {
  isOnlyProductBlock,
  parseCopyField,
  requiresValue,
  segmentsToHtml,
  segmentsToText,
  type CopyProblem,
  type PlaceholderName,
  type PlaceholderOptions,
  type Segment,
} from "./placeholders";
import { layoutStrings } from "./strings";
import { buildProductHeadingText, buildProductRowText, buildText, type TextPieces } from "./text-layout";
import {
  compileInputSchema,
  compiledSourcesSchema,
  type CompileError,
  type CompileInput,
  type CompileResult,
  type CompiledSources,
  type CompiledTemplate,
} from "./types";

// Compile once per campaign × variant: draft + brand + layout → MJML → HTML with Liquid in it → parsed
// Liquid templates. MJML is the slow step (milliseconds); renders then only run Liquid (render.ts).
// The sources are plain strings, so a worker can store them and reload them without MJML
// (loadCompiledTemplate).

const INLINE: readonly PlaceholderName[] = ["first_name", "shop_name", "discount_code"];
const BODY: readonly PlaceholderName[] = [...INLINE, "product_block"];

type ParsedDraft = {
  subject: Segment[];
  previewText: Segment[];
  headline: Segment[];
  body: Segment[][];
  callToAction: Segment[];
};

function parseDraft(draft: CopyDraft, subjectIndex: number): { ok: true; draft: ParsedDraft } | { ok: false; problem: CopyProblem } {
  const problems: CopyProblem[] = [];
  const parse = (field: string, text: string, allowed: readonly PlaceholderName[]): Segment[] => {
    const result = parseCopyField(field, text, allowed);
    if (result.ok) return result.segments;
    problems.push(result.problem);
    return [];
  };
  const parsed: ParsedDraft = {
    subject: parse(`subjects[${subjectIndex}]`, draft.subjects[subjectIndex], INLINE),
    previewText: parse("previewText", draft.previewText, INLINE),
    headline: parse("headline", draft.headline, INLINE),
    callToAction: parse("callToAction", draft.callToAction, INLINE),
    body: draft.body.map((paragraph, index) => parse(`body[${index}]`, paragraph, BODY)),
  };
  return problems.length ? { ok: false, problem: problems[0] } : { ok: true, draft: parsed };
}

/** The product block goes where the draft puts {{ product_block }}, else after the last paragraph. */
function splitAtProductBlock(body: Segment[][]): { before: Segment[][]; after: Segment[][] } {
  const at = body.findIndex((segments) => segments.some((s) => s.kind === "placeholder" && s.name === "product_block"));
  if (at === -1) return { before: body, after: [] };
  const keepMention = !isOnlyProductBlock(body[at]);
  return { before: [...body.slice(0, at), ...(keepMention ? [body[at]] : [])], after: body.slice(at + 1) };
}

function between(html: string, start: string, end: string): string {
  const from = html.indexOf(start);
  const to = html.indexOf(end, from);
  if (from === -1 || to === -1) throw new Error(`MJML output lost the marker ${from === -1 ? start : end}`);
  return html.slice(from + start.length, to);
}

/** Drops indentation and blank lines MJML emits (a third of the bytes); whitespace stays whitespace. */
function squeeze(html: string): string {
  return html.replace(/\n[ \t]+/g, "\n").replace(/\n{2,}/g, "\n");
}

function problemToError(problem: CopyProblem): CompileError {
  return { kind: problem.kind, message: problem.message, field: `draft.${problem.field}`, evidence: problem.evidence };
}

export async function compileTemplate(input: CompileInput): Promise<CompileResult> {
  const parsedInput = compileInputSchema.safeParse(input);
  if (!parsedInput.success) {
    const issue = parsedInput.error.issues[0];
    return { ok: false, error: { kind: "invalid_input", message: issue.message, field: issue.path.join(".") } };
  }
  const { draft, subjectIndex, brand, layout, ctaUrl } = parsedInput.data;
  if (subjectIndex >= draft.subjects.length) {
    return { ok: false, error: { kind: "invalid_input", message: `the draft has ${draft.subjects.length} subjects`, field: "subjectIndex" } };
  }
  const parsedDraft = parseDraft(draft, subjectIndex);
  if (!parsedDraft.ok) return { ok: false, error: problemToError(parsedDraft.problem) };
  const copy = parsedDraft.draft;

  const { strings, translated } = layoutStrings(brand.language);
  const notes = translated ? [] : [`no layout strings for "${brand.language}": footer and headings are in English`];
  const options: PlaceholderOptions = { firstNameFallback: brand.firstNameFallback ?? strings.firstNameFallback };
  const { before, after } = splitAtProductBlock(copy.body);
  const html = (segments: Segment[]) => segmentsToHtml(segments, options);
  const text = (segments: Segment[]) => segmentsToText(segments, options);

  const htmlPieces: HtmlPieces = {
    subject: html(copy.subject),
    previewText: html(copy.previewText),
    headline: html(copy.headline),
    before: before.map(html),
    after: after.map(html),
    callToAction: html(copy.callToAction),
  };
  const mjml = buildMjml(htmlPieces, { layout, brand, strings, palette: palette(brand.accentColor) });
  let compiledHtml: string;
  try {
    // Loaded on first compile only: MJML pulls in juice, cheerio and htmlnano, which renders never need.
    const { default: mjml2html } = await import("mjml");
    // strict: invalid MJML throws instead of printing warnings; fonts: {} keeps Google Fonts out (no
    // third-party request when the email opens).
    const result = await mjml2html(mjml, { validationLevel: "strict", fonts: {}, keepComments: true });
    compiledHtml = squeeze(result.html);
  } catch (error) {
    return { ok: false, error: { kind: "mjml_invalid", message: error instanceof Error ? error.message : String(error) } };
  }

  let productHeadingHtml: string;
  let productRowHtml: string;
  let layoutHtml: string;
  try {
    productHeadingHtml = between(compiledHtml, MARK.blockStart, MARK.rowImage);
    const rowImage = between(compiledHtml, MARK.rowImage, MARK.rowPlain);
    const rowPlain = between(compiledHtml, MARK.rowPlain, MARK.blockEnd);
    productRowHtml = `{% if product.image_url %}${rowImage}{% else %}${rowPlain}{% endif %}`;
    const start = compiledHtml.indexOf(MARK.blockStart);
    const end = compiledHtml.indexOf(MARK.blockEnd) + MARK.blockEnd.length;
    layoutHtml = `${compiledHtml.slice(0, start)}{{ product_block | raw }}${compiledHtml.slice(end)}`;
  } catch (error) {
    return { ok: false, error: { kind: "mjml_invalid", message: error instanceof Error ? error.message : String(error) } };
  }

  const textPieces: TextPieces = {
    headline: text(copy.headline),
    before: before.map(text),
    after: after.map(text),
    callToAction: text(copy.callToAction),
  };
  const allSegments = [copy.subject, copy.previewText, copy.headline, copy.callToAction, ...copy.body];
  const sources: CompiledSources = {
    version: 1,
    layout,
    language: brand.language,
    shopName: brand.shopName,
    ctaUrl,
    shopUrl: brand.shopUrl ?? null,
    needsDiscountCode: allSegments.some((segments) => requiresValue(segments, "discount_code")),
    subject: text(copy.subject),
    previewText: text(copy.previewText),
    html: layoutHtml,
    text: buildText(textPieces, { layout, brand, strings }),
    productHeadingHtml,
    productRowHtml,
    productHeadingText: buildProductHeadingText({ layout, brand, strings }),
    productRowText: buildProductRowText({ layout, brand, strings }),
  };
  return loadCompiledTemplate(sources, notes);
}

/** Parses stored sources (e.g. from an approved content version) without running MJML again. */
export function loadCompiledTemplate(input: unknown, notes: readonly string[] = []): CompileResult {
  const parsedSources = compiledSourcesSchema.safeParse(input);
  if (!parsedSources.success) {
    const issue = parsedSources.error.issues[0];
    return { ok: false, error: { kind: "invalid_input", message: issue.message, field: `sources.${issue.path.join(".")}` } };
  }
  const sources = parsedSources.data;
  // Which engine parses each template, and which top-level variables it may read.
  const specs: Record<keyof CompiledTemplate["parsed"], [Liquid, string, ReadonlySet<string>]> = {
    subject: [textEngine, sources.subject, TEMPLATE_GLOBALS.copy],
    previewText: [textEngine, sources.previewText, TEMPLATE_GLOBALS.copy],
    html: [htmlEngine, sources.html, TEMPLATE_GLOBALS.layout],
    text: [textEngine, sources.text, TEMPLATE_GLOBALS.layout],
    productRowHtml: [htmlEngine, sources.productRowHtml, TEMPLATE_GLOBALS.productRow],
    productRowText: [textEngine, sources.productRowText, TEMPLATE_GLOBALS.productRow],
  };
  const parsed = {} as Record<keyof CompiledTemplate["parsed"], Template[]>;
  for (const [field, [engine, source, globals]] of Object.entries(specs)) {
    const check = parseChecked(engine, source, globals);
    if (!check.ok) return { ok: false, error: { kind: check.kind, message: check.message, field: `template.${field}` } };
    parsed[field as keyof CompiledTemplate["parsed"]] = check.template;
  }
  const compiled: CompiledTemplate = { sources, notes, parsed };
  return { ok: true, compiled };
}
