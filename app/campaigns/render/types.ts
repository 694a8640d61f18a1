import { z } from "zod";
import type { Template } from "liquidjs";
import { copyDraftSchema, type CampaignKind } from "~/copy/types";
import { isSafeImageUrl, isSafeLinkUrl, isSafeUnsubscribeUrl } from "./safe-url";

// Contracts of email rendering: what a compile takes (once per campaign × variant), what a render takes
// (once per recipient), and the values both return. Failures are values with a kind, never exceptions.

const linkUrl = z.string().refine(isSafeLinkUrl, "must be an http(s) URL without credentials");
const imageUrl = z.string().refine(isSafeImageUrl, "must be an https URL");
const unsubscribeUrl = z.string().refine(isSafeUnsubscribeUrl, "must be an https URL (RFC 8058)");
// A fallback is written into a Liquid string literal, so it may not contain quotes or markup.
const fallbackWord = z.string().trim().max(40).regex(/^[^"'<>&{}\\\r\n]*$/, "no quotes, braces or markup");

export const LAYOUTS = ["promotional", "winback", "cart_recovery"] as const satisfies readonly CampaignKind[];
export type Layout = (typeof LAYOUTS)[number];

export const brandSchema = z.object({
  shopName: z.string().trim().min(1).max(100),
  /** The storefront; when set, the header links to it (click-tracked). */
  shopUrl: linkUrl.optional(),
  logoUrl: imageUrl.optional(),
  /** CTA button colour; link colour too when it is dark enough to read on white. */
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, "a #rrggbb colour").optional(),
  /** Printed in every footer (CAN-SPAM, GDPR): a compile without one fails. */
  physicalAddress: z.string().trim().min(5, "a postal address is required in every marketing email").max(300),
  /** BCP 47, the draft's language ("en", "de-AT"). */
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/),
  /** For {{ first_name }} without a default; the language's own word ("there") when absent. */
  firstNameFallback: fallbackWord.optional(),
});
export type Brand = z.infer<typeof brandSchema>;

export const compileInputSchema = z.object({
  draft: copyDraftSchema,
  /** Which of draft.subjects this variant uses. */
  subjectIndex: z.number().int().min(0).max(4).default(0),
  brand: brandSchema,
  layout: z.enum(LAYOUTS),
  /** Where the button goes unless a recipient brings their own (cart recovery: their checkout). */
  ctaUrl: linkUrl,
});
export type CompileInput = z.input<typeof compileInputSchema>;

export const productBlockItemSchema = z.object({
  title: z.string().trim().min(1).max(255),
  url: linkUrl,
  imageUrl: imageUrl.nullish(),
  /** Already formatted for the reader ("$24.00"); see formatPrice. */
  price: z.string().trim().min(1).max(40),
  compareAtPrice: z.string().trim().max(40).nullish(),
  /** Why this product: "Because you loved Ceramics". */
  reason: z.string().trim().max(160).nullish(),
});
export type ProductBlockItem = z.input<typeof productBlockItemSchema>;

/** Click tracking: a function (e.g. signs a redirect URL) or a map from destination to tracked URL. */
export type ClickTracker = ((url: string, linkId: string) => string) | ReadonlyMap<string, string>;

export const recipientSchema = z.object({
  firstName: z.string().max(500).nullish(),
  discountCode: z.string().trim().max(255).nullish(),
  products: z.array(productBlockItemSchema).max(12),
  /** Defaults to the brand's shop name. */
  shopName: z.string().trim().min(1).max(100).optional(),
  /** The page behind the footer link (not click-tracked). */
  unsubscribeUrl,
  /** RFC 8058 one-click endpoint: receives POST "List-Unsubscribe=One-Click". */
  unsubscribePostUrl: unsubscribeUrl,
  /** Optional mailto: target added to List-Unsubscribe for clients without one-click support. */
  unsubscribeMailto: z.email().max(254).optional(),
  clickUrl: z.custom<ClickTracker>((value) => typeof value === "function" || value instanceof Map, "a function or a Map"),
  /** Overrides the compiled CTA destination (cart recovery: the recipient's checkout URL). */
  ctaUrl: linkUrl.optional(),
  /** One line about what the recipient did: "Still thinking about the Blue Mug?" */
  behaviourLine: z.string().trim().max(200).nullish(),
});
export type Recipient = z.input<typeof recipientSchema>;

/** What a compile produces and what can be stored (e.g. with the approved content version) and reloaded. */
export const compiledSourcesSchema = z.object({
  version: z.literal(1),
  layout: z.enum(LAYOUTS),
  language: z.string(),
  shopName: z.string(),
  ctaUrl: linkUrl,
  shopUrl: linkUrl.nullable(),
  /** The draft uses {{ discount_code }} without a default: a recipient without a code cannot be rendered. */
  needsDiscountCode: z.boolean(),
  subject: z.string(),
  previewText: z.string(),
  html: z.string(),
  text: z.string(),
  /** Product block: a static heading, then one row per product from the row partial (reads `product`). */
  productHeadingHtml: z.string(),
  productRowHtml: z.string(),
  productHeadingText: z.string(),
  productRowText: z.string(),
});
export type CompiledSources = z.infer<typeof compiledSourcesSchema>;

export interface CompiledTemplate {
  readonly sources: CompiledSources;
  /** Things a reviewer should know, e.g. "no layout strings for ja; footer in English". */
  readonly notes: readonly string[];
  /** Pre-parsed Liquid; render only reads these. */
  readonly parsed: {
    readonly subject: Template[];
    readonly previewText: Template[];
    readonly html: Template[];
    readonly text: Template[];
    readonly productRowHtml: Template[];
    readonly productRowText: Template[];
  };
}

export type CompileErrorKind =
  | "invalid_input"
  | "unknown_variable"
  | "unknown_filter"
  | "invalid_placeholder"
  | "liquid_tag"
  | "liquid_syntax"
  | "mjml_invalid";

export interface CompileError {
  kind: CompileErrorKind;
  message: string;
  /** Which part of the input: "draft.body[1]", "brand.logoUrl", "layout"… */
  field?: string;
  evidence?: string;
}

export type CompileResult = { ok: true; compiled: CompiledTemplate } | { ok: false; error: CompileError };

export interface RenderedEmail {
  subject: string;
  previewText: string;
  html: string;
  text: string;
  /** List-Unsubscribe and List-Unsubscribe-Post (RFC 2369, RFC 8058). */
  headers: Record<string, string>;
}

export type RenderErrorKind = "invalid_recipient" | "missing_discount_code" | "untracked_link" | "render_failed";

export interface RenderError {
  kind: RenderErrorKind;
  message: string;
  field?: string;
}

export type RenderResult = { ok: true; email: RenderedEmail } | { ok: false; error: RenderError };
