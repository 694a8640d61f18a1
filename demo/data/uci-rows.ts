import { z } from "zod";

// One row of UCI Online Retail (see SOURCES.md): an invoice line. Parsed with zod at the file boundary.

export const UCI_COLUMNS = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"] as const;

export const uciRowSchema = z.object({
  InvoiceNo: z.string().min(1),
  StockCode: z.string().min(1),
  Description: z.string(),
  Quantity: z.coerce.number().int(),
  /** "YYYY-MM-DD HH:MM:SS", UK local time. */
  InvoiceDate: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/),
  UnitPrice: z.coerce.number(),
  /** Float-formatted in the source ("17850.0"), empty for guests; normalised to "17850". */
  CustomerID: z.string().transform((value) => (value ? String(Math.round(Number(value))) : "")),
  Country: z.string(),
});
export type UciRow = z.output<typeof uciRowSchema>;

// Codes that are charges, fees or adjustments rather than products.
const NOT_PRODUCTS = new Set(["POST", "D", "M", "m", "DOT", "BANK CHARGES", "C2", "CRUK", "AMAZONFEE", "S", "PADS", "B"]);

/** A sale of a product to a registered customer (no guests, cancellations, fees or corrections). */
export function isProductRow(row: UciRow): boolean {
  return (
    row.CustomerID !== "" &&
    !row.InvoiceNo.startsWith("C") &&
    !NOT_PRODUCTS.has(row.StockCode) &&
    !row.StockCode.startsWith("gift_") &&
    row.Quantity > 0 &&
    row.UnitPrice > 0 &&
    row.Description.trim() !== ""
  );
}
