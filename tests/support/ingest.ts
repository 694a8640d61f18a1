import { readyDb } from "~/db.server";
import { applyCommand } from "~/ingest/apply.server";
import { reactToChange } from "~/ingest/reactions.server";
import { parseWebhook } from "~/ingest/topics";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { parseJsonLossless } from "~/lib/json";

/** Parses a payload as the topic's webhook and applies it to the mirror, as the webhook job does. */
export async function ingest(shop: string, topic: string, payload: unknown, observedAt = new Date()) {
  const db = await readyDb();
  const parsed = parseWebhook(topic, typeof payload === "string" ? parseJsonLossless(payload) : payload);
  if (!parsed.ok) throw new Error(parsed.reason);
  const context = { db, queue: new DbJobQueue(db), shop, currency: "USD", observedAt };
  const outcome = await applyCommand(context, parsed.command);
  if (outcome === "applied") await reactToChange(context, parsed.command);
  return outcome;
}
