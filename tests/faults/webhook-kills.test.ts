import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { seededRandom } from "~/copy/prng";
import { db } from "~/db.server";
import { type AppServer, startAppServer } from "../support/app-server";
import { artifactsDir, databaseKind } from "../support/databases";
import { CLEAN, checkDeliveries, deliver, deliverUntilAcknowledged, orderDeliveries, waitUntilProcessed, type Answer, type OrderDelivery } from "../support/faults/webhook-stream";

// The web process is SIGKILLed at a random moment while signed webhooks stream in, and again while
// their jobs run, FAULT_RUNS times with different seeds. Every delivery that got a 200 must already
// be in the inbox; those that got no answer are sent again (as Shopify does), and so are some that
// were acknowledged (Shopify's at-least-once); in the end each is in the inbox once and applied once.
// On the test database (SQLite, or PostgreSQL with TEST_DATABASE=postgres). `npm run test:faults`.

const RUNS = Number(process.env.FAULT_RUNS ?? 8);
const PER_RUN = 150;
const IN_FLIGHT = 16;

interface RunResult {
  seed: number;
  acknowledged: number;
  unanswered: number;
  acknowledgedButMissing: number;
  redelivered: number;
  problems: number;
}

const results: RunResult[] = [];

afterAll(() => {
  const totals = results.reduce(
    (sum, run) => ({
      runs: sum.runs + 1,
      kills: sum.kills + 2,
      deliveries: sum.deliveries + PER_RUN,
      acknowledgedBeforeKill: sum.acknowledgedBeforeKill + run.acknowledged,
      unansweredAtKill: sum.unansweredAtKill + run.unanswered,
      acknowledgedButMissing: sum.acknowledgedButMissing + run.acknowledgedButMissing,
      redelivered: sum.redelivered + run.redelivered,
      problems: sum.problems + run.problems,
    }),
    { runs: 0, kills: 0, deliveries: 0, acknowledgedBeforeKill: 0, unansweredAtKill: 0, acknowledgedButMissing: 0, redelivered: 0, problems: 0 },
  );
  mkdirSync(artifactsDir, { recursive: true });
  writeFileSync(join(artifactsDir, `faults-webhook-kills-${databaseKind}.json`), JSON.stringify({ database: databaseKind, totals, runs: results }, null, 2));
  console.log(`webhook kills (${databaseKind}): ${JSON.stringify(totals)}`);
});

/**
 * Streams the deliveries IN_FLIGHT at a time until `stopped()`; unsent ones count as unanswered.
 * `onAnswer` sees the running count of 200s.
 */
async function stream(url: string, deliveries: OrderDelivery[], stopped: () => boolean, onAnswer: (acknowledged: number) => void): Promise<Answer[]> {
  const answers: Answer[] = Array(deliveries.length).fill("no answer");
  let next = 0;
  let acknowledged = 0;
  const worker = async () => {
    while (!stopped() && next < deliveries.length) {
      const i = next++;
      answers[i] = await deliver(url, deliveries[i], 3_000);
      if (answers[i] === 200) onAnswer(++acknowledged);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return answers;
}

const env = () => ({ DATABASE_URL: process.env.DATABASE_URL!, JOB_LEASE_MS: "3000", LOG_LEVEL: "warn" });

describe("the web process killed at random points during ingest", () => {
  it(`acknowledges only what it recorded and applies everything once (${RUNS} runs, 2 kills each)`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const seed = 2_000 + run;
      const random = seededRandom(seed);
      const deliveries = orderDeliveries(PER_RUN, `kill-${seed}.myshopify.com`, `kill-${seed}`);

      // 1. Killed while deliveries arrive.
      let server: AppServer = await startAppServer(env());
      // After a random number of acknowledgements, plus a random few milliseconds.
      let killed = false;
      let killing: Promise<void> | undefined;
      const killAfter = 1 + Math.floor(random() * PER_RUN * 0.8);
      const jitterMs = Math.floor(random() * 20);
      const kill = () => (killing ??= new Promise<void>((resolve) => setTimeout(() => void server.kill().then(() => ((killed = true), resolve())), jitterMs)));
      const answers = await stream(server.url, deliveries, () => killed, (count) => count >= killAfter && void kill());
      await kill();
      const acknowledged = deliveries.filter((_, i) => answers[i] === 200);
      const inInbox = new Set((await db().webhookEvent.findMany({ where: { shop: deliveries[0].shop }, select: { webhookId: true } })).map((row) => row.webhookId));
      const missing = acknowledged.filter((delivery) => !inInbox.has(delivery.webhookId));

      // 2. Started again; Shopify redelivers what got no 200, and a few that did.
      server = await startAppServer(env());
      const again = [...deliveries.filter((_, i) => answers[i] !== 200), ...acknowledged.filter(() => random() < 0.2)];
      await deliverUntilAcknowledged(server.url, again);

      // 3. Killed again while the jobs work, at a random moment.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 300)));
      await server.kill();
      server = await startAppServer(env());
      try {
        await waitUntilProcessed(db(), deliveries, 60_000);
        const check = await checkDeliveries(db(), deliveries);
        const problems = Object.values(check).reduce((sum, list) => sum + list.length, 0) + missing.length;
        results.push({ seed, acknowledged: acknowledged.length, unanswered: PER_RUN - acknowledged.length, acknowledgedButMissing: missing.length, redelivered: again.length, problems });
        expect(missing.map((delivery) => delivery.webhookId)).toEqual([]);
        expect(check).toEqual(CLEAN);
      } finally {
        await server.stop();
      }
    }
  }, 30 * 60_000);
});
