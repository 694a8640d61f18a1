import { z } from "zod";
import { tryParseJson } from "~/lib/json";
import { defineJob, done, fail } from "~/jobs/types";
import { ensureShop } from "~/shops/shops.server";
import { applyCommand } from "./apply.server";
import { reactToChange } from "./reactions.server";
import { parseWebhook } from "./topics";

export const PROCESS_WEBHOOK = "webhook.process";
const NAMES_A_CUSTOMER = new Set(["customers/redact", "customers/data_request"]);

export function processWebhookKey(webhookEventId: string): string {
  return `webhook:${webhookEventId}`;
}

/**
 * Applies one inbox delivery to the store mirror. A payload that fails its schema is kept in the
 * inbox as `failed` with the reason (visible in the admin), never retried and never lost.
 */
export const processWebhookJob = defineJob({
  name: PROCESS_WEBHOOK,
  payload: z.object({ webhookEventId: z.string() }),
  maxAttempts: 10,
  async perform({ webhookEventId }, { db, queue }) {
    const event = await db.webhookEvent.findUnique({ where: { id: webhookEventId } });
    if (!event) return fail("delivery not found");
    if (event.status !== "received") return done; // a duplicate job: the delivery is handled

    const json = tryParseJson(event.payload);
    if (!json.ok) return fail(`payload is not valid JSON: ${json.error}`);
    const parsed = parseWebhook(event.topic, json.value);
    if (!parsed.ok) return fail(parsed.reason);

    const shop = await ensureShop(db, event.shop);
    const context = { db, queue, shop: event.shop, currency: shop.currencyCode, observedAt: event.triggeredAt ?? event.receivedAt };
    const outcome = await applyCommand(context, parsed.command);
    if (outcome === "applied") await reactToChange(context, parsed.command);
    // shop/redact removes the inbox row itself along with everything else of the shop. The other two
    // privacy deliveries name the customer: once done, their payload goes (the row stays as the record).
    await db.webhookEvent.updateMany({
      where: { id: event.id },
      data: {
        // A delivery that was not applied is never read again, and may be about a redacted or deleted
        // customer (a late retry): its payload goes too.
        ...((NAMES_A_CUSTOMER.has(event.topic) || outcome === "deleted" || outcome === "stale") && { payload: '{"redacted":true}' }),
        status: outcome === "applied" ? "processed" : "skipped",
        processedAt: new Date(),
        attempts: { increment: 1 },
        lastError: outcome === "applied" ? null : outcome,
      },
    });
    return done;
  },
  async onGiveUp({ webhookEventId }, { db }, reason) {
    await db.webhookEvent.updateMany({
      where: { id: webhookEventId, status: "received" },
      data: { status: "failed", lastError: reason.slice(0, 2_000), processedAt: new Date(), attempts: { increment: 1 } },
    });
  },
});
