import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { readyDb } from "~/db.server";
import { DbJobQueue, DbJobRunner } from "./db-queue.server";
import { defineJob, done, fail, retry, type JobDefinition } from "./types";

function runnerWith(definitions: JobDefinition<never>[], options: Partial<ConstructorParameters<typeof DbJobRunner>[3]> = {}) {
  return readyDb().then((db) => {
    const queue = new DbJobQueue(db);
    const map = new Map(definitions.map((definition) => [definition.name, definition as unknown as JobDefinition<unknown>]));
    const runner = new DbJobRunner(db, queue, map, { concurrency: 4, perShopConcurrency: 1, ...options });
    return { db, queue, runner };
  });
}

const payload = z.object({ n: z.number() });

describe("database job queue", () => {
  beforeEach(async () => {
    await (await readyDb()).job.deleteMany();
  });

  it("retries a retryable outcome and then succeeds", async () => {
    let calls = 0;
    const flaky = defineJob({
      name: "flaky",
      payload,
      async perform() {
        calls++;
        return calls < 3 ? retry("provider down", 0) : done;
      },
    });
    const { db, queue, runner } = await runnerWith([flaky as never]);
    await queue.enqueue({ name: "flaky", shop: "a.myshopify.com", payload: { n: 1 } });
    await runner.drain();
    expect(calls).toBe(3);
    const job = await db.job.findFirstOrThrow({ where: { name: "flaky" } });
    expect(job).toMatchObject({ status: "succeeded", attempts: 3 });
  });

  it("gives up once on a terminal failure and on exhausted attempts", async () => {
    const givenUp: string[] = [];
    const terminal = defineJob({
      name: "terminal",
      payload,
      perform: async () => fail("bad data"),
      onGiveUp: async (value, _context, reason) => void givenUp.push(`${value.n}:${reason}`),
    });
    const throwing = defineJob({
      name: "throwing",
      payload,
      async perform() {
        throw new Error("boom");
      },
      onGiveUp: async (value, _context, reason) => void givenUp.push(`${value.n}:${reason}`),
    });
    const { db, queue, runner } = await runnerWith([terminal as never, throwing as never]);
    await queue.enqueue({ name: "terminal", shop: null, payload: { n: 1 } });
    await queue.enqueue({ name: "throwing", shop: null, payload: { n: 2 }, maxAttempts: 2 });
    // Retries of thrown errors back off; make the second attempt due at once.
    await runner.drain();
    await db.job.updateMany({ where: { name: "throwing", status: "queued" }, data: { runAt: new Date(0) } });
    await runner.drain();
    expect(givenUp.sort()).toEqual(["1:bad data", "2:boom"]);
    expect(await db.job.findMany({ select: { name: true, status: true, attempts: true }, orderBy: { name: "asc" } })).toEqual([
      { name: "terminal", status: "failed", attempts: 1 },
      { name: "throwing", status: "failed", attempts: 2 },
    ]);
  });

  it("rejects a payload that fails its schema without running the job", async () => {
    let ran = false;
    const strict = defineJob({ name: "strict", payload, perform: async () => ((ran = true), done) });
    const { db, queue, runner } = await runnerWith([strict as never]);
    await queue.enqueue({ name: "strict", shop: null, payload: { n: "not a number" } });
    await queue.enqueue({ name: "unknown-job", shop: null, payload: {} });
    await runner.drain();
    expect(ran).toBe(false);
    expect((await db.job.findMany({ where: { status: "failed" } })).map((job) => job.lastError)).toEqual(
      expect.arrayContaining([expect.stringMatching(/invalid payload/), "no job named unknown-job"]),
    );
  });

  it("treats the same key as one job", async () => {
    const noop = defineJob({ name: "noop", payload, perform: async () => done });
    const { db, queue } = await runnerWith([noop as never]);
    expect(await queue.enqueue({ name: "noop", shop: null, payload: { n: 1 }, key: "k" })).toEqual({ enqueued: true });
    expect(await queue.enqueue({ name: "noop", shop: null, payload: { n: 1 }, key: "k" })).toEqual({ enqueued: false });
    expect(await db.job.count()).toBe(1);
  });

  it("never runs two jobs of one shop at once, but runs shops side by side", async () => {
    let active = new Map<string, number>();
    let maxPerShop = 0;
    let maxOverall = 0;
    const slow = defineJob({
      name: "slow",
      payload: z.object({ shop: z.string() }),
      async perform({ shop }) {
        active.set(shop, (active.get(shop) ?? 0) + 1);
        maxPerShop = Math.max(maxPerShop, active.get(shop)!);
        maxOverall = Math.max(maxOverall, [...active.values()].reduce((a, b) => a + b, 0));
        await new Promise((resolve) => setTimeout(resolve, 20));
        active.set(shop, active.get(shop)! - 1);
        return done;
      },
    });
    const { queue, runner } = await runnerWith([slow as never]);
    for (const shop of ["a", "a", "a", "b", "b", "c"]) await queue.enqueue({ name: "slow", shop, payload: { shop } });
    await runner.drain();
    active = new Map();
    expect(maxPerShop).toBe(1);
    expect(maxOverall).toBeGreaterThan(1);
  });

  it("resumes jobs left running by a dead process", async () => {
    const noop = defineJob({ name: "noop", payload, perform: async () => done });
    const { db, queue, runner } = await runnerWith([noop as never], { reclaimAllOnStart: true, pollIntervalMs: 20 });
    await queue.enqueue({ name: "noop", shop: null, payload: { n: 1 } });
    await db.job.updateMany({ data: { status: "running", lockedBy: "dead-process", lockedAt: new Date() } });
    await runner.start();
    await expect.poll(async () => (await db.job.findFirstOrThrow()).status).toBe("succeeded");
    await runner.stop();
  });

  it("starts another shop's job while one shop's burst fills the head of the queue", async () => {
    // Found by bench:flash-sale: the runner looked at the oldest few due jobs only, all of the flash-sale
    // shop, which was at its limit, so the other shops waited for the whole burst.
    const started: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = defineJob({
      name: "slow",
      payload,
      async perform(value, { shop }) {
        started.push(`${shop}:${value.n}`);
        if (shop === "burst.myshopify.com") await gate;
        return done;
      },
    });
    const { queue, runner } = await runnerWith([slow as never], { concurrency: 2 });
    for (let n = 0; n < 40; n++) await queue.enqueue({ name: "slow", shop: "burst.myshopify.com", payload: { n } });
    await queue.enqueue({ name: "slow", shop: "quiet.myshopify.com", payload: { n: 99 } });
    await runner.start();
    await expect.poll(() => started).toContain("quiet.myshopify.com:99");
    expect(started.filter((entry) => entry.startsWith("burst"))).toEqual(["burst.myshopify.com:0"]);
    release();
    await runner.stop();
  });

  it("runs a job of another lane beside the shop's main lane (a campaign's sends beside its webhooks)", async () => {
    const started: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const webhook = defineJob({ name: "webhook", payload, perform: async (value) => (started.push(`webhook:${value.n}`), await gate, done) });
    const send = defineJob({ name: "send", payload, lane: "delivery", perform: async (value) => (started.push(`send:${value.n}`), done) });
    const { queue, runner } = await runnerWith([webhook as never, send as never], { concurrency: 3 });
    for (let n = 0; n < 5; n++) await queue.enqueue({ name: "webhook", shop: "busy.myshopify.com", payload: { n } });
    await queue.enqueue({ name: "send", shop: "busy.myshopify.com", payload: { n: 1 } });
    await runner.start();
    await expect.poll(() => started).toContain("send:1");
    expect(started.filter((entry) => entry.startsWith("webhook"))).toEqual(["webhook:0"]); // the main lane stays one at a time
    release();
    await runner.stop();
  });
});
