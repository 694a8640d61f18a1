import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { z } from "zod";
import type { BackfillRun } from "@prisma/client";
import type { Db } from "~/db.server";
import { adminForShop, describeAdminError, isRetryable, type AdminGraphql } from "~/integrations/shopify/admin.server";
import { bulkOperationRunQuery } from "~/integrations/shopify/operations/bulk-operation-run-query";
import { bulkOperationStatus } from "~/integrations/shopify/operations/bulk-operation-status";
import { tryParseJson } from "~/lib/json";
import { log } from "~/lib/logger.server";
import { scheduleRecompute } from "~/insights/store/jobs.server";
import { defineJob, done, fail, retry, type JobContext, type JobOutcome, type JobQueue } from "~/jobs/types";
import { ensureShop, isInstalled } from "~/shops/shops.server";
import type { ApplyOutcome, MirrorContext } from "../mirror/context";
import { upsertCustomer } from "../mirror/customers.server";
import { upsertOrder, upsertOrderLine } from "../mirror/orders.server";
import { addCollectionMembership, clearCollectionMemberships, upsertProduct, upsertVariant } from "../mirror/products.server";
import { parseBulkLine, type BulkLine } from "../payloads/bulk";
import { BACKFILL_QUERIES, BACKFILL_RESOURCES, type BackfillResource } from "./queries";

// History on install: one bulk operation per resource, run one after another (a shop allows one bulk
// query at a time on older API versions). Completion arrives by the bulk_operations/finish webhook,
// with polling as the fallback. The JSONL result is streamed line by line into the same mirror
// functions the webhooks use, and progress is recorded per shop for the admin.

const NEXT = "backfill.next";
const POLL = "backfill.poll";
const DOWNLOAD = "backfill.download";
const POLL_INTERVAL_MS = 30_000;
const PROGRESS_EVERY = 500;

export async function startBackfill(db: Db, queue: JobQueue, shop: string): Promise<void> {
  const active = await db.backfillRun.count({ where: { shop, status: { in: ["pending", "running", "downloading"] } } });
  if (active) return;
  await db.backfillRun.createMany({
    data: BACKFILL_RESOURCES.map((resource) => ({ shop, resource, status: "pending" })),
  });
  await queue.enqueue({ name: NEXT, shop, payload: { shop } });
}

/** A shop needs a backfill when it has never completed one (first install, or reinstall after redact). */
export async function needsBackfill(db: Db, shop: string): Promise<boolean> {
  const completed = await db.backfillRun.count({ where: { shop, status: "completed" } });
  return completed < BACKFILL_RESOURCES.length;
}

export async function onBulkOperationFinished(
  db: Db,
  queue: JobQueue,
  shop: string,
  finished: { bulkOperationId: string; status: string; errorCode: string | null },
): Promise<ApplyOutcome> {
  const run = await db.backfillRun.findFirst({ where: { shop, bulkOperationId: finished.bulkOperationId } });
  if (!run || run.status !== "running") return "ignored"; // not ours, or already handled by polling
  await queue.enqueue({ name: DOWNLOAD, shop, payload: { runId: run.id }, key: `backfill-download:${run.id}` });
  return "applied";
}

function adminFailure(error: Parameters<typeof describeAdminError>[0]): JobOutcome {
  const reason = describeAdminError(error);
  if (error.kind === "throttled") return retry(reason, error.retryAfterMs);
  return isRetryable(error) ? retry(reason) : fail(reason);
}

async function installedAdmin(db: Db, shop: string): Promise<{ ok: true; admin: AdminGraphql } | { ok: false; outcome: JobOutcome }> {
  const shopRow = await ensureShop(db, shop);
  if (!isInstalled(shopRow)) return { ok: false, outcome: fail("shop is not installed") };
  const admin = await adminForShop(db, shop);
  if (!admin.ok) return { ok: false, outcome: fail(describeAdminError(admin.error)) };
  return { ok: true, admin: admin.data };
}

export const backfillNextJob = defineJob({
  name: NEXT,
  payload: z.object({ shop: z.string() }),
  async perform({ shop }, { db, queue }) {
    const runs = await db.backfillRun.findMany({ where: { shop, status: { in: ["pending", "running", "downloading"] } } });
    if (runs.some((run) => run.status !== "pending")) return done; // one at a time
    const next = BACKFILL_RESOURCES.map((resource) => runs.find((run) => run.resource === resource)).find(Boolean);
    if (!next) return done;
    const connected = await installedAdmin(db, shop);
    if (!connected.ok) {
      await db.backfillRun.updateMany({ where: { shop, status: "pending" }, data: { status: "failed", error: "shop is not installed" } });
      return connected.outcome;
    }
    const started = await connected.admin.request(bulkOperationRunQuery, {
      query: BACKFILL_QUERIES[next.resource as BackfillResource],
    });
    if (!started.ok) return adminFailure(started.error);
    const { bulkOperation, userErrors } = started.data.bulkOperationRunQuery;
    if (!bulkOperation) {
      const message = userErrors.map((error) => error.message).join("; ");
      // Another bulk query (ours or another app's) is running: try again later.
      return /in progress|already/i.test(message) ? retry(message, 60_000) : fail(message);
    }
    await db.backfillRun.update({
      where: { id: next.id },
      data: { status: "running", bulkOperationId: bulkOperation.id, startedAt: new Date() },
    });
    await queue.enqueue({
      name: POLL,
      shop,
      payload: { runId: next.id },
      runAt: new Date(Date.now() + POLL_INTERVAL_MS),
    });
    return done;
  },
});

export const backfillPollJob = defineJob({
  name: POLL,
  payload: z.object({ runId: z.string() }),
  async perform({ runId }, { db, queue, shop }) {
    const run = await db.backfillRun.findUnique({ where: { id: runId } });
    if (!run || run.shop !== shop || run.status !== "running" || !run.bulkOperationId) return done;
    const connected = await installedAdmin(db, run.shop);
    if (!connected.ok) return connected.outcome;
    const status = await connected.admin.request(bulkOperationStatus, { id: run.bulkOperationId });
    if (!status.ok) return adminFailure(status.error);
    const operation = status.data.node;
    if (operation?.status === "COMPLETED") {
      await queue.enqueue({ name: DOWNLOAD, shop: run.shop, payload: { runId }, key: `backfill-download:${runId}` });
    } else if (operation?.status === "RUNNING" || operation?.status === "CREATED") {
      await queue.enqueue({ name: POLL, shop: run.shop, payload: { runId }, runAt: new Date(Date.now() + POLL_INTERVAL_MS) });
    } else {
      await finishRun(db, queue, run, "failed", `bulk operation ${operation?.status ?? "missing"} ${operation?.errorCode ?? ""}`.trim());
    }
    return done;
  },
});

export const backfillDownloadJob = defineJob({
  name: DOWNLOAD,
  payload: z.object({ runId: z.string() }),
  maxAttempts: 5,
  async perform({ runId }, context) {
    const { db, queue, shop } = context;
    const run = await db.backfillRun.findUnique({ where: { id: runId } });
    if (!run || run.shop !== shop || !["running", "downloading"].includes(run.status) || !run.bulkOperationId) return done;
    const connected = await installedAdmin(db, run.shop);
    if (!connected.ok) return connected.outcome;
    const status = await connected.admin.request(bulkOperationStatus, { id: run.bulkOperationId });
    if (!status.ok) return adminFailure(status.error);
    const operation = status.data.node;
    if (!operation || operation.status !== "COMPLETED") return retry("bulk operation not completed yet", POLL_INTERVAL_MS);
    await db.backfillRun.update({
      where: { id: run.id },
      data: { status: "downloading", objectCount: operation.objectCount },
    });
    if (operation.url) {
      const result = await importJsonl(context, run, operation.url);
      if (!result.ok) return retry(result.reason);
    }
    await finishRun(db, queue, run, "completed");
    return done;
  },
  async onGiveUp({ runId }, { db, queue }, reason) {
    const run = await db.backfillRun.findUnique({ where: { id: runId } });
    if (run) await finishRun(db, queue, run, "failed", reason);
  },
});

async function finishRun(db: Db, queue: JobQueue, run: BackfillRun, status: "completed" | "failed", error?: string) {
  // A completed run keeps the note about rejected lines, if any.
  await db.backfillRun.update({ where: { id: run.id }, data: { status, finishedAt: new Date(), ...(error && { error }) } });
  log.info("backfill finished", { shop: run.shop, resource: run.resource, status });
  await queue.enqueue({ name: NEXT, shop: run.shop, payload: { shop: run.shop } });
  const unfinished = await db.backfillRun.count({ where: { shop: run.shop, status: { in: ["pending", "running", "downloading"] } } });
  // History is in: compute every customer's insights and the shop's models from it.
  if (unfinished === 0) await scheduleRecompute(queue, run.shop, "backfill");
}

/**
 * Streams the result file. Lines already applied by an interrupted attempt (processedCount) are
 * skipped; the rest are applied in order, so a retry resumes rather than restarts.
 */
async function importJsonl(
  context: JobContext,
  run: BackfillRun,
  url: string,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const { db } = context;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10 * 60_000) });
  } catch (error) {
    return { ok: false, reason: `download failed: ${String(error)}` };
  }
  if (!response.ok || !response.body) return { ok: false, reason: `download answered ${response.status}` };

  const shopRow = await ensureShop(db, run.shop);
  const ctx: MirrorContext = { db, shop: run.shop, currency: shopRow.currencyCode, observedAt: new Date() };
  const applier = new BulkLineApplier(ctx);
  const lines = createInterface({ input: Readable.fromWeb(response.body as WebReadableStream), crlfDelay: Infinity });
  let lineNumber = 0;
  let applied = run.processedCount;
  let rejected = 0;
  for await (const text of lines) {
    lineNumber++;
    if (lineNumber <= run.processedCount || !text.trim()) continue;
    const json = tryParseJson(text);
    const parsed = json.ok ? parseBulkLine(json.value) : ({ ok: false, reason: `not JSON: ${json.error}` } as const);
    if (parsed.ok) await applier.apply(parsed.line);
    else {
      rejected++;
      log.warn("backfill: line rejected", { shop: run.shop, resource: run.resource, line: lineNumber, reason: parsed.reason });
    }
    applied = lineNumber;
    if (applied % PROGRESS_EVERY === 0) {
      await db.backfillRun.update({ where: { id: run.id }, data: { processedCount: applied } });
      await context.heartbeat();
    }
  }
  await db.backfillRun.update({
    where: { id: run.id },
    data: { processedCount: applied, ...(rejected && { error: `${rejected} lines rejected` }) },
  });
  return { ok: true };
}

class BulkLineApplier {
  private orderCurrency: { orderId: string; currency: string; stale: boolean } | undefined;

  constructor(private readonly ctx: MirrorContext) {}

  async apply(line: BulkLine): Promise<void> {
    switch (line.type) {
      case "product":
        await upsertProduct(this.ctx, line.product);
        // The product's collections follow as their own lines: start its membership afresh.
        await clearCollectionMemberships(this.ctx, line.product.id);
        return;
      case "variant":
        await upsertVariant(this.ctx, line.variant);
        return;
      case "collection":
        await addCollectionMembership(this.ctx, line.productId, line.collection);
        return;
      case "customer":
        await upsertCustomer(this.ctx, line.customer);
        return;
      case "order": {
        const outcome = await upsertOrder(this.ctx, line.order);
        this.orderCurrency = { orderId: line.order.id, currency: line.order.currency, stale: outcome !== "applied" };
        return;
      }
      case "lineItem":
        // A webhook already stored a newer version of the order, lines included: the export's lines are older.
        if (this.orderCurrency?.orderId === line.orderId && this.orderCurrency.stale) return;
        await upsertOrderLine(this.ctx, line.orderId, await this.currencyOf(line.orderId), line.line);
        return;
    }
  }

  private async currencyOf(orderId: string): Promise<string> {
    if (this.orderCurrency?.orderId === orderId) return this.orderCurrency.currency;
    const order = await this.ctx.db.order.findUnique({
      where: { shop_id: { shop: this.ctx.shop, id: orderId } },
      select: { currency: true },
    });
    return order?.currency ?? this.ctx.currency;
  }
}

export interface BackfillProgress {
  resource: string;
  status: string;
  processed: number;
  total: number;
  error: string | null;
}

export async function backfillProgress(db: Db, shop: string): Promise<BackfillProgress[]> {
  const runs = await db.backfillRun.findMany({ where: { shop }, orderBy: { startedAt: "desc" }, take: 12 });
  return BACKFILL_RESOURCES.flatMap((resource) => {
    const run = runs.find((candidate) => candidate.resource === resource);
    return run
      ? [{ resource, status: run.status, processed: run.processedCount, total: run.objectCount, error: run.error }]
      : [];
  });
}
