import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TONE_PRESETS } from "~/campaigns/brand-voice";
import { writeBuiltinDraft } from "./builtin-copywriter";
import { EN_PURPOSES } from "./builtin-templates-purpose";
import { checkDraft } from "./guardrails";
import { systemPrompt } from "./prompt";
import { makeProduct, makeRequest } from "./testing";
import { STEP_PURPOSES, type CopyDraft, type StepPurpose } from "./types";

// The built-in copywriter writes to a goal step's purpose: its own lines first, grounded and
// guardrail-clean for every tone, with and without an offer.

function draftOf(purpose: StepPurpose, overrides: Parameters<typeof makeRequest>[0] = {}): CopyDraft {
  const result = writeBuiltinDraft(makeRequest({ purpose, steps: 3, step: 1, ...overrides }));
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.draft;
}

const text = (draft: CopyDraft) => [...draft.subjects, draft.previewText, draft.headline, ...draft.body, draft.callToAction].join("\n");

describe("purpose-driven built-in copy", () => {
  it("uses the purpose's own lines", () => {
    const teaser = draftOf("teaser", { seed: 3 });
    const teaserHeadlines = (EN_PURPOSES.teaser.headlines ?? []).map((line) => (typeof line === "string" ? line : line.t).replace("{shop}", "Clay & Co"));
    expect(teaserHeadlines).toContain(teaser.headline);
    const welcome = draftOf("welcome", { seed: 3, step: 0 });
    expect(text(welcome)).toMatch(/welcome|joining|glad you are here|you are in/i);
    const education = draftOf("education", { seed: 5 });
    expect(text(education)).toMatch(/closer look|guide|story|how|why/i);
  });

  it("a last call with an expiring offer may use urgency; without one it stays calm and offer-free", () => {
    const offer = { kind: "percent" as const, percent: 10, code: "{{ discount_code }}", expiresInDays: 7 };
    const withOffer = draftOf("last_call", { offer, step: 2 });
    expect(text(withOffer)).toContain("10%");
    expect(checkDraft(withOffer, { request: makeRequest({ purpose: "last_call", offer, step: 2, steps: 3 }), allowedHosts: [] }).filter((f) => f.severity === "block")).toEqual([]);
    const calm = draftOf("last_call", { step: 2 });
    expect(text(calm)).not.toMatch(/%|code|last chance|expires/i);
  });

  it("an offer on an early step is included when the planner put it there", () => {
    const offer = { kind: "percent" as const, percent: 15, code: "{{ discount_code }}", expiresInDays: 7 };
    expect(text(draftOf("highlight", { offer, step: 0 }))).toContain("15%");
  });

  it("never blocks, for every purpose, tone, offer and product set", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STEP_PURPOSES),
        fc.constantFrom(...TONE_PRESETS),
        fc.boolean(),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (purpose, tone, withOffer, productCount, seed) => {
          const products = [
            makeProduct(),
            makeProduct({ productId: "2", title: "Stoneware Bowl", price: 3200, url: "https://clay-and-co.myshopify.com/products/bowl" }),
          ].slice(0, productCount);
          const request = makeRequest({
            purpose,
            step: 1,
            steps: 3,
            seed,
            products,
            voice: { tone: { preset: tone } },
            offer: withOffer ? { kind: "percent", percent: 10, code: "{{ discount_code }}", expiresInDays: 7 } : null,
          });
          const result = writeBuiltinDraft(request);
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          expect(checkDraft(result.draft, { request, allowedHosts: [] }).filter((f) => f.severity === "block")).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("tells the LLM what the step is for", () => {
    expect(systemPrompt(makeRequest({ purpose: "teaser", steps: 3 }))).toContain("A teaser before a launch");
    expect(systemPrompt(makeRequest({ purpose: "brand_story", steps: 3, step: 1 }))).toContain("invent no history");
    expect(systemPrompt(makeRequest({}))).not.toContain("teaser");
  });
});
