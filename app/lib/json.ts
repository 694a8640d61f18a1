// Shopify ids are 64-bit integers; JSON.parse would round the ones above 2^53 (Shopify's own
// examples show it). Node 22's JSON.parse source access lets unsafe integers keep their digits.

type ReviverContext = { source?: string };

function keepUnsafeIntegers(this: unknown, _key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value) && context?.source) {
    return context.source;
  }
  return value;
}

export function parseJsonLossless(text: string): unknown {
  return JSON.parse(text, keepUnsafeIntegers as (key: string, value: unknown) => unknown);
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: string };

export function tryParseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: parseJsonLossless(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
