import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import type { Copywriter } from "~/copy/types";
import { readyDb, type Db } from "~/db.server";
import type { HealthLine } from "~/health/system-health";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { type AppServer, startAppServer } from "../support/app-server";
import { connectSmtp, FAULTS_ENCRYPTION_KEYS, scheduledCampaign, seedSendingShop } from "../support/faults/campaign-shop";
import { sessionToken, storeOfflineSession } from "../support/session-token";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink";

// The home page's System health and the campaign page's notices, through the real server with a
// real session token: what one shop sees is its own jobs, provider failures and copy fallbacks,
// never another shop's. (A database that cannot be written: tests/e2e/system-health.test.ts.)

const troubled = "troubled.myshopify.com";
const calm = "calm.myshopify.com";
let server: AppServer;
let sink: SmtpSink;
let db: Db;
let campaignId: string;

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
async function loaderData<T>(path: string, route: string, shop: string): Promise<T> {
  const url = new URL(path, server.url);
  url.searchParams.set("_data", route);
  const response = await fetch(url, { headers: { "user-agent": BROWSER, authorization: `Bearer ${sessionToken(shop)}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}
const health = (shop: string) => loaderData<{ health: { tone: string; lines: HealthLine[] } }>("/app", "routes/app._index", shop).then((data) => data.health);
const line = (lines: HealthLine[], key: string) => lines.find((l) => l.key === key)!;

/** An LLM that is down: every write times out. */
const downLlm: Copywriter = { id: "openai", write: async () => ({ ok: false, error: { kind: "timeout" } }) };

beforeAll(async () => {
  process.env.ENCRYPTION_KEYS = FAULTS_ENCRYPTION_KEYS;
  db = await readyDb();
  sink = await startSmtpSink();
  for (const shop of [troubled, calm]) {
    await seedSendingShop(db, shop, 3);
    await connectSmtp(db, shop, sink.port);
    await storeOfflineSession(shop);
  }
  const settings = await loadShopSettings(db, troubled);
  settings.copy.provider = "openai";
  await saveShopSettings(db, troubled, settings);
  campaignId = await scheduledCampaign(db, troubled, { primary: downLlm, fallback: new BuiltinCopywriter() });
  await scheduledCampaign(db, calm);
  // The provider failed two of the campaign's first sends a few minutes ago; they wait for a retry.
  const rows = await db.send.findMany({ where: { campaignId, step: 0 }, take: 2 });
  const failedAt = new Date(Date.now() - 3 * 60_000);
  await db.send.updateMany({ where: { id: { in: rows.map((row) => row.id) } }, data: { lastError: "provider_down (status 503)", lastErrorAt: failedAt, attempts: 1, scheduledAt: new Date(Date.now() + 60 * 60_000) } });
  await db.job.create({ data: { name: "delivery.dispatch", shop: troubled, status: "failed", attempts: 8, lastError: "could not render", finishedAt: new Date() } });
  server = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL!, ENCRYPTION_KEYS: FAULTS_ENCRYPTION_KEYS, OPENAI_API_KEY: "sk-test", LOG_LEVEL: "warn", RUN_JOBS_IN_PROCESS: "false" });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await sink?.close();
  delete process.env.ENCRYPTION_KEYS;
});

describe("System health on the home page", () => {
  it("shows the shop's own provider failures, failed jobs and copy fallbacks", async () => {
    const { tone, lines } = await health(troubled);
    expect(tone).toBe("warning");
    expect(line(lines, "database")).toMatchObject({ tone: "success", summary: expect.stringMatching(/reachable/) });
    expect(line(lines, "jobs")).toMatchObject({ tone: "warning", summary: expect.stringContaining("1 failed in 24 h"), detail: expect.stringContaining("delivery.dispatch") });
    expect(line(lines, "email")).toMatchObject({ tone: "warning", summary: "smtp: 2 failed send(s) in the last hour, 2 waiting to be retried", detail: expect.stringContaining("provider_down (status 503)") });
    expect(line(lines, "copy")).toMatchObject({ tone: "warning", summary: "OpenAI failed for 1 of 1 campaign(s) this week; the built-in copywriter wrote them", detail: "Last time it did not answer in time." });
    expect(lines.some((l) => l.key === "redis")).toBe(false);
  });

  it("shows another shop none of it", async () => {
    const { tone, lines } = await health(calm);
    expect(tone).toBe("success");
    expect(line(lines, "email").summary).toBe("smtp: no failures in the last hour");
    expect(line(lines, "jobs").summary).toContain("0 failed in 24 h");
  });

  it("says so on the campaign page: sends waiting for the provider, copy by the built-in copywriter", async () => {
    const review = await loaderData<{ delivery: { tone: string; title: string; detail: string }; copyProvenance: { fallbackSteps: number[]; reasons: string[] } }>(
      `/app/campaigns/${campaignId}`,
      "routes/app.campaigns.$id",
      troubled,
    );
    expect(review.delivery).toMatchObject({ tone: "warning", title: "2 message(s) are waiting for your email provider", detail: expect.stringContaining("provider_down (status 503)") });
    expect(review.copyProvenance.reasons).toEqual(["it did not answer in time"]);
    expect(review.copyProvenance.fallbackSteps.length).toBeGreaterThan(0);
  });
});
