// Removes a customer's identifiers from stored JSON (an opportunity's evidence names the customers
// and checkouts it is about): list entries and object keys equal to one are dropped, and a string
// that contains one becomes "[redacted]". Everything else, counts and product ids, stays.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function scrubJson(value: Json, needles: ReadonlySet<string>): Json {
  if (typeof value === "string") return [...needles].some((needle) => value.includes(needle)) ? "[redacted]" : value;
  if (Array.isArray(value)) return value.filter((item) => !(typeof item === "string" && needles.has(item))).map((item) => scrubJson(item, needles));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([key]) => !needles.has(key)).map(([key, item]) => [key, scrubJson(item, needles)]));
  }
  return value;
}

/** scrubJson over a stored JSON text; text that is not JSON is redacted whole if it mentions a needle. */
export function scrubJsonText(text: string, needles: ReadonlySet<string>): string {
  if (![...needles].some((needle) => text.includes(needle))) return text;
  try {
    return JSON.stringify(scrubJson(JSON.parse(text) as Json, needles));
  } catch {
    return JSON.stringify("[redacted]");
  }
}
