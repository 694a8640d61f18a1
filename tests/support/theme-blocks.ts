// The theme app extension's Liquid rendered the way Shopify would for the parts the app uses:
// liquidjs with the storefront filters the blocks call (`asset_url`, `t` from the extension's storefront
// locale file) and the block's schema stripped (Shopify reads it; it is not output). For the unit tests
// of the block scripts and the storefront stand-in of the browser tests.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Liquid } from "liquidjs";

export const EXTENSION_DIR = join(import.meta.dirname, "..", "..", "extensions", "browse-capture");

const locale = JSON.parse(readFileSync(join(EXTENSION_DIR, "locales", "en.default.json"), "utf8")) as Record<string, unknown>;

function translate(key: string): string {
  const value = key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), locale);
  if (typeof value !== "string") throw new Error(`missing storefront translation: ${key}`);
  return value;
}

export const themeLiquid = new Liquid({ strictFilters: true });
themeLiquid.registerFilter("asset_url", (name: string) => `/assets/${name}`);
themeLiquid.registerFilter("t", translate);

export function blockSource(name: string): string {
  return readFileSync(join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8").replace(/{%-?\s*schema\s*-?%}[\s\S]*?{%-?\s*endschema\s*-?%}/, "");
}

/** The block's schema, as the theme editor reads it. */
export function blockSchema(name: string): { name: string; target: string; settings: Array<{ id: string; type: string; default?: unknown }>; enabled_on?: unknown } {
  const source = readFileSync(join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
  const match = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/.exec(source);
  if (!match) throw new Error(`no schema in ${name}.liquid`);
  return JSON.parse(match[1]);
}

export function assetSource(name: string): string {
  return readFileSync(join(EXTENSION_DIR, "assets", name), "utf8");
}

export interface BackInStockProduct {
  id: string;
  variants: Array<{ id: string; available: boolean }>;
  /** The variant Liquid's selected_or_first_available_variant picks (the URL's, else the first available). */
  selectedVariantId?: string;
}

const backInStock = themeLiquid.parse(blockSource("back-in-stock"));

/** The block's settings as the theme editor saves them by default (the schema's defaults). */
export function defaultBlockSettings(name: string): Record<string, unknown> {
  return Object.fromEntries(blockSchema(name).settings.map((setting) => [setting.id, setting.default ?? ""]));
}

export async function renderBackInStockBlock(options: {
  product: BackInStockProduct;
  customer?: { id: string; email: string } | null;
  settings?: Record<string, unknown>;
  blockId?: string;
}): Promise<string> {
  const { product } = options;
  const selectedId = product.selectedVariantId ?? (product.variants.find((variant) => variant.available) ?? product.variants[0]).id;
  const variants = product.variants.map((variant) => ({ id: Number(variant.id), available: variant.available }));
  return themeLiquid.render(backInStock, {
    product: { id: Number(product.id), variants, selected_or_first_available_variant: variants.find((variant) => String(variant.id) === selectedId) },
    customer: options.customer ? { id: Number(options.customer.id), email: options.customer.email } : null,
    block: { id: options.blockId ?? "AbC123", shopify_attributes: "", settings: { ...defaultBlockSettings("back-in-stock"), ...options.settings } },
  });
}
