// Reads every column of every table (the models come from Prisma's DMMF, so a table added later is
// scanned too) and reports the rows in which any of the given strings appears, case-insensitively.
import { Prisma } from "@prisma/client";
import type { Db } from "~/db.server";

export interface Finding {
  model: string;
  /** The row's primary key values, joined. */
  key: string;
  needle: string;
  row: Record<string, unknown>;
}

const delegateOf = (db: Db, model: string) =>
  (db as unknown as Record<string, { findMany(args?: unknown): Promise<Array<Record<string, unknown>>> }>)[model.charAt(0).toLowerCase() + model.slice(1)];

// The client engine's DMMF carries no primary keys, so a row is named by its id, else by its first
// two non-shop columns (for reading failures only; rowIn compares whole rows).
function keyOf(row: Record<string, unknown>): string {
  if (typeof row.id === "string" && Object.keys(row)[0] === "id") return row.id;
  return Object.entries(row).filter(([field]) => field !== "shop").slice(0, 2).map(([, value]) => String(value)).join("|");
}

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_key, item) => (typeof item === "bigint" ? item.toString() : item)));

/** Whether some object inside `data` (an export) has every column of `row` with the same value. */
export function rowIn(data: unknown, row: Record<string, unknown>): boolean {
  const wanted = plain(row) as Record<string, unknown>;
  const matches = (candidate: Record<string, unknown>) => Object.entries(wanted).every(([field, value]) => JSON.stringify(candidate[field]) === JSON.stringify(value));
  const visit = (node: unknown): boolean => {
    if (Array.isArray(node)) return node.some(visit);
    if (!node || typeof node !== "object") return false;
    return matches(node as Record<string, unknown>) || Object.values(node).some(visit);
  };
  return visit(data);
}

export const everyModel = () => Prisma.dmmf.datamodel.models.map((model) => model.name);

export async function rowsMentioning(db: Db, needles: readonly string[], options: { shop?: string } = {}): Promise<Finding[]> {
  const findings: Finding[] = [];
  const lowered = needles.filter(Boolean).map((needle) => [needle, needle.toLowerCase()] as const);
  for (const model of Prisma.dmmf.datamodel.models) {
    const scoped = options.shop && model.fields.some((field) => field.name === "shop");
    const rows = await delegateOf(db, model.name).findMany(scoped ? { where: { shop: options.shop } } : undefined);
    for (const row of rows) {
      const text = JSON.stringify(row, (_key, value) => (typeof value === "bigint" ? value.toString() : value)).toLowerCase();
      for (const [needle, low] of lowered) {
        if (text.includes(low)) findings.push({ model: model.name, key: keyOf(row), needle, row });
      }
    }
  }
  return findings;
}

/** "Model key: needle in …context…" lines, for readable assertion failures. */
export const describeFindings = (findings: Finding[]) =>
  findings
    .map((finding) => {
      const text = JSON.stringify(finding.row);
      const at = text.toLowerCase().indexOf(finding.needle.toLowerCase());
      return `${finding.model} ${finding.key}: ${finding.needle} in …${text.slice(Math.max(0, at - 60), at + finding.needle.length + 20)}…`;
    })
    .sort();

/** Row counts of every shop-scoped table for a shop. */
export async function countsFor(db: Db, shop: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const model of Prisma.dmmf.datamodel.models.filter((m) => m.fields.some((field) => field.name === "shop"))) {
    counts[model.name] = (await delegateOf(db, model.name).findMany({ where: { shop }, select: { shop: true } })).length;
  }
  return counts;
}
