import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { saveConnection } from "~/delivery/connections.server";
import { type FakeProvider, startFakeProvider } from "~/integrations/esp/testing/fake-provider";
import { loadContract } from "~/integrations/esp/testing/openapi-contract";
import { DbJobQueue, DbJobRunner } from "~/jobs/db-queue.server";
import type { JobDefinition } from "~/jobs/types";
import { ingest } from "../../tests/support/ingest";
import { customerPayload } from "../../tests/support/shopify-payloads";
import { PROVIDER_DELETION, providerDeletionJobWith } from "./provider-deletion.server";

// customers/redact reaches the shop's Klaviyo account: a deletion request per address, queued as a
// job that retries through Klaviyo's outages and forgets the address when it is done. Requests are
// checked against Klaviyo's OpenAPI document by the fake.

const shop = "klaviyo-redact.myshopify.com";
let fake: FakeProvider;
let answers: number[] = [];

beforeAll(async () => {
  process.env.ENCRYPTION_KEYS = `k1:${randomBytes(32).toString("base64")}`;
  fake = await startFakeProvider(loadContract("klaviyo"), (request) => {
    if (request.operation === "get_accounts") {
      return { status: 200, contentType: "application/vnd.api+json", body: { data: [] } }; // an empty list is a valid reply
    }
    const status = answers.shift() ?? 202;
    return status === 202 ? { status } : { status, contentType: "application/vnd.api+json", body: { errors: [{ id: "e1", code: "server_error", title: "Server error", detail: "unavailable" }] } };
  });
  const db = await readyDb();
  const saved = await saveConnection(db, shop, { provider: "klaviyo", privateApiKey: "pk_test_0123456789abcdef" }, { baseUrl: fake.url });
  expect(saved).toMatchObject({ ok: true });
});
afterAll(async () => {
  await fake.close();
  delete process.env.ENCRYPTION_KEYS;
});

describe("provider deletion on customers/redact", () => {
  it("queues a deletion request for the address, retries a 503, and keeps no address once done", async () => {
    const db = await readyDb();
    await ingest(shop, "customers/create", customerPayload(501, "subscribed", new Date()));
    await ingest(shop, "customers/redact", { shop_domain: shop, customer: { id: 501, email: "shopper501@example.com", phone: null }, orders_to_redact: [] });
    const queued = await db.job.findFirstOrThrow({ where: { shop, name: PROVIDER_DELETION } });
    // Exception, on purpose: a request waiting to be sent holds the address it is about.
    expect(JSON.parse(queued.payload)).toEqual({ email: "shopper501@example.com" });

    const queue = new DbJobQueue(db);
    const definition = providerDeletionJobWith(() => ({ baseUrl: fake.url })) as unknown as JobDefinition<unknown>;
    const runner = new DbJobRunner(db, queue, new Map([[PROVIDER_DELETION, definition]]), { concurrency: 1, perShopConcurrency: 1 });
    answers = [503];
    await runner.drain();
    expect(await db.job.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: "queued", attempts: 1, lastError: "provider deletion: provider_down: HTTP 503" });
    await db.job.update({ where: { id: queued.id }, data: { runAt: new Date() } });
    await runner.drain();

    const finished = await db.job.findUniqueOrThrow({ where: { id: queued.id } });
    expect(finished).toMatchObject({ status: "succeeded", attempts: 2, payload: "{}" });
    const deletions = fake.requests.filter((request) => request.operation === "request_profile_deletion");
    expect(deletions).toHaveLength(2);
    expect(deletions[1].json).toMatchObject({ data: { attributes: { profile: { data: { attributes: { email: "shopper501@example.com" } } } } } });
    expect(fake.violations).toEqual([]);
  });

  it("asks nothing of a provider that keeps no profiles (SMTP)", async () => {
    const db = await readyDb();
    const other = "smtp-redact.myshopify.com";
    await db.espConnection.create({ data: { shop: other, provider: "smtp", credentials: "unused" } });
    await ingest(other, "customers/redact", { shop_domain: other, customer: { id: 7, email: "someone@example.com", phone: null }, orders_to_redact: [] });
    expect(await db.job.count({ where: { shop: other, name: PROVIDER_DELETION } })).toBe(0);
  });
});
