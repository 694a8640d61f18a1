// bench:insights — quality, speed and memory of the insights engine on the UCI Online Retail store
// (../shared, not in git). `npm run bench:insights` prints a Markdown report; add `-- --write` to put it
// in the "## Insights (bench:insights)" section of BENCHMARKS.md.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { promisify } from "node:util";
import {
  CooccurrenceRecommender,
  PopularityRecommender,
  RecentPopularityRecommender,
  SessionKnnRecommender,
} from "../app/insights/evaluation/baselines";
import { seededRandom } from "../app/insights/evaluation/seeded-random";
import { EngineRecommender, TimeSplitEvaluation, type EvaluationResult } from "../app/insights/evaluation/time-split";
import { permissiveCatalog } from "../app/insights/engine";
import { fitBgNbd, type BgNbdParams, type RecencyFrequency } from "../app/insights/lifecycle/bg-nbd";
import { simulateBgNbdCustomer } from "../app/insights/lifecycle/bg-nbd-simulate";
import type { InsightEvent } from "../app/insights/schemas";
import { loadSpecialFunctions } from "../app/insights/special-functions";
import { parseInstant } from "../app/insights/time";
import { UCI_PATH, isProductCode, readUciRows, rowToEvent, uciAvailable } from "./insights-uci";

const K = 10;
const TEST_SPLIT = "2011-11-09";
/** Tuning split: train before 2011-10-09, validate on the month before the test split, test data unseen. */
const VALIDATION_SPLIT = "2011-10-09";
/** The recent-popularity baseline's half-life: its best on the tuning split (3, 7, 14, 30, 60 days tried). */
const RECENT_POPULARITY_HALF_LIFE_DAYS = 3;

if (!uciAvailable()) {
  console.error(
    `bench:insights needs the UCI Online Retail file at ${UCI_PATH} (../shared/data, not in git; or set UCI_ONLINE_RETAIL_PATH). Nothing was measured.`,
  );
  process.exit(1);
}

const log = (message: string) => process.stderr.write(`${message}\n`);

async function loadEvents(): Promise<InsightEvent[]> {
  const events: InsightEvent[] = [];
  for await (const row of readUciRows()) if (isProductCode(row.stockCode)) events.push(rowToEvent(row));
  return events;
}

function evaluate(events: InsightEvent[], split: string, until?: string): { results: EvaluationResult[]; seconds: number } {
  const splitAt = parseInstant(split)!;
  const end = until ? parseInstant(until)! : Infinity;
  const models = [
    new EngineRecommender(permissiveCatalog()),
    new PopularityRecommender(),
    new RecentPopularityRecommender(RECENT_POPULARITY_HALF_LIFE_DAYS),
    new CooccurrenceRecommender(),
    new SessionKnnRecommender(),
  ];
  const start = performance.now();
  const evaluation = new TimeSplitEvaluation(models, splitAt);
  for (const event of events) if (event.at < end) evaluation.observe(event);
  const results = evaluation.run(K);
  return { results, seconds: (performance.now() - start) / 1000 };
}

function qualityTable(results: EvaluationResult[]): string {
  const bestBaseline = Math.max(...results.filter((r) => r.method !== "engine").map((r) => r.metrics.hitRate));
  const rows = results.map(({ method, metrics }) => {
    const lift = method === "engine" ? ` (${((metrics.hitRate / bestBaseline - 1) * 100).toFixed(1)}% vs best baseline)` : "";
    return `| ${method} | ${metrics.hitRate.toFixed(4)}${lift} | ${metrics.mrr.toFixed(4)} | ${metrics.ndcg.toFixed(4)} |`;
  });
  return [`| method | HR@${K} | MRR@${K} | NDCG@${K} |`, "| --- | --- | --- | --- |", ...rows].join("\n");
}

type RecomputeRun = Record<string, number> & { incremental: Record<string, number> };

async function recomputeInChild(): Promise<RecomputeRun> {
  const tsx = new URL("../node_modules/.bin/tsx", import.meta.url).pathname;
  const script = new URL("./insights-recompute.ts", import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(tsx, [script], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split("\n").pop() ?? "{}");
}

/** Synthetic customers in whole days, as the app summarises them (grouping cannot help much: T varies). */
function simulateCustomers(n: number, params: BgNbdParams): RecencyFrequency[] {
  const random = seededRandom(100_000);
  return Array.from({ length: n }, () => {
    const customer = simulateBgNbdCustomer(random, params, 30 + Math.floor(random() * 700));
    return { ...customer, tx: Math.floor(customer.tx) };
  });
}

async function main(): Promise<void> {
  const write = process.argv.includes("--write");
  log("loading UCI events…");
  const events = await loadEvents();
  log("validation split (tuning)…");
  const validation = evaluate(events, VALIDATION_SPLIT, TEST_SPLIT);
  log("test split…");
  const test = evaluate(events, TEST_SPLIT);
  // Wall-clock times suffer when other work shares the machine: three fresh processes, the median run
  // (by recompute time) is reported, with CPU time and the load average next to it.
  const runs: RecomputeRun[] = [];
  const loads: number[] = [];
  for (let run = 1; run <= 3; run += 1) {
    log(`full recompute and incremental updates, child process ${run}/3…`);
    loads.push(loadavg()[0]);
    runs.push(await recomputeInChild());
  }
  const byRecompute = [...runs].sort((a, b) => a.recomputeMs - b.recomputeMs);
  const speed = byRecompute[1];
  log("BG/NBD on 100k synthetic customers…");
  await loadSpecialFunctions();
  const truth: BgNbdParams = { r: 0.5, alpha: 40, a: 0.8, b: 2.5 };
  const customers = simulateCustomers(100_000, truth);
  const fitStart = performance.now();
  const fit = fitBgNbd(customers);
  const fitSeconds = (performance.now() - fitStart) / 1000;
  const fitted = fit.kind === "fitted" ? fit.params : null;

  const nodeVersion = process.version;
  const inc = speed.incremental;
  const fmt = (value: number, digits = 1) => value.toFixed(digits);
  const report = `## Insights (bench:insights)

Measured ${new Date().toISOString().slice(0, 10)} on ${availableParallelism()} CPUs (\`nproc\`), Node ${nodeVersion}; \`npm run bench:insights -- --write\`.
1-minute load average when each speed run started: ${loads.map((l) => l.toFixed(1)).join(", ")}.
Data: UCI Online Retail (${events.length.toLocaleString("en")} product lines; POST, DOT, M, bank charges… dropped; guests as
one pseudo-customer per invoice). Engine = production defaults (\`engine.ts\`), no catalog attributes (UCI has none).

### Recommendation quality (HR/MRR/NDCG@${K})

Truth: for each customer who bought before the split, the products they bought after it for the first time.
Query: their last order as context, their past purchases excluded (same for every method). Baselines:
popularity (distinct buyers), recent popularity (purchase lines decayed with a ${RECENT_POPULARITY_HALF_LIFE_DAYS}-day half-life, the best
of 3/7/14/30/60 days on the tuning split: the test month is the run-up to Christmas), item co-occurrence
(exact basket counts, cosine, seeded by the context and the whole history), session-kNN (Jannach & Ludewig
2017, k=100, sample 500, the last order as session).

Test: train before ${TEST_SPLIT}, predict after (${test.results[0].metrics.queries} customers, ${fmt(test.seconds)} s for all five methods):

${qualityTable(test.results)}

Tuning split (defaults were chosen on this, never on the test period): train before ${VALIDATION_SPLIT}, predict
${VALIDATION_SPLIT}…${TEST_SPLIT} (${validation.results[0].metrics.queries} customers). Tuned there, in this order: pairs from the
4 most recent purchases with weight 0.4^distance (was 40 recent purchases, equal weight); popularity
half-life 21 → 7 → 5 days; 100 neighbours kept per product (was 200: same quality, less time); trend boost
0 → 2 and co-occurrence half-life 180 → 90 days (HR@10 here 0.470 → 0.500), added after the recent-popularity
baseline showed how much recency matters. Measured during development with the untuned defaults: HR@10
0.3375 on this split and 0.3648 on the test split (run once, before any tuning); with the previous defaults
the test split gave 0.5209 (one run, by the benchmark, before the trend boost).

${qualityTable(validation.results)}

### Speed and memory

| what | measured | target |
| --- | --- | --- |
| full recompute: affinity + co-occurrence for ${Number(speed.events).toLocaleString("en")} lines (${Number(speed.customers).toLocaleString("en")} customers incl. guest invoices, ${speed.products} products) | ${fmt(speed.ingestMs / 1000, 2)} s | |
| full recompute: lifecycle (${speed.lifecycleCustomers} customers: summaries, BG/NBD + Gamma-Gamma fits, scores) | ${fmt(speed.lifecycleMs / 1000, 2)} s | |
| full recompute, total (median of 3 runs; min ${fmt(byRecompute[0].recomputeMs / 1000, 2)} s, max ${fmt(byRecompute[2].recomputeMs / 1000, 2)} s) | ${fmt(speed.recomputeMs / 1000, 2)} s wall, ${fmt(speed.recomputeCpuMs / 1000, 2)} s CPU | < 10 s |
| peak RSS up to the end of the recompute (parsing the gzipped CSV and holding all events included) | ${fmt(speed.peakRssRecomputeMb, 0)} MB (${fmt(speed.rssAfterParseMb, 0)} MB after parsing) | < 500 MB |
| peak RSS of the whole benchmark process (a second store is then built for the incremental run) | ${fmt(speed.peakRssMb, 0)} MB | |
| CSV parse + zod validation (not part of the recompute) | ${fmt(speed.parseMs / 1000, 2)} s | |
| incremental update (\`ingestEvent\`, ${inc.events.toLocaleString("en")} events after 2011-11-09 onto the store before) | mean ${fmt(inc.meanMs, 4)} ms, p50 ${fmt(inc.p50Ms, 4)} ms, p99 ${fmt(inc.p99Ms, 4)} ms, max ${fmt(inc.maxMs, 1)} ms | < 1 ms |
| BG/NBD fit, 100,000 synthetic customers (seeded; true r ${truth.r}, α ${truth.alpha}, a ${truth.a}, b ${truth.b}) | ${fmt(fitSeconds, 2)} s → ${fitted ? `r ${fitted.r.toFixed(3)}, α ${fitted.alpha.toFixed(2)}, a ${fitted.a.toFixed(3)}, b ${fitted.b.toFixed(3)}` : `not fitted (${fit.kind === "not_fitted" ? fit.reason : ""})`} | < 5 s |
`;
  process.stdout.write(`${report}\n`);
  if (write) updateBenchmarks(report);
}

/** Replaces (or appends) this section only: the other sections of BENCHMARKS.md belong to other benches. */
function updateBenchmarks(section: string): void {
  const path = new URL("../BENCHMARKS.md", import.meta.url).pathname;
  const current = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n";
  const heading = "## Insights (bench:insights)";
  const start = current.indexOf(heading);
  let next: string;
  if (start < 0) next = `${current.trimEnd()}\n\n${section}`;
  else {
    const after = current.indexOf("\n## ", start + heading.length);
    next = `${current.slice(0, start)}${section}${after < 0 ? "" : `\n${current.slice(after + 1)}`}`;
  }
  writeFileSync(path, next.endsWith("\n") ? next : `${next}\n`);
  log(`updated ${path}`);
}

await main();
