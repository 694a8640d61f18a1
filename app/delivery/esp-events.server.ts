import type { Db } from "~/db.server";
import { parseEspWebhook } from "~/integrations/esp/events/parse";
import type { EspEvent } from "~/integrations/esp/events/types";
import { readBodyWithLimit } from "~/lib/http.server";
import { inChunks } from "~/lib/chunks";
import { loadConnection } from "./connections.server";
import { recordEvent } from "./feedback.server";

// The ESP's event webhook for one shop: verified with that shop's connection secrets, each event
// matched to our send and stored once; bounces (hard), complaints and unsubscribes suppress at once.

const MAX_BODY = 2 * 1024 * 1024;
const SUPPRESSING: Partial<Record<EspEvent["type"], string>> = { complaint: "complaint", unsubscribe: "unsubscribed" };

export async function receiveEspEvents(db: Db, provider: string, shop: string, request: Request): Promise<Response> {
  if (request.method !== "POST" && request.method !== "HEAD") return new Response(null, { status: 405 });
  const connection = await loadConnection(db, shop);
  if (!connection || connection.provider !== provider) return new Response(null, { status: 404 });
  if (request.method === "HEAD") return new Response(null, { status: 200 }); // Mandrill checks the URL first
  const rawBody = await readBodyWithLimit(request, MAX_BODY);
  if (rawBody === undefined) return new Response(null, { status: 413 });
  const parsed = parseEspWebhook(connection, { url: request.url, headers: request.headers, rawBody });
  if (!parsed.ok) return new Response(null, { status: parsed.error.type === "malformed" ? 400 : 401 });
  await applyEspEvents(db, shop, parsed.events);
  return new Response(null, { status: 200 });
}

export async function applyEspEvents(db: Db, shop: string, events: readonly EspEvent[]): Promise<number> {
  const keys = events.flatMap((event) => (event.idempotencyKey ? [event.idempotencyKey] : []));
  const messageIds = events.flatMap((event) => (event.providerMessageId ? [event.providerMessageId] : []));
  const sends = [
    ...(await inChunks(keys, (chunk) => db.send.findMany({ where: { shop, idempotencyKey: { in: chunk } } }))),
    ...(await inChunks(messageIds, (chunk) => db.send.findMany({ where: { shop, providerMessageId: { in: chunk } } }))),
  ];
  let stored = 0;
  for (const event of events) {
    const send = sends.find((candidate) => (event.idempotencyKey && candidate.idempotencyKey === event.idempotencyKey) || (event.providerMessageId && candidate.providerMessageId === event.providerMessageId));
    const email = event.email ?? send?.email ?? null;
    const isNew = await recordEvent(db, {
      shop,
      campaignId: send?.campaignId ?? null,
      sendId: send?.id ?? null,
      email,
      type: event.type,
      source: event.provider,
      eventKey: event.eventId,
      url: event.url ?? null,
      occurredAt: event.occurredAt,
    });
    if (!isNew) continue;
    stored++;
    const reason = event.type === "bounce" && event.bounceType !== "soft" ? "hard_bounce" : SUPPRESSING[event.type];
    if (reason && email) {
      await db.suppression.upsert({
        where: { shop_email: { shop, email } },
        create: { shop, email, reason, source: event.provider },
        update: {},
      });
    }
  }
  return stored;
}
