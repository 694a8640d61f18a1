import type { Db } from "~/db.server";
import type { ProgressDisplay, Stage } from "./progress";
import type { WebhookSender } from "./services/webhook-sender";
import { sendAll } from "./services/webhook-sender";
import type { DemoStore } from "./store/build-store";
import { checkoutCreatedWebhook, orderCreatedWebhook, productCreatedWebhook } from "./store/payloads";
import { backfillRuns, CAMPAIGN_KINDS, inboxCounts, suggestions, type Suggestion } from "./watch";

// The launcher's side of seeding: follow the app's backfill, deliver the recent days as webhooks, and
// wait until the engine has suggested a campaign of every kind. Progress is read from the database.

const POLL_MS = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(check: () => Promise<T | null>, timeoutMs: number, what: string, tick: () => void = () => {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`demo: gave up waiting for ${what}`);
    tick();
    await sleep(POLL_MS);
  }
}

export async function waitForBackfill(db: Db, shop: string, lines: Record<"products" | "customers" | "orders", number>, progress: ProgressDisplay): Promise<void> {
  const stages = new Map<string, Stage>();
  await until(
    async () => {
      const runs = await backfillRuns(db, shop);
      for (const run of runs) {
        if (run.status === "pending") continue;
        let stage = stages.get(run.resource);
        if (!stage) {
          stage = progress.stage(`Backfill (bulk JSONL): ${run.resource}`, lines[run.resource as keyof typeof lines] ?? 0);
          stages.set(run.resource, stage);
        }
        stage.done = run.status === "completed" ? stage.total : run.processedCount;
        if (run.status === "completed" && !stage.finishedAt) progress.finish(stage);
        if (run.status === "failed") throw new Error(`demo: backfill of ${run.resource} failed: ${run.error}`);
      }
      return runs.length > 0 && runs.every((run) => run.status === "completed") ? true : null;
    },
    10 * 60_000,
    "the backfill",
    () => progress.render(),
  );
}

/** The last days of the store as Shopify would deliver them: new products, orders, abandoned checkouts. */
export async function seedLiveWebhooks(db: Db, shop: string, store: DemoStore, webhooks: WebhookSender, progress: ProgressDisplay): Promise<void> {
  const customers = new Map(store.customers.map((customer) => [customer.id, customer]));
  const deliveries: Array<[topic: string, body: unknown]> = [
    ...store.newArrivals.map((product): [string, unknown] => ["products/create", productCreatedWebhook(product)]),
    ...store.liveOrders.map((order): [string, unknown] => ["orders/create", orderCreatedWebhook(order, customers.get(order.customerId)!)]),
    ...store.checkouts.map((checkout): [string, unknown] => ["checkouts/create", checkoutCreatedWebhook(checkout, customers.get(checkout.customerId)!, shop)]),
  ];
  const topics = [...new Set(deliveries.map(([topic]) => topic))];
  const before = await inboxCounts(db, shop, topics);
  const sent = progress.stage("Webhooks sent (signed)", deliveries.length);
  const processed = progress.stage("Webhooks processed by the app", deliveries.length);
  let lastRender = 0;
  await sendAll(
    deliveries,
    ([topic, body]) => webhooks.send(topic, body),
    () => {
      sent.done++;
      if (Date.now() - lastRender > 200) {
        lastRender = Date.now();
        progress.render();
      }
    },
  );
  progress.finish(sent);
  await until(
    async () => {
      const counts = await inboxCounts(db, shop, topics);
      processed.done = counts.processed - before.processed;
      if (counts.failed > before.failed) progress.log(`warning: ${counts.failed - before.failed} webhooks failed in the app (see the Activity page)`);
      return processed.done >= deliveries.length ? true : null;
    },
    5 * 60_000,
    "the webhooks to be processed",
    () => progress.render(),
  );
  progress.finish(processed);
}

/** Until the engine has suggested a campaign of each kind (promotional, win-back, cart recovery). */
export async function waitForSuggestions(db: Db, shop: string, progress: ProgressDisplay, timeoutMs = 5 * 60_000): Promise<Suggestion[]> {
  const stage = progress.stage("Suggested campaigns (of 3 kinds)", CAMPAIGN_KINDS.length);
  const found = await until(
    async () => {
      const all = await suggestions(db, shop);
      const firstOfKind = CAMPAIGN_KINDS.flatMap((kind) => all.find((suggestion) => suggestion.kind === kind) ?? []);
      stage.done = firstOfKind.length;
      return firstOfKind.length === CAMPAIGN_KINDS.length ? firstOfKind : null;
    },
    timeoutMs,
    "suggestions of every kind",
    () => progress.render(),
  );
  progress.finish(stage);
  return found;
}
