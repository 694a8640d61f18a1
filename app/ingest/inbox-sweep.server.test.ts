import { describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { requeueStuckDeliveries } from "./inbox.server";
import { PROCESS_WEBHOOK, processWebhookKey } from "./process-webhook.server";

// The sweep of deliveries still `received`: it enqueues those without a job, and starts again a job
// that ended without settling its delivery (it gave up while the database could not record that);
// a job still waiting or running is left alone.

describe("requeueStuckDeliveries", () => {
  it("restarts a finished job whose delivery was never settled, and only that", async () => {
    const db = await readyDb();
    const queue = new DbJobQueue(db);
    const shop = "sweep.myshopify.com";
    const old = new Date(Date.now() - 60_000);
    const event = (webhookId: string) =>
      db.webhookEvent.create({ data: { shop, topic: "orders/create", webhookId, apiVersion: "2026-04", payload: "{}", receivedAt: old } });
    const [failedJob, waitingJob, noJob] = await Promise.all([event("gave-up"), event("waiting"), event("no-job")]);
    await db.job.create({ data: { name: PROCESS_WEBHOOK, shop, key: processWebhookKey(failedJob.id), status: "failed", attempts: 10, maxAttempts: 10, lastError: "Can't reach database server", finishedAt: old } });
    await db.job.create({ data: { name: PROCESS_WEBHOOK, shop, key: processWebhookKey(waitingJob.id), status: "queued", attempts: 2, runAt: new Date(Date.now() + 60_000) } });

    expect(await requeueStuckDeliveries(db, queue)).toBe(2); // the failed one and the one without a job
    const jobs = new Map((await db.job.findMany({ where: { shop } })).map((job) => [job.key, job]));
    expect(jobs.get(processWebhookKey(failedJob.id))).toMatchObject({ status: "queued", attempts: 0, finishedAt: null });
    expect(jobs.get(processWebhookKey(waitingJob.id))).toMatchObject({ status: "queued", attempts: 2 });
    expect(jobs.get(processWebhookKey(noJob.id))).toMatchObject({ status: "queued", attempts: 0 });
    expect(jobs.size).toBe(3);
  });
});
