import { Liquid, type Template } from "liquidjs";

// Two engines, shared by every compiled template (they hold no per-template state: templates are parsed
// once and kept by the caller, so the engines' own cache is off). Strict at both ends: an unknown
// filter fails the parse, an unknown variable fails the static check at compile time and the render
// if it ever slipped through. HTML output is escaped by default; the text engine escapes nothing
// (subjects and text parts are not HTML). `templates: {}` keeps partial lookups in memory: no
// template can reach the file system.

const common = {
  strictFilters: true,
  strictVariables: true,
  ownPropertyOnly: true,
  cache: false,
  templates: {},
} as const;

export const htmlEngine = new Liquid({ ...common, outputEscape: "escape" });
export const textEngine = new Liquid({ ...common });

export type LiquidCheck = { ok: true; template: Template[] } | { ok: false; kind: "liquid_syntax" | "unknown_variable"; message: string };

/** Parses and checks that every variable the template reads from the top scope is one we provide. */
export function parseChecked(engine: Liquid, source: string, globals: ReadonlySet<string>): LiquidCheck {
  let template: Template[];
  try {
    template = engine.parse(source);
  } catch (error) {
    return { ok: false, kind: "liquid_syntax", message: error instanceof Error ? error.message : String(error) };
  }
  let segments: unknown[][];
  try {
    segments = engine.globalVariableSegmentsSync(template);
  } catch (error) {
    return { ok: false, kind: "liquid_syntax", message: error instanceof Error ? error.message : String(error) };
  }
  for (const segment of segments) {
    const root = String(segment[0]);
    if (!globals.has(root)) return { ok: false, kind: "unknown_variable", message: `unknown variable "${root}"` };
  }
  return { ok: true, template };
}

/** Top-level variables each compiled template may read (render.ts provides exactly these). */
export const TEMPLATE_GLOBALS = {
  copy: new Set(["first_name", "discount_code", "shop_name"]),
  layout: new Set([
    "first_name",
    "discount_code",
    "shop_name",
    "links",
    "unsubscribe_url",
    "behaviour_line",
    "product_block",
  ]),
  productRow: new Set(["product"]),
} as const;
