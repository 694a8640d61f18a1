import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentOf } from "~/campaigns/campaigns.server";
import { InMemoryBudgetLedger } from "~/copy/budget";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { copywritersFor, type Copywriters } from "~/copy/copywriters.server";
import { OpenAiCopywriter } from "~/copy/openai-copywriter";
import { copyProvenance } from "~/copy/provenance";
import type { Attempt } from "~/copy/write-copy";
import { readyDb, type Db } from "~/db.server";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { scheduledCampaign, seedSendingShop } from "../support/faults/campaign-shop";
import { startFakeLlm } from "../support/faults/openai-server";
import { startFaultProxy } from "../support/faults/tcp-proxy";

// The LLM copywriter down while campaigns are built: connection refused, 500s, garbage instead of
// the JSON asked for, no answer at all. The build must fall back to the built-in copywriter, say so
// in the campaign's stored attempts (shown on its page), and not block: the campaign is approvable
// and schedulable. Through the production wiring (copywritersFor with OPENAI_* set), except the hang,
// which uses a 1.5 s timeout instead of the production 30 s.

const llm = await startFakeLlm("ok");
const proxy = await startFaultProxy({ host: "127.0.0.1", port: llm.port });
// Read once by env() on first use, so set before anything touches the environment.
process.env.OPENAI_API_KEY = "sk-faults-test";
process.env.OPENAI_BASE_URL = `http://127.0.0.1:${proxy.port}/v1`;

let db: Db;
let run = 0;

beforeAll(async () => {
  db = await readyDb();
});

afterAll(async () => {
  await proxy.close();
  await llm.close();
});

async function shopWithLlm(): Promise<string> {
  const shop = `llm-${run++}.myshopify.com`;
  await seedSendingShop(db, shop, 4);
  const settings = await loadShopSettings(db, shop);
  settings.copy.provider = "openai";
  await saveShopSettings(db, shop, settings);
  return shop;
}

async function build(shop: string, copywriters?: Copywriters) {
  const started = Date.now();
  const campaignId = await scheduledCampaign(db, shop, copywriters ?? copywritersFor(db, await loadShopSettings(db, shop)));
  const ms = Date.now() - started;
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  const version = await db.campaignVersion.findFirstOrThrow({ where: { id: campaign.currentVersionId! } });
  const generation = JSON.parse(version.generation) as Attempt[][];
  return { campaign, sources: contentOf(version).steps.map((step) => step.source), provenance: copyProvenance(generation), steps: generation.length, ms };
}

describe("the LLM copywriter unavailable while a campaign is built", () => {
  it("(sanity) writes with the LLM when it answers", async () => {
    await proxy.setMode("pass");
    llm.mode = "ok";
    const built = await build(await shopWithLlm());
    expect(built.sources[0]).toBe("openai");
    expect(built.provenance.fallbackSteps).toEqual([]);
  });

  it("connection refused: the built-in copywriter writes every step, the campaign says why, it is scheduled", async () => {
    await proxy.setMode("refuse");
    const built = await build(await shopWithLlm());
    await proxy.setMode("pass");
    expect(built.sources.every((source) => source === "builtin")).toBe(true);
    expect(built.provenance.fallbackSteps).toHaveLength(built.steps);
    expect(built.provenance.reasons).toEqual([expect.stringMatching(/^it could not be reached/)]);
    expect(built.campaign.status).toBe("scheduled");
  });

  it("500s: retried twice for the first step only, then the rest are written without waiting", async () => {
    llm.mode = "error500";
    llm.requests = 0;
    const built = await build(await shopWithLlm());
    expect(llm.requests).toBe(3); // 1 + 2 retries, once per build, not once per step
    expect(built.provenance).toEqual({ fallbackSteps: Array.from({ length: built.steps }, (_, i) => i), reasons: ["it answered with an error (HTTP 500)"] });
    expect(built.campaign.status).toBe("scheduled");
  });

  it("garbage JSON: one repair try per step, then the built-in copy", async () => {
    llm.mode = "garbage";
    const built = await build(await shopWithLlm());
    expect(built.provenance.fallbackSteps).toHaveLength(built.steps);
    expect(built.provenance.reasons).toEqual(["its reply was not usable copy"]);
    expect(built.campaign.status).toBe("scheduled");
  });

  it("no answer: one timeout, then the built-in copy for every step", async () => {
    llm.mode = "hang";
    llm.requests = 0;
    const shop = await shopWithLlm();
    const primary = new OpenAiCopywriter({ apiKey: "sk-faults-test", baseURL: `http://127.0.0.1:${proxy.port}/v1`, budget: new InMemoryBudgetLedger(5_000_000), timeoutMs: 1_500 });
    const built = await build(shop, { primary, fallback: new BuiltinCopywriter() });
    expect(llm.requests).toBe(1);
    expect(built.ms).toBeLessThan(1_500 + 5_000);
    expect(built.provenance.reasons).toEqual(["it did not answer in time"]);
    expect(built.campaign.status).toBe("scheduled");
  });
});
