import { Prisma } from "@prisma/client";
import { z } from "zod";
import { type Db, executeSql, queryRows } from "~/db.server";
import { tryParseJson } from "~/lib/json";
import { REDACTED_PAYLOAD } from "~/privacy/redact.server";
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
    const event = await loadDelivery(db, webhookEventId);
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
    // A delivery that was not applied is never read again, and may be about a redacted or deleted
    // customer (a late retry): its payload goes too.
    await settleDelivery(db, webhookEventId, {
      applied: outcome === "applied",
      lastError: outcome === "applied" ? null : outcome,
      redactPayload: NAMES_A_CUSTOMER.has(event.topic) || outcome === "deleted" || outcome === "stale",
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

// The delivery's read and its settling are raw SQL, like the job queue's statements (ADR 022): they
// are two of every delivery's dozen queries.

interface DeliveryRow {
  shop: string;
  topic: string;
  payload: string;
  status: string;
  triggeredAt: Date | string | null;
  receivedAt: Date | string;
}

async function loadDelivery(db: Db, id: string) {
  const [row] = await queryRows<DeliveryRow>(db, Prisma.sql`SELECT "shop","topic","payload","status","triggeredAt","receivedAt" FROM "WebhookEvent" WHERE "id" = ${id}`);
  // Raw rows carry dates as the driver gives them (a Date, or SQLite's ISO text).
  return row && { ...row, triggeredAt: row.triggeredAt === null ? null : new Date(row.triggeredAt), receivedAt: new Date(row.receivedAt) };
}

async function settleDelivery(db: Db, id: string, settled: { applied: boolean; lastError: string | null; redactPayload: boolean }): Promise<void> {
  const redact = settled.redactPayload ? Prisma.sql`, "payload" = ${REDACTED_PAYLOAD}` : Prisma.empty;
  await executeSql(db, Prisma.sql`UPDATE "WebhookEvent" SET "status" = ${settled.applied ? "processed" : "skipped"}, "processedAt" = ${new Date()},
    "attempts" = "attempts" + 1, "lastError" = ${settled.lastError}${redact} WHERE "id" = ${id}`);
}
