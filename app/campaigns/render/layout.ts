import { CANVAS, INK, MUTED, PAPER, type Palette } from "./colors";
import { escapeHtmlLines, escapeHtmlText } from "./escape";
import { whyLine, type LayoutStrings } from "./strings";
import type { Brand, Layout } from "./types";

// The MJML document for one campaign variant. Everything passed in as "source" is already Liquid HTML
// source made from escaped copy (placeholders.ts); everything taken from the brand is escaped here.
// The product rows sit between marker comments: compile.ts cuts them out into the product-block
// partial, so MJML lays them out once and Liquid repeats them per product at render time.

export const MARK = {
  blockStart: "<!--cp:block:start-->",
  rowImage: "<!--cp:row-image-->",
  rowPlain: "<!--cp:row-plain-->",
  blockEnd: "<!--cp:block:end-->",
} as const;

/** Liquid HTML sources of the draft's parts (already escaped, placeholders canonical). */
export interface HtmlPieces {
  subject: string;
  previewText: string;
  headline: string;
  /** Paragraphs before the product block and after it. */
  before: string[];
  after: string[];
  callToAction: string;
}

export interface LayoutContext {
  layout: Layout;
  brand: Brand;
  strings: LayoutStrings;
  palette: Palette;
}

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

function paragraphs(sources: string[]): string {
  if (sources.length === 0) return "";
  const body = sources.map((source) => `<p style="margin:0 0 16px;">${source}</p>`).join("\n");
  return `<mj-section padding="0 0 0"><mj-column><mj-text padding="0 24px">${body}</mj-text></mj-column></mj-section>`;
}

function header({ brand }: LayoutContext): string {
  const shop = escapeHtmlText(brand.shopName);
  const href = brand.shopUrl ? ` href="{{ links.shop }}"` : "";
  if (brand.logoUrl) {
    return `<mj-section padding="24px 0 8px"><mj-column><mj-image src="${escapeHtmlText(brand.logoUrl)}" alt="${shop}"${href} width="160px" padding="0 24px" align="center" /></mj-column></mj-section>`;
  }
  const name = brand.shopUrl
    ? `<a href="{{ links.shop }}" style="color:${INK};text-decoration:none;">${shop}</a>`
    : shop;
  return `<mj-section padding="24px 0 8px"><mj-column><mj-text align="center" font-size="20px" font-weight="700" padding="0 24px">${name}</mj-text></mj-column></mj-section>`;
}

function productRows({ strings, layout, palette }: LayoutContext): string {
  const heading = `<mj-section padding="8px 0 0"><mj-column><mj-text padding="0 24px"><h2 style="margin:0;font-size:19px;line-height:1.3;color:${INK};">${escapeHtmlText(strings.productHeading[layout])}</h2></mj-text></mj-column></mj-section>`;
  const details = [
    `<a href="{{ product.href }}" style="color:${palette.link};font-size:17px;font-weight:600;text-decoration:underline;">{{ product.title }}</a>`,
    `{% if product.reason %}<br><span style="color:${MUTED};font-size:14px;">{{ product.reason }}</span>{% endif %}`,
    `<br><span style="font-weight:600;">{{ product.price }}</span>`,
    `{% if product.compare_at %} <span style="color:${MUTED};">${escapeHtmlText(strings.was)} <s>{{ product.compare_at }}</s></span>{% endif %}`,
  ].join("");
  const text = `<mj-text padding="8px 24px">${details}</mj-text>`;
  const withImage = [
    `<mj-section padding="8px 0">`,
    `<mj-column width="38%" vertical-align="middle"><mj-image src="{{ product.image_url }}" href="{{ product.href }}" alt="{{ product.title }}" width="180px" border-radius="6px" padding="8px 24px" /></mj-column>`,
    `<mj-column width="62%" vertical-align="middle">${text}</mj-column>`,
    `</mj-section>`,
  ].join("");
  const plain = `<mj-section padding="8px 0"><mj-column>${text}</mj-column></mj-section>`;
  return [
    `<mj-raw>${MARK.blockStart}</mj-raw>`,
    heading,
    `<mj-raw>${MARK.rowImage}</mj-raw>`,
    withImage,
    `<mj-raw>${MARK.rowPlain}</mj-raw>`,
    plain,
    `<mj-raw>${MARK.blockEnd}</mj-raw>`,
  ].join("\n");
}

function footer(context: LayoutContext): string {
  const { brand, strings, layout } = context;
  const why = escapeHtmlText(whyLine(strings, layout, brand.shopName));
  const lines = [
    `<p style="margin:0 0 8px;">${why}</p>`,
    `<p style="margin:0 0 8px;">${escapeHtmlLines(brand.physicalAddress)}</p>`,
    `<p style="margin:0;"><a href="{{ unsubscribe_url }}" style="color:${MUTED};text-decoration:underline;">${escapeHtmlText(strings.unsubscribe)}</a></p>`,
  ].join("\n");
  return `<mj-section background-color="${CANVAS}" padding="16px 0 32px"><mj-column><mj-text align="center" font-size="13px" line-height="1.5" color="${MUTED}" padding="0 24px">${lines}</mj-text></mj-column></mj-section>`;
}

/**
 * The inbox preview line. Not mj-preview: that one hides the text by painting it white, which
 * SpamAssassin scores as hidden text (HTML_FONT_LOW_CONTRAST, +0.7); display:none hides it without a
 * colour trick, and mso-hide covers Outlook.
 */
function preheader(source: string): string {
  return `<div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;">${source}</div>`;
}

export function buildMjml(pieces: HtmlPieces, context: LayoutContext): string {
  const { brand, strings, palette } = context;
  const behaviour = [
    `<mj-raw>{% if behaviour_line %}</mj-raw>`,
    `<mj-section padding="0"><mj-column><mj-text padding="0 24px 8px" font-size="17px" font-style="italic">{{ behaviour_line }}</mj-text></mj-column></mj-section>`,
    `<mj-raw>{% endif %}</mj-raw>`,
  ].join("\n");
  return `<mjml lang="${escapeHtmlText(brand.language)}" dir="${strings.dir}">
<mj-head>
<mj-title>${pieces.subject}</mj-title>
<mj-attributes>
<mj-all font-family="${FONT}" />
<mj-text font-size="16px" line-height="1.55" color="${INK}" />
<mj-section background-color="${PAPER}" />
</mj-attributes>
</mj-head>
<mj-body background-color="${CANVAS}" width="600px">
<mj-raw>${preheader(pieces.previewText)}</mj-raw>
${header(context)}
<mj-section padding="8px 0 8px"><mj-column><mj-text padding="0 24px"><h1 style="margin:0;font-size:26px;line-height:1.3;color:${INK};">${pieces.headline}</h1></mj-text></mj-column></mj-section>
${paragraphs(pieces.before)}
${behaviour}
${productRows(context)}
${paragraphs(pieces.after)}
<mj-section padding="16px 0 32px"><mj-column><mj-button href="{{ links.cta }}" background-color="${palette.buttonBackground}" color="${palette.buttonText}" font-size="17px" font-weight="600" inner-padding="14px 28px" border-radius="6px">${pieces.callToAction}</mj-button></mj-column></mj-section>
${footer(context)}
</mj-body>
</mjml>`;
}
