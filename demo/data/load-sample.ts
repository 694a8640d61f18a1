import { parse } from "csv-parse";
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { createGunzip } from "node:zlib";
import { uciRowSchema, type UciRow } from "./uci-rows";

export const SAMPLE_FILE = join(import.meta.dirname, "online-retail-sample.csv.gz");

/** The committed sample (see SOURCES.md), parsed and checked row by row. */
export async function loadSample(file = SAMPLE_FILE): Promise<UciRow[]> {
  const rows: UciRow[] = [];
  for await (const record of createReadStream(file).pipe(createGunzip()).pipe(parse({ columns: true }))) rows.push(uciRowSchema.parse(record));
  return rows;
}
