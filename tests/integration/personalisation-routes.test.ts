import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGoalCampaign } from "~/campaigns/goal-campaign.server";
import { setCampaignHoldout } from "~/campaigns/holdout.server";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { db } from "~/db.server";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { type AppServer, startAppServer } from "../support/app-server";
import { seedStoreWithSuggestion, type SeededStore } from "../support/seed-store";
import { readyToSend, recordingEsp, sendCampaign } from "../support/sending";
import { sessionToken, storeOfflineSession } from "../support/session-token";

// The pages this feature changed, through the real server with a session token: the customer page's
// contact memory (and only the shop's own), the campaign page's segments and a segment's edit.

let server: AppServer;
let north: SeededStore;
let south: SeededStore;
let segmented: string;
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

beforeAll(async () => {
  north = await seedStoreWithSuggestion("memory-north.myshopify.com", "North Pottery", { idBase: 3000 });
  south = await seedStoreWithSuggestion("memory-south.myshopify.com", "South Pottery", { idBase: 4000 });
  await storeOfflineSession(north.shop);
  await storeOfflineSession(south.shop);
  // North sends its suggestion; its first recipient then has a memory.
  await readyToSend(north.shop);
  // The suggestion was built with the shop's default holdout: nobody of this one is held back.
  await setCampaignHoldout(db(), north.shop, north.campaignId, 0);
  await sendCampaign(north.shop, north.campaignId, recordingEsp().adapter, new Date(), 0);
  // South mailed the same address (one person, two shops): north must never show it.
  const southCampaign = await db().campaign.findFirstOrThrow({ where: { shop: south.shop } });
  await db().send.create({
    data: { shop: south.shop, campaignId: southCampaign.id, step: 0, recipientId: south.recipients[0].id, email: north.recipients[0].email, idempotencyKey: "south-send-1", status: "sent", scheduledAt: new Date(), sentAt: new Date() },
  });
  // Two taste groups in north (tags), small segments allowed, and a goal campaign that splits by them.
  const settings = await loadShopSettings(db(), north.shop);
  settings.personalisation.segments.minSize = 3;
  await saveShopSettings(db(), north.shop, settings);
  for (const recipient of north.recipients) {
    await db().customerAffinity.create({ data: { shop: north.shop, customerId: recipient.customerId, dimension: "tag", key: "Matte", score: 5 } });
  }
  for (const id of ["3101", "3102", "3103"]) {
    await db().customer.create({ data: { shop: north.shop, id, email: `speckled${id}@example.com`, firstName: "Speck", emailConsentState: "SUBSCRIBED" } });
    await db().customerAffinity.createMany({
      data: [
        { shop: north.shop, customerId: id, dimension: "productType", key: "Ceramics", score: 2 },
        { shop: north.shop, customerId: id, dimension: "tag", key: "Speckled", score: 5 },
      ],
    });
  }
  const goal = await createGoalCampaign(db(), north.shop, { objective: "sales_push", audience: "affinity", affinityDimension: "productType", affinityKey: "Ceramics" }, { fallback: new BuiltinCopywriter() });
  if (!goal.ok) throw new Error(JSON.stringify(goal.fieldErrors));
  segmented = goal.campaignId;
  server = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL! });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

function data(path: string, route: string, as: string, init: RequestInit = {}) {
  const url = new URL(path, server.url);
  url.searchParams.set("_data", route);
  return fetch(url, { ...init, headers: { "user-agent": BROWSER, authorization: `Bearer ${sessionToken(as)}` }, redirect: "manual" });
}

describe("customer page: contact memory", () => {
  it("shows what the customer received from this shop, how they responded and what is held back", async () => {
    const recipient = north.recipients[0];
    const response = await data(`/app/customers/${recipient.customerId}`, "routes/app.customers.$id", north.shop);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { memory: { received: Array<{ campaignId: string; outcome: string; products: string[] }>; heldBack: Array<{ title: string; because: string }> } };
    expect(body.memory.received.length).toBeGreaterThan(0);
    expect(body.memory.received.every((r) => r.campaignId === north.campaignId)).toBe(true);
    expect(body.memory.received[0].outcome).toBe("too early to tell");
    const shown = body.memory.received.flatMap((r) => r.products);
    // Everything shown without a click is held back (a campaign about one of them still shows it).
    expect(body.memory.heldBack.map((h) => h.title).sort()).toEqual([...new Set(shown)].sort());
    expect(body.memory.heldBack.every((h) => /^shown on \w{3} \d+ without a click$/.test(h.because))).toBe(true);
  });

  it("south's page for its own customer shows none of north's sends, and north's none of south's", async () => {
    const south0 = await data(`/app/customers/${south.recipients[0].customerId}`, "routes/app.customers.$id", south.shop);
    const text = await south0.text();
    expect(text).not.toContain(north.campaignId);
    const north0 = await (await data(`/app/customers/${north.recipients[0].customerId}`, "routes/app.customers.$id", north.shop)).text();
    expect(north0).not.toContain("south-send-1");
    expect(north0).not.toContain(south.campaignId);
  });
});

describe("campaign page: segments", () => {
  it("shows each segment's size, why, tone and copy; a campaign without segments says why", async () => {
    const response = await data(`/app/campaigns/${segmented}`, "routes/app.campaigns.$id", north.shop);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      segmentation: { note: string; rest: number; segments: Array<{ id: string; interest: string; size: number; why: string; toneBecause: string; products: string[] }> };
      content: { steps: Array<{ segments?: Record<string, { draft: { headline: string } }> }> };
    };
    expect(body.segmentation.segments.map((s) => s.interest)).toEqual(["Matte", "Speckled"]);
    expect(body.segmentation.segments[0].why).toBe(`${body.segmentation.segments[0].size} recipients whose strongest tag is Matte`);
    expect(body.segmentation.segments[0].products.length).toBeGreaterThan(0);
    expect(Object.keys(body.content.steps[0].segments ?? {}).sort()).toEqual(["s1", "s2"]);
    // No copy product descriptions leave the server with the segments.
    expect(JSON.stringify(body.segmentation)).not.toContain("made by hand");
    const plain = (await (await data(`/app/campaigns/${north.campaignId}`, "routes/app.campaigns.$id", north.shop)).json()) as { segmentation: { note: string; segments: unknown[] } };
    expect(plain.segmentation.segments).toEqual([]);
    expect(plain.segmentation.note).toMatch(/^One copy for everyone/);
  });

  it("saves an edit of one segment's draft as a new version; another shop cannot", async () => {
    const before = (await (await data(`/app/campaigns/${segmented}`, "routes/app.campaigns.$id", north.shop)).json()) as { versionNumber: number; content: { steps: Array<{ segments: Record<string, { draft: { subjects: string[]; previewText: string; body: string[]; callToAction: string } }> }> } };
    const draft = before.content.steps[0].segments.s2.draft;
    const form = new URLSearchParams({ intent: "edit", step: "0", segment: "s2", previewText: draft.previewText, headline: "Speckled, chosen for you", body: draft.body.join("\n\n"), callToAction: draft.callToAction });
    for (const subject of draft.subjects.slice(0, 3)) form.append("subjects", subject);
    const saved = await data(`/app/campaigns/${segmented}`, "routes/app.campaigns.$id", north.shop, { method: "POST", body: form });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ ok: true, message: `Saved as version ${before.versionNumber + 1}` });
    const after = (await (await data(`/app/campaigns/${segmented}`, "routes/app.campaigns.$id", north.shop)).json()) as { content: { steps: Array<{ segments: Record<string, { draft: { headline: string }; source: string }> }> } };
    expect(after.content.steps[0].segments.s2).toMatchObject({ source: "staff", draft: { headline: "Speckled, chosen for you" } });
    const foreign = await data(`/app/campaigns/${segmented}`, "routes/app.campaigns.$id", south.shop, { method: "POST", body: form });
    expect(foreign.status).toBe(404);
  });
});
