// What the logger does to every line before it is written (logger.server.ts): structured fields whose
// name says they hold personal data or a secret are replaced, and free text (messages, reasons, error
// messages) loses anything that looks like an address, a phone number or a credential. Callers still
// pass ids and counts only; this is the net under them, not a licence to log records.

const DENIED_FIELD =
  /^(e-?mail|emails|email_?address|to|from|phone|phone_?number|mobile|first_?name|last_?name|full_?name|customer_?name|address\d?|address_?line\d?|street|zip|postal_?code|city|ip|browser_?ip|token|access_?token|refresh_?token|id_?token|session_?token|password|pass|secret|client_?secret|api_?key|private_?api_?key|server_?token|authorization|cookie|credentials?|payload|body)$/i;

const PATTERNS: Array<[RegExp, string]> = [
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "<email>"],
  [/\bshp(?:at|ca|pa|ss|ua)_[A-Za-z0-9]+/g, "<token>"],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, "Bearer <token>"],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, "<token>"],
  [/\bSG\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, "<secret>"],
  [/\bpk_[A-Za-z0-9]{8,}/g, "<secret>"],
  [/\bv1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+/g, "<ciphertext>"],
  // E.164-ish phone numbers: a plus and 8 to 15 digits, possibly spaced.
  [/\+\d[\d ().-]{7,18}\d/g, "<phone>"],
];

const MAX_TEXT = 1_000;

export function scrubText(text: string): string {
  let scrubbed = text;
  for (const [pattern, replacement] of PATTERNS) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed.length > MAX_TEXT ? `${scrubbed.slice(0, MAX_TEXT)}…` : scrubbed;
}

export function redactFields(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubText(value);
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redactFields(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, DENIED_FIELD.test(key) && item !== null && item !== undefined ? "[redacted]" : redactFields(item, depth + 1)]),
  );
}

/**
 * One line for an error. Prisma's messages quote the call with its arguments (the record being
 * written, addresses and names included), so only their error code and closing sentence are kept.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name.startsWith("PrismaClient")) {
      const code = (error as { code?: unknown }).code;
      const summary = error.message.trim().split("\n").filter((line) => line.trim()).at(-1) ?? "";
      return scrubText(`${error.name}${typeof code === "string" ? ` ${code}` : ""}: ${summary}`);
    }
    return scrubText(error.message.split("\n")[0]);
  }
  return scrubText(String(error).split("\n")[0]);
}
