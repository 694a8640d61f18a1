import { escapeHtmlText, singleLine } from "./escape";
import { htmlEngine, textEngine } from "./liquid";
import type { z } from "zod";
import type { CompiledTemplate, productBlockItemSchema } from "./types";

// Product rows are the costly part of a render: liquidjs spends ~50 µs per row on this machine (loop,
// conditionals and lookups), four rows per email. Every recipient of a campaign draws from the same few
// hundred products, and a row differs between recipients only in its tracked link. So each distinct
// product row is rendered once per compiled template, with a sentinel where the link goes, and
// per recipient the tracked URL (escaped for its context) is joined in.

/** Cannot occur in rendered data: controls are stripped from every field and refused in URLs. */
const LINK = "\u0001cp-link\u0001";
/** A campaign's products number in the hundreds; past this many, rows are rendered without memoizing. */
const MAX_CACHED_ROWS = 5_000;

interface RowParts {
  html: string[];
  text: string[];
}

const caches = new WeakMap<CompiledTemplate, Map<string, RowParts>>();

/** A product row's data after the recipient schema has checked it. */
type ValidItem = z.output<typeof productBlockItemSchema>;

function rowScope(item: ValidItem) {
  return {
    product: {
      title: singleLine(item.title, 255),
      href: LINK,
      image_url: item.imageUrl ?? null,
      price: singleLine(item.price, 40),
      compare_at: item.compareAtPrice ? singleLine(item.compareAtPrice, 40) : null,
      reason: item.reason ? singleLine(item.reason, 160) : null,
    },
  };
}

function rowParts(compiled: CompiledTemplate, item: ValidItem): RowParts {
  let cache = caches.get(compiled);
  if (!cache) {
    cache = new Map();
    caches.set(compiled, cache);
  }
  const key = `${item.title}\u0000${item.imageUrl ?? ""}\u0000${item.price}\u0000${item.compareAtPrice ?? ""}\u0000${item.reason ?? ""}`;
  let parts = cache.get(key);
  if (!parts) {
    const scope = rowScope(item);
    parts = {
      html: (htmlEngine.renderSync(compiled.parsed.productRowHtml, scope) as string).split(LINK),
      text: (textEngine.renderSync(compiled.parsed.productRowText, scope) as string).split(LINK),
    };
    if (cache.size < MAX_CACHED_ROWS) cache.set(key, parts);
  }
  return parts;
}

/** The HTML and text product blocks for one recipient; `links[i]` is product i's tracked URL. */
export function renderProductBlock(
  compiled: CompiledTemplate,
  items: readonly ValidItem[],
  links: readonly string[],
): { html: string; text: string } {
  if (items.length === 0) return { html: "", text: "" };
  let html = compiled.sources.productHeadingHtml;
  let text = compiled.sources.productHeadingText;
  items.forEach((item, index) => {
    const parts = rowParts(compiled, item);
    html += parts.html.join(escapeHtmlText(links[index]));
    text += parts.text.join(links[index]);
  });
  return { html, text };
}

/** For tests: how many rows a compiled template has memoized. */
export function cachedRowCount(compiled: CompiledTemplate): number {
  return caches.get(compiled)?.size ?? 0;
}
