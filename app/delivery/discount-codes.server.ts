import { randomInt } from "node:crypto";
import { type Db, isUniqueViolation } from "~/db.server";
import { describeAdminError, isRetryable, type AdminError, type AdminGraphql } from "~/integrations/shopify/admin.server";
import { discountCodeBasicCreate } from "~/integrations/shopify/operations/discount-code-basic-create";
import { discountRedeemCodeBulkAdd } from "~/integrations/shopify/operations/discount-redeem-code-bulk-add";
import { inChunks } from "~/lib/chunks";

// Unique single-use codes for a campaign step's offer: one Shopify code discount per step, one code
// per recipient, each usable once. Codes are written to the database first and marked created once
// Shopify accepted them, so a crash or retry re-sends the same codes and a recipient's code never changes.

const BULK_LIMIT = 250; // Shopify's maximum codes per discountRedeemCodeBulkAdd call
// No 0/O/1/I: codes are read off a screen and typed.
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

export function newCode(prefix = "CP"): string {
  const part = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return `${prefix}-${part()}-${part()}`;
}

export type CodesResult =
  | { ok: true; codes: Map<string, string> }
  | { ok: false; error: AdminError | { kind: "rejected"; message: string }; retryable: boolean };

export interface StepOffer {
  campaignId: string;
  campaignTitle: string;
  step: number;
  percent: number;
  validDays: number;
}

/** Codes for these recipients (recipient id → code), created in Shopify if not already. */
export async function ensureDiscountCodes(
  db: Db,
  admin: AdminGraphql,
  shop: string,
  offer: StepOffer,
  recipientIds: readonly string[],
  now = new Date(),
): Promise<CodesResult> {
  // 1. A code for every recipient, stored before anything is sent to Shopify.
  const existing = await inChunks(recipientIds, (chunk) =>
    db.discountCode.findMany({ where: { campaignId: offer.campaignId, step: offer.step, recipientId: { in: chunk } } }),
  );
  const known = new Set(existing.map((code) => code.recipientId));
  const missing = recipientIds.filter((id) => !known.has(id));
  if (missing.length) {
    await db.discountCode.createMany({
      data: missing.map((recipientId) => ({ shop, code: newCode(), campaignId: offer.campaignId, step: offer.step, recipientId })),
    });
  }
  const codes = await inChunks(recipientIds, (chunk) =>
    db.discountCode.findMany({ where: { campaignId: offer.campaignId, step: offer.step, recipientId: { in: chunk } } }),
  );

  // 2. The step's code discount in Shopify (created with the first code).
  let discount = await db.campaignDiscount.findUnique({ where: { campaignId_step: { campaignId: offer.campaignId, step: offer.step } } });
  if (!discount) {
    const data = { shop, campaignId: offer.campaignId, step: offer.step, percent: offer.percent, startsAt: now, endsAt: new Date(now.getTime() + offer.validDays * 86_400_000) };
    // Another dispatch of the shop (JOB_CONCURRENCY_PER_SHOP > 1) may have written it a moment ago.
    discount = await db.campaignDiscount.create({ data }).catch(async (error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
      return db.campaignDiscount.findUniqueOrThrow({ where: { campaignId_step: { campaignId: offer.campaignId, step: offer.step } } });
    });
  }
  const pending = codes.filter((code) => code.status === "pending");
  if (!discount.discountId) {
    const first = pending.shift() ?? codes[0];
    const created = await admin.request(discountCodeBasicCreate, {
      basicCodeDiscount: {
        title: `${offer.campaignTitle} (step ${offer.step + 1}, ${offer.percent}% off)`,
        code: first.code,
        startsAt: discount.startsAt.toISOString(),
        endsAt: discount.endsAt.toISOString(),
        customerSelection: { all: true },
        customerGets: { value: { percentage: offer.percent / 100 }, items: { all: true } },
        appliesOncePerCustomer: true,
        usageLimit: 1,
      },
    });
    if (!created.ok) return { ok: false, error: created.error, retryable: isRetryable(created.error) };
    const node = created.data.discountCodeBasicCreate.codeDiscountNode;
    if (!node) {
      const message = created.data.discountCodeBasicCreate.userErrors.map((error) => error.message).join("; ");
      return { ok: false, error: { kind: "rejected", message }, retryable: false };
    }
    discount = await db.campaignDiscount.update({ where: { id: discount.id }, data: { discountId: node.id } });
    await db.discountCode.update({ where: { shop_code: { shop, code: first.code } }, data: { status: "created" } });
  }

  // 3. The rest, 250 at a time.
  for (let start = 0; start < pending.length; start += BULK_LIMIT) {
    const batch = pending.slice(start, start + BULK_LIMIT);
    const added = await admin.request(discountRedeemCodeBulkAdd, {
      discountId: discount.discountId!,
      codes: batch.map((code) => ({ code: code.code })),
    });
    if (!added.ok) return { ok: false, error: added.error, retryable: isRetryable(added.error) };
    const errors = added.data.discountRedeemCodeBulkAdd.userErrors;
    if (errors.length && !added.data.discountRedeemCodeBulkAdd.bulkCreation) {
      return { ok: false, error: { kind: "rejected", message: errors.map((error) => error.message).join("; ") }, retryable: false };
    }
    await db.discountCode.updateMany({ where: { shop, code: { in: batch.map((code) => code.code) } }, data: { status: "created" } });
  }
  return { ok: true, codes: new Map(codes.map((code) => [code.recipientId, code.code])) };
}

const stepKey = (campaignId: string, step: number) => `${campaignId}:${step}`;

/**
 * A dispatch batch's codes: asked once per step, for every recipient of the batch the step will mail.
 * The batch's sends go out in parallel, and each asking for its own code raced to create the step's
 * Shopify discount (a unique violation: the send was put back for a minute). A batch's codes also
 * take 2 Admin API calls now (the discount, then the other codes in bulk), not one per send.
 */
export function batchDiscountCodes(db: Db, shop: string, mailed: ReadonlyArray<{ campaignId: string; step: number; recipientId: string }>, now: Date) {
  const recipientsByStep = Map.groupBy(mailed, (send) => stepKey(send.campaignId, send.step));
  const asked = new Map<string, Promise<CodesResult>>();
  return async (admin: AdminGraphql, offer: StepOffer, recipientId: string): Promise<CodesResult> => {
    const key = stepKey(offer.campaignId, offer.step);
    let codes = asked.get(key);
    if (!codes) {
      codes = ensureDiscountCodes(db, admin, shop, offer, [...new Set([...(recipientsByStep.get(key) ?? []).map((send) => send.recipientId), recipientId])], now);
      asked.set(key, codes);
    }
    const result = await codes;
    // A recipient the batch did not announce (never expected) still gets a code of their own.
    return result.ok && !result.codes.has(recipientId) ? ensureDiscountCodes(db, admin, shop, offer, [recipientId], now) : result;
  };
}

export function describeCodesError(result: Extract<CodesResult, { ok: false }>): string {
  return result.error.kind === "rejected" ? `Shopify refused the discount: ${result.error.message}` : describeAdminError(result.error);
}
