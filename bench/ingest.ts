// npm run bench:ingest — sustained signed-webhook load against the running app over loopback, next
// to a bare node:http HMAC + SQLite insert handler under the same load, as the reference.
//
//   BENCH_SECONDS (default 15), BENCH_CONNECTIONS (default "10,50"), BENCH_PROCESS (default true:
//   the in-process job runner works the queue during the load, as in production)
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { buildTemplate, createTestDatabase } from "../tests/support/databases";
import { startAppServer } from "../tests/support/app-server";
import { contractFixtureText } from "../tests/support/fixtures";
import { TEST_API_SECRET } from "../tests/support/env";
import { webhookHeaders } from "../tests/support/webhooks";

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const connectionCounts = (process.env.BENCH_CONNECTIONS ?? "10,50").split(",").map(Number);
const body = contractFixtureText("products/update");

interface LoadResult {
  connections: number;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, path: string, connections: number): Promise<LoadResult> {
  const result = await autocannon({
    url: `${url}${path}`,
    connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => {
          request.headers = webhookHeaders("products/update", body, {
            shop: `bench-${Math.floor(Math.random() * 50)}.myshopify.com`,
            webhookId: randomUUID(),
          });
          request.body = body;
          return request;
        },
      },
    ],
  });
  return {
    connections,
    requests: result.requests.total,
    perSecond: Math.round(result.requests.total / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

function startReference(dbFile: string): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(join(import.meta.dirname, "reference-webhook-server.mjs"), [], {
    env: { ...process.env, REFERENCE_DB: dbFile, REFERENCE_SECRET: TEST_API_SECRET },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  return new Promise((resolve) => child.on("message", (message: { url: string }) => resolve({ url: message.url, child })));
}

async function waitUntilProcessed(dbUrl: string): Promise<number> {
  const started = Date.now();
  const sqlite = new Database(dbUrl.replace(/^file:/, ""), { readonly: true });
  for (;;) {
    const { waiting } = sqlite.prepare(`SELECT count(*) AS waiting FROM "WebhookEvent" WHERE status = 'received'`).get() as { waiting: number };
    if (waiting === 0 || Date.now() - started > 600_000) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  sqlite.close();
  return Date.now() - started;
}

async function main() {
  await buildTemplate("sqlite");
  const processing = process.env.BENCH_PROCESS !== "false";
  const appResults: Array<LoadResult & { drainedAfterMs: number | null }> = [];
  for (const connections of connectionCounts) {
    const app = await createTestDatabase("bench_ingest", "sqlite");
    const server = await startAppServer({ DATABASE_URL: app.url, NODE_ENV: "production", ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}`, RUN_JOBS_IN_PROCESS: String(processing) });
    // Warm up (JIT, first-request work) before measuring.
    await autocannon({
      url: `${server.url}/webhooks/products/update`,
      connections: 4,
      amount: 200,
      requests: [{ method: "POST", setupRequest: (request) => ({ ...request, headers: webhookHeaders("products/update", body), body }) }],
    });
    const result = await load(server.url, "/webhooks/products/update", connections);
    const drainedAfterMs = processing ? await waitUntilProcessed(app.url) : null;
    appResults.push({ ...result, drainedAfterMs });
    await server.stop();
    await app.drop();
  }

  const referenceResults: LoadResult[] = [];
  for (const connections of connectionCounts) {
    const referenceDb = await createTestDatabase("bench_reference", "sqlite");
    const reference = await startReference(referenceDb.url.replace(/^file:/, ""));
    referenceResults.push(await load(reference.url, "/webhooks", connections));
    reference.child.kill();
    await referenceDb.drop();
  }

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(JSON.stringify({ date: new Date().toISOString(), machine, seconds, processing, app: appResults, reference: referenceResults }, null, 2));
  const row = (name: string, result: LoadResult, drained = "") =>
    `| ${name} | ${result.connections} | ${result.perSecond} | ${result.p50} | ${result.p99} | ${result.non2xx} | ${result.errors} | ${drained} |`;
  console.log(`
| handler | connections | webhooks/s | p50 ms | p99 ms | non-2xx | errors | backlog processed after the load |
|---|---|---|---|---|---|---|---|
${appResults.map((result) => row(`app${processing ? " (in-process jobs on)" : ""}`, result, result.drainedAfterMs === null ? "" : `${(result.drainedAfterMs / 1000).toFixed(1)} s for ${result.requests}`)).join("\n")}
${referenceResults.map((result) => row("reference: node:http + HMAC + SQLite insert", result)).join("\n")}
`);
}

await main();
