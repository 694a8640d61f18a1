import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { seededRandom } from "~/copy/prng";
import { createDb, prepareDb, type Db } from "~/db.server";
import { scheduleDispatch } from "~/delivery/jobs.server";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { type AppServer, startAppServer } from "../support/app-server";
import { artifactsDir, sqliteTemplate } from "../support/databases";
import { connectSmtp, FAULTS_ENCRYPTION_KEYS, scheduledCampaign, seedSendingShop } from "../support/faults/campaign-shop";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink";

// The web process (with its in-process job runner) is SIGKILLed at random moments while a campaign
// goes out to a real SMTP server, then started again, FAULT_RUNS times with different seeds. After
// the last restart nobody may be skipped; duplicates are counted by Message-ID and by recipient.
// ADR 011 allows a duplicate only for a message the relay accepted in the moment before the ledger
// recorded it (plain SMTP cannot tell us it already has it), so at most one per SMTP connection in
// flight when the process died (the pool has 5). Default mode: SQLite, one process. `npm run test:faults`.

const RUNS = Number(process.env.FAULT_RUNS ?? 8);
const SMTP_CONNECTIONS = 5;

interface RunResult {
  seed: number;
  recipients: number;
  kills: number;
  delivered: number;
  skipped: number;
  duplicatesByMessageId: number;
  duplicatesByRecipient: number;
}

const results: RunResult[] = [];
let sink: SmtpSink;

afterAll(async () => {
  await sink?.close();
  const totals = results.reduce(
    (sum, run) => ({ runs: sum.runs + 1, kills: sum.kills + run.kills, messages: sum.messages + run.recipients, skipped: sum.skipped + run.skipped, duplicates: sum.duplicates + run.duplicatesByRecipient }),
    { runs: 0, kills: 0, messages: 0, skipped: 0, duplicates: 0 },
  );
  mkdirSync(artifactsDir, { recursive: true });
  writeFileSync(join(artifactsDir, "faults-send-kills.json"), JSON.stringify({ totals, runs: results }, null, 2));
  console.log(`send kills: ${JSON.stringify(totals)}`);
});

async function untilExit(server: AppServer, killAt: Promise<void>): Promise<void> {
  await killAt;
  await server.kill();
}

describe("the sending process killed at random points", () => {
  it(`loses no recipient and doubles only inside the documented window (${RUNS} runs)`, async () => {
    sink = await startSmtpSink();
    for (let run = 0; run < RUNS; run++) {
      const seed = 1_000 + run;
      const random = seededRandom(seed);
      const file = join(artifactsDir, `faults-send-${process.pid}-${run}.sqlite`);
      copyFileSync(sqliteTemplate, file);
      const url = `file:${file}`;
      process.env.ENCRYPTION_KEYS = FAULTS_ENCRYPTION_KEYS;
      const { db } = createDb(url);
      await prepareDb(db, url);
      try {
        results.push(await oneRun(db, url, seed, random));
      } finally {
        await db.$disconnect();
      }
    }
    const skipped = results.reduce((sum, run) => sum + run.skipped, 0);
    expect(skipped).toBe(0);
    for (const run of results) {
      // Every repeat carried the same Message-ID as the first (a receiver that dedupes drops it) ...
      expect(run.duplicatesByMessageId).toBe(run.duplicatesByRecipient);
      // ... and only messages in flight when the process died were repeated.
      expect(run.duplicatesByRecipient).toBeLessThanOrEqual(run.kills * SMTP_CONNECTIONS);
    }
  }, 30 * 60_000);
});

async function oneRun(db: Db, url: string, seed: number, random: () => number): Promise<RunResult> {
  const shop = `send-kill-${seed}.myshopify.com`;
  const recipients = 80 + Math.floor(random() * 220); // sometimes more than one claimed batch (200)
  const emails = await seedSendingShop(db, shop, recipients);
  await connectSmtp(db, shop, sink.port);
  const campaignId = await scheduledCampaign(db, shop);
  await scheduleDispatch(new DbJobQueue(db), shop);
  const firstStep = (await db.send.findMany({ where: { campaignId, step: 0 }, select: { email: true } })).map((row) => row.email);
  expect(firstStep.sort()).toEqual([...emails].sort());

  const received = () => sink.messages.filter((message) => message.headers.get("x-campaign-pilot-key")?.toString().startsWith(`${campaignId}.0.`));
  const env = { DATABASE_URL: url, ENCRYPTION_KEYS: FAULTS_ENCRYPTION_KEYS, JOB_LEASE_MS: "3000", LOG_LEVEL: "warn" };
  const kills = 1 + Math.floor(random() * 2);
  for (let kill = 0; kill < kills; kill++) {
    const server = await startAppServer(env);
    // Die after a random number of this campaign's messages arrived, plus a random few milliseconds.
    const already = received().length;
    const target = already + 1 + Math.floor(random() * Math.max(1, (recipients - already) * 0.8));
    const extraMs = Math.floor(random() * 25);
    const killAt = new Promise<void>((resolve) => {
      const check = () => {
        if (received().length >= target) setTimeout(resolve, extraMs);
        else setTimeout(check, 1);
      };
      check();
      setTimeout(resolve, 20_000); // the campaign finished before the target: kill anyway
    });
    await untilExit(server, killAt);
  }
  const last = await startAppServer(env);
  try {
    const deadline = Date.now() + 60_000;
    while ((await db.send.count({ where: { campaignId, step: 0, status: { in: ["scheduled", "sending"] } } })) > 0) {
      if (Date.now() > deadline) throw new Error(`run ${seed}: sends still open after 60 s\n${last.output().slice(-2_000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await last.stop();
  }

  const messages = received();
  const byRecipient = Map.groupBy(messages, (message) => (Array.isArray(message.to) ? message.to[0] : message.to)?.value[0]?.address ?? "");
  const messageIds = new Set(messages.map((message) => message.messageId));
  const ledger = await db.send.groupBy({ by: ["status"], where: { campaignId, step: 0 }, _count: { _all: true } });
  expect(ledger.map((row) => [row.status, row._count._all])).toEqual([["sent", recipients]]);
  return {
    seed,
    recipients,
    kills,
    delivered: byRecipient.size,
    skipped: emails.filter((email) => !byRecipient.has(email)).length,
    duplicatesByMessageId: messages.length - messageIds.size,
    duplicatesByRecipient: messages.length - byRecipient.size,
  };
}
