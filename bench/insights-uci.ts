// Streams the UCI Online Retail file (../shared, not in git) as insight events and lifecycle orders.
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { z } from "zod";
import type { InsightEvent } from "../app/insights/schemas";
import { parseInstant } from "../app/insights/time";

export const UCI_PATH =
  process.env.UCI_ONLINE_RETAIL_PATH ?? new URL("../../shared/data/uci-online-retail/online-retail.csv.gz", import.meta.url).pathname;

export function uciAvailable(): boolean {
  return existsSync(UCI_PATH);
}

const rowSchema = z.object({
  invoiceNo: z.string().min(1),
  stockCode: z.string().min(1),
  description: z.string(),
  quantity: z.coerce.number().int(),
  at: z.string().transform((text, ctx) => parseInstant(text) ?? (ctx.addIssue({ code: "custom", message: `bad date ${text}` }), z.NEVER)),
  unitPrice: z.coerce.number().finite(),
  customerId: z.string().transform((text) => (text === "" ? null : text.replace(/\.0$/, ""))),
});
export type UciRow = z.output<typeof rowSchema>;

/**
 * Splits one RFC 4180 line. Written by hand because the file is one known, single-line-per-record
 * export used only by this benchmark; a CSV dependency would be heavier than these lines.
 */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === "," && !quoted) {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** Products are the 5-digit stock codes; POST, DOT, M, BANK CHARGES, gift vouchers… are not. */
export function isProductCode(stockCode: string): boolean {
  return /^\d{5}/.test(stockCode);
}

export async function* readUciRows(path = UCI_PATH): AsyncGenerator<UciRow> {
  const lines = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (lineNumber === 1 || line === "") continue;
    const [invoiceNo, stockCode, description, quantity, at, unitPrice, customerId] = splitCsvLine(line);
    const parsed = rowSchema.safeParse({ invoiceNo, stockCode, description, quantity, at, unitPrice, customerId });
    if (!parsed.success) throw new Error(`UCI line ${lineNumber}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    yield parsed.data;
  }
}

// Ids repeat across lines; keeping one copy of each (instead of a slice of every CSV line, which pins the
// whole line in memory) halves the resident size of 540k events.
const interned = new Map<string, string>();
function intern(text: string): string {
  let kept = interned.get(text);
  if (kept === undefined) {
    kept = text;
    interned.set(kept, kept);
  }
  return kept;
}

/** Guests (no CustomerID) become one pseudo-customer per invoice: their baskets still teach co-occurrence. */
export function rowToEvent(row: UciRow): InsightEvent {
  return {
    type: "order",
    customerId: intern(row.customerId ?? `guest:${row.invoiceNo}`),
    productId: intern(row.stockCode),
    at: row.at,
    orderId: intern(row.invoiceNo),
    quantity: row.quantity,
    price: row.unitPrice,
  };
}
