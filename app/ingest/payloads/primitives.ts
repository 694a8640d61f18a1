import { z } from "zod";

// Building blocks shared by the webhook and bulk-operation schemas. Ids are strings (see lib/json).

const NUMERIC_ID = /^\d+$/;
const GID = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(\?.*)?$/;

export const shopifyId = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform((value) => String(value))
  .refine((value) => NUMERIC_ID.test(value), "must be a numeric Shopify id");

export const gid = z.string().regex(GID, "must be a Shopify GID");

export function idFromGid(value: string): string {
  const match = GID.exec(value);
  if (!match) throw new RangeError(`Not a Shopify GID: ${value}`);
  return match[1];
}

/** GID-derived ids are exact even where upstream JSON rounded the numeric id. */
export function preferGid(numericId: string | undefined, graphqlId: string | null | undefined): string {
  if (graphqlId && GID.test(graphqlId)) return idFromGid(graphqlId);
  if (numericId) return numericId;
  throw new RangeError("record has no id");
}

export const dateTime = z.string().transform((value, ctx) => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: "custom", message: `not a date-time: ${value}` });
    return z.NEVER;
  }
  return date;
});

export const optionalDateTime = dateTime.nullish().transform((value) => value ?? null);

export const decimal = z
  .union([z.string(), z.number()])
  .transform((value) => String(value))
  .refine((value) => /^-?\d*(\.\d+)?$/.test(value) && value !== "" && value !== "-", "must be a decimal amount");

export const optionalDecimal = decimal.nullish().transform((value) => value ?? null);

export const nullableString = z.string().nullish().transform((value) => value ?? null);

/** Shopify REST sends tags as "a, b, c"; GraphQL as ["a", "b"]. */
export const tagList = z
  .union([z.string(), z.array(z.string())])
  .nullish()
  .transform((value) => {
    const items = Array.isArray(value) ? value : (value ?? "").split(",");
    return items.map((tag) => tag.trim()).filter(Boolean);
  });

export const emailConsentState = z
  .string()
  .transform((value) => value.toUpperCase())
  .pipe(z.enum(["SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING", "REDACTED", "INVALID"]));
