// npm run bench:campaign — build a promotional campaign for 10,000 subscribed customers with the
// built-in copywriter (audience, plan, copy for every step, recipients with product blocks), then render
// step 1 for every recipient (compile once per subject variant and segment, Liquid per recipient, signed
// links). The seed gives the customers an earlier campaign and three style tags (bench/campaign-seed.ts;
// BENCH_HISTORY=0 and BENCH_SEGMENTS=0 for the plain setup).
// Targets: under 10 s and under 300 MB. BENCH_RECIPIENTS (default 10000).
import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { buildTemplate, createTestDatabase } from "../tests/support/databases";
import { testEnv } from "../tests/support/env";

const recipients = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const database = await (async () => {
  await buildTemplate("sqlite");
  return createTestDatabase("bench_campaign", "sqlite");
})();
Object.assign(process.env, testEnv({ DATABASE_URL: database.url }));

const { readyDb, disconnectDb } = await import("~/db.server");
const { BuiltinCopywriter } = await import("~/copy/builtin-copywriter");
const { buildCampaignFromOpportunity } = await import("~/campaigns/builder.server");
const { contentOf } = await import("~/campaigns/campaigns.server");
const { prepareStep } = await import("~/campaigns/personalise.server");
const { recordOpportunities } = await import("~/opportunities/store.server");
const { loadShopSettings } = await import("~/shops/settings.server");
const { linkSigningKey } = await import("~/delivery/links");

const shop = "bench.myshopify.com";
const db = await readyDb();
const loadedRss = process.memoryUsage().rss;
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

// Seeding runs in its own process: its memory is not part of what is measured here.
const seeded = spawnSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "campaign-seed.ts")], {
  env: { ...process.env, BENCH_RECIPIENTS: String(recipients) },
  stdio: "inherit",
});
if (seeded.status !== 0) throw new Error("seeding failed");
const settings = await loadShopSettings(db, shop);
const now = new Date();
const { created } = await recordOpportunities(
  db,
  shop,
  [
    {
      type: "new_arrival",
      key: "new_arrival:ceramics",
      title: "New in Ceramics",
      reason: "3 new arrivals in Ceramics",
      evidence: {},
      score: 1,
      expiresAt: new Date(now.getTime() + 14 * 86_400_000),
      productIds: ["1", "2", "3"],
      customerIds: [],
      checkoutTokens: [],
    },
  ],
  now,
);
peakRss = process.memoryUsage().rss;
const baselineRss = peakRss;

const buildStarted = performance.now();
const built = await buildCampaignFromOpportunity(db, created[0].id, { fallback: new BuiltinCopywriter() }, now);
const buildMs = performance.now() - buildStarted;
const afterBuildRss = process.memoryUsage().rss;
if (built.status !== "built") throw new Error(`campaign not built: ${built.status}`);

const renderStarted = performance.now();
const campaign = await db.campaign.findUniqueOrThrow({ where: { id: built.campaignId } });
const version = await db.campaignVersion.findUniqueOrThrow({ where: { id: campaign.currentVersionId! } });
const rows = await db.campaignRecipient.findMany({ where: { campaignId: campaign.id } });
const prepared = await prepareStep(db, campaign, contentOf(version), 0, rows, {
  appUrl: "https://app.example.com",
  linkKey: linkSigningKey("bench-secret"),
  settings,
  shopName: "Bench Ceramics",
  currency: "GBP",
});
if (!prepared.ok) throw new Error(`prepare failed: ${prepared.error.message}`);
const prepareMs = performance.now() - renderStarted;
const afterPrepareRss = process.memoryUsage().rss;
let bytes = 0;
let failures = 0;
const perRecipient: number[] = [];
rows.forEach((row, i) => {
  const t = performance.now();
  const result = prepared.step.render(row, i);
  perRecipient.push(performance.now() - t);
  if (result.ok) bytes += result.email.html.length + result.email.text.length;
  else failures++;
});
const renderMs = performance.now() - renderStarted;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
perRecipient.sort((a, b) => a - b);

const total = buildMs + renderMs;
// What the contact memory and the segments did (read after the measurements).
const builtPlan = JSON.parse(campaign.plan) as { excluded?: Record<string, number>; segmentation?: { segments: Array<{ interest: string; size: number }> } };
const evidence = rows.map((row) => JSON.parse(row.evidence) as { heldBack?: unknown[]; memory?: { factor: number } });
const personalised = `segments: ${builtPlan.segmentation?.segments.map((segment) => `${segment.interest} ${segment.size}`).join(", ") || "none"}; memory: ${evidence.filter((e) => e.heldBack?.length).length} recipients with products held back, ${evidence.filter((e) => e.memory).length} scored, ${Object.values(builtPlan.excluded ?? {}).reduce((a, b) => a + b, 0)} left out`;
console.log(`bench:campaign ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, SQLite`);
console.log(`
| what | measured | target |
|---|---|---|
| build (audience of ${built.audienceSize}, ${contentOf(version).steps.length} steps of copy, recipient rows; ${personalised}) | ${(buildMs / 1000).toFixed(2)} s | |
| render step 1 for every recipient (prepare ${prepareMs.toFixed(0)} ms incl. MJML compile of ${prepared.step.variants} variants per draft; per recipient p50 ${perRecipient[Math.floor(perRecipient.length / 2)].toFixed(3)} ms, p99 ${perRecipient[Math.floor(perRecipient.length * 0.99)].toFixed(3)} ms) | ${(renderMs / 1000).toFixed(2)} s | |
| total | ${(total / 1000).toFixed(2)} s | < 10 s |
| peak RSS of the building process (app and Prisma loaded: ${(loadedRss / 2 ** 20).toFixed(0)} MB; before the build: ${(baselineRss / 2 ** 20).toFixed(0)} MB; after it: ${(afterBuildRss / 2 ** 20).toFixed(0)} MB; after MJML compile: ${(afterPrepareRss / 2 ** 20).toFixed(0)} MB) | ${(peakRss / 2 ** 20).toFixed(0)} MB | < 300 MB |
| emails rendered / failed | ${rows.length - failures} / ${failures} (${(bytes / 2 ** 20).toFixed(1)} MB of HTML + text) | |
`);
await disconnectDb();
await database.drop();
