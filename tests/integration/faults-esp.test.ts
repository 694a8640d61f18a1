import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readyDb, type Db } from "~/db.server";
import { adapterForShop } from "~/delivery/connections.server";
import { describeDelivery } from "~/delivery/delivery-status";
import { campaignDeliveryFacts } from "~/delivery/delivery-status.server";
import { dispatchDueSends } from "~/delivery/dispatch.server";
import { linkSigningKey } from "~/delivery/links";
import { createPostmarkAdapter } from "~/integrations/esp/postmark";
import { startFakeProvider, type FakeProvider, type FakeReply } from "~/integrations/esp/testing/fake-provider";
import { loadContract } from "~/integrations/esp/testing/openapi-contract";
import { IDEMPOTENCY_METADATA_KEY, type EspAdapter } from "~/integrations/esp/types";
import { connectSmtp, FAULTS_ENCRYPTION_KEYS, scheduledCampaign, seedSendingShop } from "../support/faults/campaign-shop";
import { startFaultProxy, type FaultProxy } from "../support/faults/tcp-proxy";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink";

// The shop's email provider down while a campaign sends: an SMTP relay refusing connections, hanging,
// or answering 421; an HTTP provider (Postmark's API, through the contract-checked fake) answering
// 503. Sends must wait and retry with growing pauses, the campaign must say what is happening, and
// after recovery every recipient gets the message exactly once.

let db: Db;
let sink: SmtpSink;
let proxy: FaultProxy;
const linkKey = linkSigningKey("faults-esp");
const RECIPIENTS = 6;

beforeAll(async () => {
  process.env.ENCRYPTION_KEYS = FAULTS_ENCRYPTION_KEYS;
  db = await readyDb();
  sink = await startSmtpSink();
  proxy = await startFaultProxy({ host: "127.0.0.1", port: sink.port });
});

afterEach(async () => {
  await proxy.setMode("pass");
  sink.failWith = null;
});

afterAll(async () => {
  await proxy?.close();
  await sink?.close();
  delete process.env.ENCRYPTION_KEYS;
});

async function run(shop: string, adapter: EspAdapter, at: Date) {
  try {
    return await dispatchDueSends(db, shop, { adapter, appUrl: "https://app.example", linkKey, now: () => at });
  } finally {
    await adapter.close?.();
  }
}

const statusOf = async (shop: string, campaignId: string, at: Date) => describeDelivery(await campaignDeliveryFacts(db, shop, campaignId), at);
const delay = (from: Date, to: Date | undefined) => (to ? to.getTime() - from.getTime() : NaN);

async function outageThenRecovery(shop: string, breakIt: () => Promise<void> | void, fixIt: () => Promise<void> | void, adapter: () => Promise<EspAdapter>) {
  await seedSendingShop(db, shop, RECIPIENTS);
  await connectSmtp(db, shop, proxy.port);
  const campaignId = await scheduledCampaign(db, shop);
  const rows = () => db.send.findMany({ where: { campaignId, step: 0 }, orderBy: { email: "asc" } });
  const start = new Date();

  await breakIt();
  const first = await run(shop, await adapter(), start);
  expect(first.sent).toBe(0);
  expect(first.retryAfterMs).toBe(30_000); // the first pause of the backoff
  const afterFirst = await rows();
  expect(afterFirst.every((row) => row.status === "scheduled")).toBe(true);
  const tried = afterFirst.filter((row) => row.lastErrorAt);
  expect(tried.length).toBeGreaterThan(0);
  expect(Math.min(...tried.map((row) => delay(new Date(), row.scheduledAt)))).toBeGreaterThan(25_000);
  const status = await statusOf(shop, campaignId, start);
  expect(status).toMatchObject({ tone: "warning", title: expect.stringContaining("waiting for your email provider") });

  // Still down at the next try: the pause doubles for the rows tried twice.
  const second = await run(shop, await adapter(), new Date(start.getTime() + 40_000));
  expect(second.sent).toBe(0);
  const twice = (await rows()).filter((row) => row.attempts === 2);
  expect(twice.length).toBeGreaterThan(0);
  expect(Math.min(...twice.map((row) => delay(new Date(), row.scheduledAt)))).toBeGreaterThan(55_000);

  await fixIt();
  const third = await run(shop, await adapter(), new Date(start.getTime() + 5 * 60_000));
  expect(third.sent).toBe(RECIPIENTS);
  expect((await rows()).map((row) => row.status)).toEqual(Array(RECIPIENTS).fill("sent"));
  expect(await statusOf(shop, campaignId, new Date())).toBeNull();
  return { campaignId, reason: status?.detail ?? "" };
}

function deliveredFor(campaignId: string) {
  const messages = sink.messages.filter((message) => message.headers.get("x-campaign-pilot-key")?.toString().startsWith(`${campaignId}.0.`));
  const recipients = new Set(messages.map((message) => (Array.isArray(message.to) ? message.to[0] : message.to)?.value[0]?.address));
  return { messages: messages.length, recipients: recipients.size };
}

describe("SMTP relay down", () => {
  it("refusing connections: retries with backoff, says so, then sends each message once", async () => {
    const shop = "esp-refuse.myshopify.com";
    const { campaignId, reason } = await outageThenRecovery(shop, () => proxy.setMode("refuse"), () => proxy.setMode("pass"), async () => (await adapterForShop(db, shop, { timeoutMs: 2_000 }))!);
    expect(reason).toMatch(/network: SMTP connection failed/);
    expect(deliveredFor(campaignId)).toEqual({ messages: RECIPIENTS, recipients: RECIPIENTS });
  });

  it("hanging (no answer): each try times out, the rest wait, then each message goes once", async () => {
    const shop = "esp-stall.myshopify.com";
    const { campaignId, reason } = await outageThenRecovery(shop, () => proxy.setMode("stall"), () => proxy.setMode("pass"), async () => (await adapterForShop(db, shop, { timeoutMs: 1_500 }))!);
    expect(reason).toMatch(/timed out|connection failed/);
    expect(deliveredFor(campaignId)).toEqual({ messages: RECIPIENTS, recipients: RECIPIENTS });
  });

  it("answering 421 (service not available): provider down, retried, then each message once", async () => {
    const shop = "esp-421.myshopify.com";
    const { campaignId, reason } = await outageThenRecovery(
      shop,
      () => void (sink.failWith = { code: 421, message: "4.3.2 Service not available, closing channel" }),
      () => void (sink.failWith = null),
      async () => (await adapterForShop(db, shop, { timeoutMs: 2_000 }))!,
    );
    expect(reason).toMatch(/provider_down \(status 421\)/);
    expect(deliveredFor(campaignId)).toEqual({ messages: RECIPIENTS, recipients: RECIPIENTS });
  });
});

describe("a long outage", () => {
  it("keeps trying past the usual attempts while the send window is open, at most an hour apart; fails only once it closes", async () => {
    const shop = "esp-long.myshopify.com";
    await seedSendingShop(db, shop, RECIPIENTS);
    await connectSmtp(db, shop, proxy.port);
    const campaignId = await scheduledCampaign(db, shop);
    const rows = await db.send.findMany({ where: { campaignId, step: 0 }, orderBy: { email: "asc" } });
    const open = rows.slice(0, 3).map((row) => row.id);
    // Ten tries behind them already (about 4 hours of outage); half the rows' windows close in a minute.
    await db.send.updateMany({ where: { campaignId, step: 0 }, data: { attempts: 10 } });
    await db.send.updateMany({ where: { id: { in: open } }, data: { windowEndsAt: new Date(Date.now() + 10 * 3_600_000) } });
    await db.send.updateMany({ where: { campaignId, step: 0, id: { notIn: open } }, data: { windowEndsAt: new Date(Date.now() + 60_000) } });
    await proxy.setMode("refuse");
    await run(shop, (await adapterForShop(db, shop, { timeoutMs: 2_000 }))!, new Date());
    const after = await db.send.findMany({ where: { campaignId, step: 0 } });
    for (const row of after) {
      if (open.includes(row.id)) {
        expect(row.status).toBe("scheduled");
        expect(row.scheduledAt.getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);
        expect(row.scheduledAt.getTime() - Date.now()).toBeGreaterThan(3_500_000);
      } else {
        expect(row).toMatchObject({ status: "failed", lastError: expect.stringContaining("still failing when the send window closed") });
      }
    }
  });
});

describe("HTTP provider down (Postmark API answering 503)", () => {
  let fake: FakeProvider;
  let down = true;
  const accepted = new Map<string, number>();
  const reply = (request: { json: unknown }): FakeReply => {
    if (down) return { status: 503, body: "Service Unavailable", contentType: "text/plain" };
    const body = request.json as { To: string; Metadata?: Record<string, string> };
    const key = body.Metadata?.[IDEMPOTENCY_METADATA_KEY] ?? "";
    accepted.set(key, (accepted.get(key) ?? 0) + 1);
    return { status: 200, body: { ErrorCode: 0, Message: "OK", MessageID: `pm-${accepted.size}`, SubmittedAt: "2026-01-01T12:00:00.0000000-05:00", To: body.To } };
  };

  beforeAll(async () => {
    fake = await startFakeProvider(loadContract("postmark"), reply);
  });
  afterAll(() => fake?.close());

  it("retries with backoff, says so, and each message is accepted once after recovery", async () => {
    const shop = "esp-503.myshopify.com";
    const adapter = async () => createPostmarkAdapter({ provider: "postmark", serverToken: "pm-server-token-0001", messageStream: "broadcast" }, { baseUrl: fake.url });
    const { reason } = await outageThenRecovery(shop, () => void (down = true), () => void (down = false), adapter);
    expect(reason).toMatch(/provider_down \(status 503\)/);
    expect(fake.violations).toEqual([]);
    expect(accepted.size).toBe(RECIPIENTS);
    expect([...accepted.values()].every((count) => count === 1)).toBe(true);
  });
});
