// Offline recommendations and evaluation with the production engine (engine.ts), see USAGE.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createShopInsights, ingestEvent, insightsConfigSchema, permissiveCatalog, recommendFor, type InsightsConfigInput } from "../engine";
import { CooccurrenceRecommender, PopularityRecommender, RecentPopularityRecommender, SessionKnnRecommender } from "../evaluation/baselines";
import { EngineRecommender, TimeSplitEvaluation } from "../evaluation/time-split";
import { catalogItemSchema, insightEventSchema, recommendationQuerySchema, type CatalogItem, type CatalogLookup } from "../schemas";
import { MS_PER_DAY, formatDay, parseInstant } from "../time";
import { InputError, UsageError, formatIssues, parseNumberOption, readJsonLines, round, runCli, writeLine } from "./cli-support";

const USAGE = `Usage:
  npm run --silent recommend -- --events EVENTS.jsonl --queries QUERIES.jsonl [--k 10] [options]
  npm run --silent recommend -- --events EVENTS.jsonl --evaluate [--split-at DATE] [--k 10] [options]

Input, one JSON object per line:
  events   {"type":"view"|"add_to_cart"|"checkout"|"order"|"refund","customerId","productId","at",
            "sessionId"?,"orderId"?,"quantity"?,"price"?}
           at: ISO date or date-time (UTC when no offset); an order with a negative quantity is a
           cancellation. Events are applied in file order (export them in time order).
  queries  {"queryId","customerId"?,"recentProductIds":[...],"exclude":[...]}

Output:
  queries mode   one line per query, in input order: {"queryId","productIds":[...up to k]}
                 (--explain adds "reasons" per product)
  --evaluate     JSON lines: first {"splitAt","trainingEvents","testEvents","queries"}, then one line
                 per method {"method","k","hitRate","mrr","ndcg"} for the engine, popularity, recent
                 popularity (3-day half-life), item co-occurrence and session-kNN, all trained on the same
                 events before the split. Truth: the
                 products each customer (with a purchase before the split) bought after it for the first
                 time; query: their last order (and later browse session) as context, past purchases excluded.

Options:
  --k N              products per query (default 10)
  --catalog FILE     catalog items, JSON lines {"productId","productType"?,"vendor"?,"collections"?,
                     "tags"?,"available"?,"published"?}; products missing from it are treated as deleted.
                     Without it every product seen in the events is available.
  --now DATE         instant of the recommendations (default: the latest event)
  --split-at DATE    evaluation split (default: the last 30 days, or the last 20% of the time span if shorter)
  --config FILE      JSON engine configuration (affinity, index, scoring); defaults otherwise
  --explain          include the reasons of each recommendation
Exit codes: 0 ok, 1 bad input (file:line: message on stderr), 2 bad command line.
`;

async function main(): Promise<void> {
  const { values } = parseCommandLine();
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!values.events) throw new UsageError("--events is required");
  const k = parseNumberOption("k", values.k, 10, { min: 1, integer: true });
  const config = values.config ? readConfig(values.config) : {};
  const catalog = values.catalog ? await readCatalog(values.catalog) : permissiveCatalog();
  if (values.evaluate) return evaluate(values.events, k, catalog, config, values["split-at"]);
  if (!values.queries) throw new UsageError("--queries is required (or --evaluate)");

  const shop = createShopInsights(config);
  let latest = -Infinity;
  for await (const { value: event } of readJsonLines(values.events, insightEventSchema)) {
    ingestEvent(shop, event, catalog);
    latest = Math.max(latest, event.at);
  }
  const now = values.now ? instantOption("now", values.now) : Number.isFinite(latest) ? latest : Date.now();
  for await (const { value: query } of readJsonLines(values.queries, recommendationQuerySchema)) {
    const recommended = recommendFor(shop, query, { k, now, catalog });
    const line: Record<string, unknown> = { queryId: query.queryId, productIds: recommended.map((r) => r.productId) };
    if (values.explain) line.reasons = Object.fromEntries(recommended.map((r) => [r.productId, r.reasons]));
    await writeLine(line);
  }
}

async function evaluate(eventsPath: string, k: number, catalog: CatalogLookup, config: InsightsConfigInput, splitText?: string): Promise<void> {
  let splitAt: number;
  if (splitText) splitAt = instantOption("split-at", splitText);
  else {
    let first = Infinity;
    let last = -Infinity;
    for await (const { value } of readJsonLines(eventsPath, insightEventSchema)) {
      first = Math.min(first, value.at);
      last = Math.max(last, value.at);
    }
    if (!Number.isFinite(first)) throw new InputError(`${eventsPath}: no events`);
    splitAt = last - Math.min(30 * MS_PER_DAY, (last - first) * 0.2);
  }
  const models = [
    new EngineRecommender(catalog, config),
    new PopularityRecommender(),
    new RecentPopularityRecommender(3),
    new CooccurrenceRecommender(),
    new SessionKnnRecommender(),
  ];
  const evaluation = new TimeSplitEvaluation(models, splitAt);
  for await (const { value } of readJsonLines(eventsPath, insightEventSchema)) evaluation.observe(value);
  const results = evaluation.run(k);
  const counts = evaluation.counts();
  await writeLine({
    splitAt: new Date(splitAt).toISOString(),
    trainingEvents: counts.trainingEvents,
    testEvents: counts.testEvents,
    queries: results[0]?.metrics.queries ?? 0,
  });
  for (const { method, metrics } of results) {
    await writeLine({ method, k, hitRate: round(metrics.hitRate, 4), mrr: round(metrics.mrr, 4), ndcg: round(metrics.ndcg, 4) });
  }
  if (counts.trainingEvents === 0 || results[0]?.metrics.queries === 0) {
    process.stderr.write(`note: nothing to evaluate with the split at ${formatDay(splitAt)}\n`);
  }
}

async function readCatalog(path: string): Promise<CatalogLookup> {
  const items = new Map<string, CatalogItem>();
  for await (const { value } of readJsonLines(path, catalogItemSchema)) items.set(value.productId, value);
  return (productId) => items.get(productId);
}

function readConfig(path: string): InsightsConfigInput {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new InputError(`${path}: ${(error as Error).message}`);
  }
  const parsed = insightsConfigSchema.safeParse(json);
  if (!parsed.success) throw new InputError(`${path}: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

function instantOption(name: string, text: string): number {
  const at = parseInstant(text);
  if (at === null) throw new UsageError(`--${name}: not a date: ${JSON.stringify(text)}`);
  return at;
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        events: { type: "string" },
        queries: { type: "string" },
        catalog: { type: "string" },
        config: { type: "string" },
        k: { type: "string" },
        now: { type: "string" },
        evaluate: { type: "boolean" },
        "split-at": { type: "string" },
        explain: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

runCli(USAGE, main);
