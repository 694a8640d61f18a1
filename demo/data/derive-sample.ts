// Derives the demo store's compact data file from the original UCI Online Retail CSV (CC BY 4.0; see
// demo/data/SOURCES.md). Run: npm run demo:derive-data -- [--input PATH] [--customers 800] [--max-lines 6]
//
// What it keeps, and why (ADR 013): invoices of registered customers only (no guests, no
// cancellations, no postage/fee codes, positive quantities and prices); customers with at least two
// invoices (the lifecycle models need repeat buyers), chosen in a stable pseudo-random order (SHA-256
// of the customer id) so any prefix of the file is itself a fair sample; at most `--max-lines` lines
// per invoice (the source is a wholesaler whose invoices run to hundreds of lines; a shop's baskets
// are small, and the demo must ingest in seconds). Rows keep the original eight columns (CustomerID without its ".0").
import { parse } from "csv-parse";
import { stringify } from "csv-stringify/sync";
import { createHash } from "node:crypto";
import { createReadStream, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createGunzip, gzipSync } from "node:zlib";
import { z } from "zod";
import { isProductRow, UCI_COLUMNS, uciRowSchema, type UciRow } from "./uci-rows";

const options = z
  .object({
    input: z.string().default(join(import.meta.dirname, "../../../shared/data/uci-online-retail/online-retail.csv.gz")),
    output: z.string().default(join(import.meta.dirname, "online-retail-sample.csv.gz")),
    customers: z.coerce.number().int().min(10).default(800),
    "max-lines": z.coerce.number().int().min(1).default(6),
  })
  .parse(
    parseArgs({
      options: { input: { type: "string" }, output: { type: "string" }, customers: { type: "string" }, "max-lines": { type: "string" } },
    }).values,
  );

const rows: UciRow[] = [];
const parser = createReadStream(options.input).pipe(createGunzip()).pipe(parse({ columns: true }));
for await (const record of parser) {
  const row = uciRowSchema.parse(record);
  if (isProductRow(row)) rows.push(row);
}

const invoicesByCustomer = new Map<string, Set<string>>();
for (const row of rows) {
  const invoices = invoicesByCustomer.get(row.CustomerID) ?? new Set<string>();
  invoices.add(row.InvoiceNo);
  invoicesByCustomer.set(row.CustomerID, invoices);
}
const rank = (customerId: string) => createHash("sha256").update(customerId).digest("hex");
const chosen = [...invoicesByCustomer]
  .filter(([, invoices]) => invoices.size >= 2)
  .map(([customerId]) => customerId)
  .sort((a, b) => rank(a).localeCompare(rank(b)))
  .slice(0, options.customers);
const order = new Map(chosen.map((customerId, index) => [customerId, index]));

const linesPerInvoice = new Map<string, number>();
const kept = rows.filter((row) => {
  if (!order.has(row.CustomerID)) return false;
  const count = linesPerInvoice.get(row.InvoiceNo) ?? 0;
  linesPerInvoice.set(row.InvoiceNo, count + 1);
  return count < options["max-lines"];
});
// Customers in rank order (so `--customers N` at demo time takes a fair prefix), then file order.
kept.sort((a, b) => order.get(a.CustomerID)! - order.get(b.CustomerID)!);

const csv = stringify(kept, { header: true, columns: [...UCI_COLUMNS] });
writeFileSync(options.output, gzipSync(csv, { level: 9 }));
console.log(`${kept.length} rows, ${chosen.length} customers, ${linesPerInvoice.size} invoices → ${options.output}`);
