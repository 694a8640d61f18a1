// npm run bench:scale — the demo's seed, recompute and campaign build (demo/launch.ts) measured in three
// configurations, one after the other, each in its own process (bench/scale-run.ts):
//   1. SQLite, jobs in the web process (the default mode);
//   2. PostgreSQL + Redis (scale mode: the web process only enqueues), 1 `npm run worker` process;
//   3. the same with 2 worker processes.
// Prints Markdown tables for BENCHMARKS.md, with the machine, the load average and the date.
//   --customers N (default 100): the demo's slice; --only sqlite|1|2 runs one configuration.
import { spawn } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";

const root = join(import.meta.dirname, "..");
const options = z
  .object({ customers: z.coerce.number().int().min(20).max(800).default(100), only: z.enum(["sqlite", "1", "2"]).optional() })
  .parse(parseArgs({ options: { customers: { type: "string" }, only: { type: "string" } } }).values);

const Result = z.object({
  mode: z.string(),
  workers: z.number(),
  customers: z.number(),
  marks: z.object({ prepared: z.number(), installed: z.number(), appStarted: z.number(), backfilled: z.number(), webhooksProcessed: z.number(), suggested: z.number() }),
  stages: z.array(z.object({ label: z.string(), done: z.number(), total: z.number(), startMs: z.number(), endMs: z.number() })),
  jobs: z.array(z.object({ name: z.string(), count: z.number(), unfinished: z.number(), failed: z.number(), runMs: z.number().nullable(), latencyMs: z.number() })),
  overlap: z.object({ intervals: z.number(), overlapping: z.number(), longestOverlapMs: z.number(), mostSlotsHeld: z.number() }).nullable(),
  loadBefore: z.number(),
  loadAtReady: z.number(),
});
type Result = z.infer<typeof Result>;

const configurations = [
  { key: "sqlite", label: "SQLite, in-process jobs", args: ["--mode", "sqlite"] },
  { key: "1", label: "PostgreSQL + Redis, 1 worker", args: ["--mode", "postgres", "--workers", "1"] },
  { key: "2", label: "PostgreSQL + Redis, 2 workers", args: ["--mode", "postgres", "--workers", "2"] },
].filter((configuration) => !options.only || configuration.key === options.only);

function runConfiguration(args: string[]): Promise<Result> {
  const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs");
  const child = spawn(process.execPath, [tsx, "--no-experimental-require-module", "bench/scale-run.ts", ...args, "--customers", String(options.customers)], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`bench/scale-run.ts ${args.join(" ")} exited ${code}`));
      resolve(Result.parse(JSON.parse(output.trim().split("\n").at(-1)!)));
    }),
  );
}

const s = (ms: number) => (ms / 1000).toFixed(1);
const stage = (result: Result, prefix: string) => result.stages.filter((entry) => entry.label.startsWith(prefix));

/** Lines per second over the whole backfill: first stage seen → last resource completed. */
function backfillRate(result: Result): string {
  const stages = stage(result, "Backfill");
  const lines = stages.reduce((sum, entry) => sum + entry.total, 0);
  const ms = Math.max(...stages.map((entry) => entry.endMs)) - Math.min(...stages.map((entry) => entry.startMs));
  return `${lines.toLocaleString("en-GB")} in ${s(ms)} s = ${Math.round((lines * 1000) / ms)}/s`;
}

/** Webhooks per second: first sent → all processed by the app. */
function webhookRate(result: Result): string {
  const [sent] = stage(result, "Webhooks sent");
  const [processed] = stage(result, "Webhooks processed");
  const ms = processed.endMs - sent.startMs;
  return `${processed.total} in ${s(ms)} s = ${Math.round((processed.total * 1000) / ms)}/s`;
}

function report(results: Array<{ label: string; result: Result }>): void {
  console.log(`\nMeasured ${new Date().toISOString()} on ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; --customers ${options.customers}.`);
  console.log("\n| configuration | setup (migrate, install, start) | backfill (lines) | webhooks (processed) | ready (3 kinds) after webhooks | total to ready | load 1-min before → at ready |");
  console.log("|---|---|---|---|---|---|---|");
  for (const { label, result } of results) {
    const m = result.marks;
    console.log(
      `| ${label} | ${s(m.appStarted)} s | ${backfillRate(result)} | ${webhookRate(result)} | ${s(m.suggested - m.webhooksProcessed)} s | ${s(m.suggested)} s | ${result.loadBefore.toFixed(2)} → ${result.loadAtReady.toFixed(2)} |`,
    );
  }
  for (const { label, result } of results) {
    console.log(`\n${label}: phases (s from launch: start–end)`);
    for (const entry of result.stages) console.log(`- ${entry.label}: ${s(entry.startMs)}–${s(entry.endMs)} (${entry.done}/${entry.total})`);
    console.log(`\n| job | count | unfinished | failed | run time total (s) | enqueue→finish total (s) |`);
    console.log("|---|---|---|---|---|---|");
    for (const job of result.jobs) {
      console.log(`| ${job.name} | ${job.count} | ${job.unfinished} | ${job.failed} | ${job.runMs === null ? "not recorded" : s(job.runMs)} | ${s(job.latencyMs)} |`);
    }
    if (result.overlap) {
      const o = result.overlap;
      console.log(`\nPer-shop exclusivity: ${o.intervals} job intervals, ${o.overlapping} overlapping (longest ${o.longestOverlapMs} ms); at most ${o.mostSlotsHeld} shop slot(s) held in Redis (sampled every 100 ms).`);
    }
  }
}

const results: Array<{ label: string; result: Result }> = [];
for (const configuration of configurations) {
  console.error(`\nbench:scale: ${configuration.label} (load ${loadavg().map((value) => value.toFixed(2)).join(" ")})`);
  results.push({ label: configuration.label, result: await runConfiguration(configuration.args) });
}
report(results);
