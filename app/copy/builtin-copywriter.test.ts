import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TONE_PRESETS, type BrandVoiceInput } from "~/campaigns/brand-voice";
import { BuiltinCopywriter, familyFor, phaseFor, writeBuiltinDraft } from "./builtin-copywriter";
import { checkDraft } from "./guardrails";
import { makeProduct, makeRequest } from "./testing";
import { findWord, draftFields } from "./text";
import { copyDraftSchema, type CampaignAngle, type CampaignKind, type CopyDraft, type CopyRequest, type ProductFact } from "./types";

const KINDS: CampaignKind[] = ["promotional", "winback", "cart_recovery"];
const ANGLES: CampaignAngle[] = ["new_arrival", "back_in_stock", "overstock", "low_stock", "price_drop", "winback", "cart_recovery", "browse_abandonment"];
// Words merchants plausibly ban that also occur in the templates: banning them must leave copy.
const COLLIDING = ["new", "love", "deal", "sale", "back", "cart", "miss", "still", "treat", "favourite", "just", "last", "special",
  "hurry", "perfect", "today", "fresh", "waiting", "left", "stock", "price", "save", "shop", "offer", "look", "picks", "reminder", "note"];
const ADJECTIVES = ["Speckled", "Linen", "Midnight", "Coastal", "Amber", "Sage", "Rustic", "Oat", "Fresh", "Classic"];
const NOUNS = ["Mug", "Apron", "Bowl", "Vase", "Candle", "Throw", "Planter", "Tote", "Teapot", "Lamp"];
const CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CAD", "SEK"];

const titleArb = fc.tuple(fc.constantFrom(...ADJECTIVES), fc.constantFrom(...NOUNS), fc.constantFrom("", " - Blue", " (Large)", " Set"))
  .map(([a, n, suffix]) => `${a} ${n}${suffix}`);

function productArb(currency: string): fc.Arbitrary<ProductFact> {
  return fc.record({
    title: titleArb,
    price: fc.integer({ min: 100, max: 500_000 }),
    markdown: fc.option(fc.integer({ min: 1, max: 200_000 }), { nil: null }),
    inStock: fc.boolean(),
    vendor: fc.constantFrom("Clay & Co", "Northwind Studio", ""),
  }).map(({ title, price, markdown, inStock, vendor }) => makeProduct({
    productId: title, title, price, compareAtPrice: markdown === null ? null : price + markdown, currency, inStock, vendor,
  }));
}

const requestArb: fc.Arbitrary<{ request: CopyRequest; others: string[] }> = fc
  .record({
    kind: fc.constantFrom(...KINDS),
    angle: fc.constantFrom(...ANGLES),
    steps: fc.integer({ min: 1, max: 4 }),
    stepFraction: fc.double({ min: 0, max: 0.999, noNaN: true }),
    currency: fc.constantFrom(...CURRENCIES),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    tone: fc.constantFrom(...TONE_PRESETS),
    banned: fc.subarray(COLLIDING, { maxLength: 3 }),
    avoid: fc.subarray(COLLIDING, { maxLength: 3 }),
    prefer: fc.subarray(COLLIDING, { maxLength: 2 }),
    maxPercent: fc.integer({ min: 0, max: 40 }),
    offer: fc.option(fc.record({
      percent: fc.integer({ min: 5, max: 30 }),
      code: fc.constantFrom("{{ discount_code }}", "WELCOME10", "THANKYOU"),
      expiresInDays: fc.option(fc.integer({ min: 0, max: 14 }), { nil: null }),
    }), { nil: null }),
    shopName: fc.constantFrom("Clay & Co", "NORTHWIND", "The Little Deal Shop", "Atelier Sage and Stone Home Goods Company"),
    hints: fc.subarray(["subjects naming the product", "questions", "curiosity subjects", "benefit-led subjects"], { maxLength: 2 }),
    language: fc.constantFrom("en", "en-GB", "de"),
    others: fc.uniqueArray(titleArb, { maxLength: 4 }),
  })
  .chain((r) => fc.uniqueArray(productArb(r.currency), { maxLength: 3, selector: (p) => p.title }).map((products) => ({ ...r, products })))
  .map((r) => {
    const voice: BrandVoiceInput = {
      tone: { preset: r.tone },
      bannedWords: r.banned,
      vocabulary: { avoid: r.avoid, prefer: r.prefer },
      discountPolicy: { maxPercent: r.maxPercent },
    };
    const request = makeRequest({
      kind: r.kind, angle: r.angle, steps: r.steps, step: Math.floor(r.stepFraction * r.steps), seed: r.seed,
      products: r.products, shopName: r.shopName, styleHints: r.hints, language: r.language, voice,
      offer: r.offer ? { kind: "percent", ...r.offer } : null,
    });
    const titles = new Set(r.products.map((p) => p.title));
    return { request, others: r.others.filter((t) => !titles.has(t)) };
  });

function draftOf(request: CopyRequest): CopyDraft {
  const result = writeBuiltinDraft(request);
  if (!result.ok) throw new Error(`builtin failed: ${JSON.stringify(result.error)}`);
  return result.draft;
}

describe("built-in copywriter", () => {
  it("passes the guardrails for every kind, angle, step, tone and seed, with colliding banned words", () => {
    fc.assert(
      fc.property(requestArb, ({ request, others }) => {
        const draft = draftOf(request);
        expect(copyDraftSchema.parse(draft)).toEqual(draft);
        const blocking = checkDraft(draft, { request, allowedHosts: [], otherProductTitles: others }).filter((f) => f.severity === "block");
        expect(blocking).toEqual([]);
        expect(new Set(draft.subjects.map((s) => s.toLowerCase())).size).toBe(draft.subjects.length);
        expect(draft.subjects.length).toBeGreaterThanOrEqual(3);
        expect(draft.body.length).toBeLessThanOrEqual(4);
        for (const { text } of draftFields(draft)) {
          for (const word of request.voice.bannedWords) expect(findWord(text, word)).toBeNull();
        }
      }),
      { numRuns: 600 },
    );
  });

  it("covers every kind × angle × step × tone exhaustively for one catalogue", () => {
    const products = [makeProduct({ compareAtPrice: 3500 }), makeProduct({ productId: "2", title: "Linen Apron - Blue", price: 4200 })];
    const offer = { kind: "percent" as const, percent: 10, code: "{{ discount_code }}", expiresInDays: 3 };
    let drafts = 0;
    for (const kind of KINDS) for (const angle of ANGLES) for (const tone of TONE_PRESETS) for (let step = 0; step < 3; step += 1) {
      const request = makeRequest({ kind, angle, step, steps: 3, products, offer, voice: { tone: { preset: tone } } });
      const draft = draftOf(request);
      const findings = checkDraft(draft, { request, allowedHosts: [] });
      expect(findings.filter((f) => f.severity === "block"), `${kind}/${angle}/${tone}/${step}`).toEqual([]);
      drafts += 1;
    }
    expect(drafts).toBe(3 * 8 * 7 * 3);
  });

  it("is deterministic for a request and seed", () => {
    fc.assert(fc.property(requestArb, ({ request }) => {
      expect(draftOf(request)).toEqual(draftOf(structuredClone(request)));
    }), { numRuns: 100 });
  });

  it("varies across seeds", () => {
    for (const [kind, angle] of [["cart_recovery", "cart_recovery"], ["promotional", "new_arrival"], ["winback", "winback"]] as const) {
      const drafts = Array.from({ length: 40 }, (_, seed) => draftOf(makeRequest({ kind, angle, seed })));
      expect(new Set(drafts.map((d) => d.subjects[0])).size, `${kind}/${angle}`).toBeGreaterThanOrEqual(8);
      expect(new Set(drafts.map((d) => d.subjects.join("|"))).size).toBeGreaterThanOrEqual(25);
      expect(new Set(drafts.map((d) => d.body.join("|"))).size).toBeGreaterThanOrEqual(15);
    }
  });

  it("writes different emails for the steps of a sequence", () => {
    const steps = [0, 1, 2].map((step) => draftOf(makeRequest({ kind: "cart_recovery", angle: "cart_recovery", step, steps: 3 })));
    expect(new Set(steps.map((d) => d.headline)).size).toBe(3);
    expect(phaseFor(makeRequest({ step: 0, steps: 3 }))).toBe("first");
    expect(phaseFor(makeRequest({ step: 1, steps: 3 }))).toBe("middle");
    expect(phaseFor(makeRequest({ step: 2, steps: 3 }))).toBe("last");
    expect(familyFor(makeRequest({ kind: "cart_recovery", angle: "browse_abandonment" }))).toBe("browse");
  });

  it("states only the request's facts: its prices, its offer, no discount without one", () => {
    const request = makeRequest({ angle: "price_drop", products: [makeProduct({ price: 2800, compareAtPrice: 3500 })] });
    for (let seed = 0; seed < 30; seed += 1) {
      const text = draftFields(draftOf({ ...request, seed })).map((f) => f.text).join("\n");
      expect(text).not.toMatch(/%/);
      for (const amount of text.match(/\$[\d,.]+\d/g) ?? []) expect(["$28.00", "$35.00", "$7.00"]).toContain(amount);
    }
    const offered = { ...request, offer: { kind: "percent" as const, percent: 12, code: "{{ discount_code }}", expiresInDays: null } };
    const withOffer = draftFields(draftOf(offered)).map((f) => f.text).join("\n");
    expect(withOffer).toContain("12% off");
    expect(withOffer).toContain("{{ discount_code }}");
    expect(withOffer).not.toMatch(/expire|hurry|last chance/i);
  });

  it("leaves out an offer above the policy maximum", () => {
    const request = makeRequest({ offer: { kind: "percent", percent: 25, code: "BIG", expiresInDays: null }, voice: { discountPolicy: { maxPercent: 20 } } });
    expect(draftFields(draftOf(request)).map((f) => f.text).join(" ")).not.toMatch(/25%|BIG/);
  });

  it("uses urgency only when it is true", () => {
    const lowStock = makeRequest({ angle: "low_stock" });
    const soldOut = makeRequest({ angle: "low_stock", products: [makeProduct({ inStock: false })] });
    const texts = (r: CopyRequest) => Array.from({ length: 30 }, (_, seed) => draftFields(draftOf({ ...r, seed })).map((f) => f.text).join(" ")).join(" ");
    expect(texts(lowStock)).toMatch(/running low|almost gone|only a few/i);
    expect(texts(soldOut)).not.toMatch(/running low|almost gone|only a few|nearly gone/i);
  });

  it("follows style hints for the first subject", () => {
    for (let seed = 0; seed < 20; seed += 1) {
      expect(draftOf(makeRequest({ seed, styleHints: ["subjects naming the product"] })).subjects[0]).toContain("Speckled Stoneware Mug");
      expect(draftOf(makeRequest({ seed, styleHints: ["questions"] })).subjects[0]).toMatch(/\?$/);
    }
  });

  it("does not repeat recent subjects, and chooses another line for a banned word", () => {
    const first = draftOf(makeRequest());
    const again = draftOf(makeRequest({ avoidSubjects: first.subjects }));
    expect(again.subjects.filter((s) => first.subjects.includes(s))).toEqual([]);
    const banned = makeRequest({ kind: "cart_recovery", angle: "cart_recovery", voice: { bannedWords: ["cart", "left", "still", "saved"] } });
    const draft = draftOf(banned);
    expect(checkDraft(draft, { request: banned, allowedHosts: [] }).filter((f) => f.severity === "block")).toEqual([]);
  });

  it("does not name a product whose title holds a banned word", () => {
    const request = makeRequest({ products: [makeProduct({ title: "Cheap Thrills Mug" })], voice: { bannedWords: ["cheap"] } });
    const text = draftFields(draftOf(request)).map((f) => f.text).join(" ");
    expect(text).not.toMatch(/cheap/i);
  });

  it("greets with a Liquid default and follows the tone", () => {
    expect(draftOf(makeRequest({ voice: { tone: { preset: "friendly" } } })).body[0]).toMatch(/^Hi \{\{ first_name \| default: "there" \}\}, [a-z]/);
    expect(draftOf(makeRequest({ voice: { tone: { preset: "premium" } } })).body[0]).toMatch(/^Dear \{\{ first_name/);
    expect(draftOf(makeRequest({ voice: { tone: { preset: "minimal" } } })).body[0]).not.toMatch(/first_name/);
  });

  it("writes English for a language without templates and says so", async () => {
    const result = await new BuiltinCopywriter().write(makeRequest({ language: "de" }));
    expect(result.ok && result.notes).toEqual([expect.stringContaining("English")]);
    const english = await new BuiltinCopywriter().write(makeRequest({ language: "en-GB" }));
    expect(english.ok && english.notes).toEqual([]);
  });

  it("writes a draft without products (a plain win-back)", () => {
    const request = makeRequest({ kind: "winback", angle: "winback", products: [] });
    const draft = draftOf(request);
    expect(draft.body.join(" ")).not.toContain("product_block");
    expect(checkDraft(draft, { request, allowedHosts: [] }).filter((f) => f.severity === "block")).toEqual([]);
  });
});
