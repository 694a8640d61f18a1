import { escapeLiquidText } from "./escape";
import { whyLine, type LayoutStrings } from "./strings";
import type { Brand, Layout } from "./types";

// The plain-text part, built from the same pieces as the HTML (not scraped from it): same words in the
// same order, each link written out after the words it sits on in the HTML. SpamAssassin compares the
// two parts (MPART_ALT_DIFF), and readers of the text part should get the same email.

export interface TextPieces {
  headline: string;
  before: string[];
  after: string[];
  callToAction: string;
}

export interface TextLayoutContext {
  layout: Layout;
  brand: Brand;
  strings: LayoutStrings;
}

/** The product block's heading, plain text (static: no Liquid). */
export function buildProductHeadingText({ strings, layout }: TextLayoutContext): string {
  return `${strings.productHeading[layout]}\n\n`;
}

/** Liquid text source of one product row (reads `product`). */
export function buildProductRowText({ strings }: TextLayoutContext): string {
  return [
    "{{ product.title }}\n",
    "{% if product.reason %}{{ product.reason }}\n{% endif %}",
    `{{ product.price }}{% if product.compare_at %} ${escapeLiquidText(strings.was)} {{ product.compare_at }}{% endif %}\n`,
    "{{ product.href }}\n\n",
  ].join("");
}

/** Liquid text source of the whole text part; blank-line runs are squeezed after rendering. */
export function buildText(pieces: TextPieces, { brand, strings, layout }: TextLayoutContext): string {
  const shop = escapeLiquidText(brand.shopName);
  const parts = [
    brand.shopUrl ? `${shop}\n{{ links.shop }}` : shop,
    pieces.headline,
    ...pieces.before,
    "{% if behaviour_line %}{{ behaviour_line }}{% endif %}",
    "{{ product_block }}",
    ...pieces.after,
    `${pieces.callToAction}: {{ links.cta }}`,
    [
      escapeLiquidText(whyLine(strings, layout, brand.shopName)),
      escapeLiquidText(brand.physicalAddress),
      `${escapeLiquidText(strings.unsubscribe)}: {{ unsubscribe_url }}`,
    ].join("\n\n"),
  ];
  return parts.join("\n\n");
}

/** Squeezes the blank lines empty sections leave behind; the text part ends with one newline. */
export function tidyText(text: string): string {
  return `${text.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim()}\n`;
}
