import type { ProductFact } from "~/copy/types";
import { fromMinorUnits } from "~/lib/money";
import type { ProductBlockItem } from "./types";

// Store facts (integer minor units) → what a product row prints. Formatting happens once per product
// per campaign, not per recipient: the caller maps facts to items and reuses them across recipients.

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = formatters.get(key);
  if (!format) {
    // Building a NumberFormat costs tens of microseconds; a campaign uses one or two.
    format = new Intl.NumberFormat(locale, { style: "currency", currency });
    formatters.set(key, format);
  }
  return format;
}

/** 2800 GBP in "en-GB" → "£28.00"; 480000 JPY in "ja" → "￥480,000". Exact: formats the decimal string. */
export function formatPrice(minor: number, currency: string, locale: string): string {
  // Intl formats a decimal string exactly (no float rounding on large amounts).
  return formatter(locale, currency).format(fromMinorUnits(minor, currency) as `${number}`);
}

export function productBlockItem(
  fact: ProductFact,
  options: { locale: string; reason?: string | null },
): ProductBlockItem {
  const discounted = fact.compareAtPrice !== null && fact.compareAtPrice > fact.price;
  return {
    title: fact.title,
    url: fact.url,
    imageUrl: fact.imageUrl,
    price: formatPrice(fact.price, fact.currency, options.locale),
    compareAtPrice: discounted ? formatPrice(fact.compareAtPrice as number, fact.currency, options.locale) : null,
    reason: options.reason ?? null,
  };
}
