import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { encryptConnection } from "~/lib/secrets";
import { IDEMPOTENCY_METADATA_KEY } from "~/integrations/esp/types";
import { type AppServer, startAppServer } from "../support/app-server";

// A provider's event webhook through the real server: verified with the shop's connection, applied
// once, bounces and complaints suppress.

const shop = "events.myshopify.com";
const basicAuth = { username: "postmark", password: "long-random-webhook-password" };
const encryptionKeys = `k1:${randomBytes(32).toString("base64")}`;
let server: AppServer;

const bounce = (id: number, email: string, key: string) => ({
  RecordType: "Bounce",
  ID: id,
  Type: "HardBounce",
  TypeCode: 1,
  MessageID: `msg-${id}`,
  Email: email,
  BouncedAt: "2026-11-20T10:00:00Z",
  Metadata: { [IDEMPOTENCY_METADATA_KEY]: key },
});

function post(body: unknown, auth = basicAuth, path = `/esp/postmark/${shop}`) {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  process.env.ENCRYPTION_KEYS = encryptionKeys;
  const connection = { provider: "postmark" as const, serverToken: "server-token-123456", messageStream: "broadcast", webhookBasicAuth: basicAuth };
  await db().espConnection.create({ data: { shop, provider: "postmark", credentials: encryptConnection(connection, { context: shop }), status: "verified" } });
  await db().send.create({
    data: { shop, campaignId: "c1", step: 0, recipientId: "r1", email: "gone@example.com", idempotencyKey: "c1.0.r1", status: "sent", scheduledAt: new Date(), providerMessageId: "msg-1" },
  });
  server = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL!, ENCRYPTION_KEYS: encryptionKeys });
});

afterAll(async () => {
  await server?.stop();
  delete process.env.ENCRYPTION_KEYS;
});

describe("ESP event webhooks", () => {
  it("records a hard bounce against its send once and suppresses the address", async () => {
    expect((await post(bounce(1, "gone@example.com", "c1.0.r1"))).status).toBe(200);
    expect((await post(bounce(1, "gone@example.com", "c1.0.r1"))).status).toBe(200); // redelivered
    const events = await db().emailEvent.findMany({ where: { shop } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "bounce", source: "postmark", campaignId: "c1", email: "gone@example.com" });
    expect(await db().suppression.findUnique({ where: { shop_email: { shop, email: "gone@example.com" } } })).toMatchObject({ reason: "hard_bounce" });
  });

  it("refuses wrong credentials with 401 and an unknown shop or provider with 404, storing nothing", async () => {
    expect((await post(bounce(2, "victim@example.com", "x"), { username: "postmark", password: "guess" })).status).toBe(401);
    expect((await post(bounce(3, "victim@example.com", "x"), basicAuth, "/esp/postmark/other.myshopify.com")).status).toBe(404);
    expect((await post(bounce(4, "victim@example.com", "x"), basicAuth, `/esp/sendgrid/${shop}`)).status).toBe(404);
    expect(await db().suppression.count({ where: { email: "victim@example.com" } })).toBe(0);
  });

  it("answers 400 to a body that is not a Postmark event", async () => {
    const response = await fetch(`${server.url}/esp/postmark/${shop}`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${basicAuth.username}:${basicAuth.password}`).toString("base64")}` },
      body: "{not json",
    });
    expect(response.status).toBe(400);
  });
});
