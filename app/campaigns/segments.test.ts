import { describe, expect, it } from "vitest";
import { personalisationSettingsSchema } from "./contact-memory";
import { segmentAudience, TONE_NEIGHBOURS, type PricedItem, type SegmentCandidate } from "./segments";

const settings = (overrides: Record<string, unknown> = {}) => personalisationSettingsSchema.parse({ segments: { minSize: 5, ...overrides } }).segments;

/** `count` members whose strongest tag is `tag` (all also love the product type Dresses). */
function group(tag: string, count: number, from = 0): SegmentCandidate[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${tag}-${from + i}@example.com`,
    affinities: [
      { dimension: "productType", key: "Dresses", score: 2 },
      { dimension: "tag", key: tag, score: 1.5 },
      { dimension: "tag", key: "new", score: 0.2 },
      { dimension: "product", key: "p1", score: 3 },
    ],
  }));
}

const catalogue: PricedItem[] = [
  { productType: "Dresses", vendor: "Atelier", tags: ["Minimalist"], collections: [], price: 6_000 },
  { productType: "Dresses", vendor: "Atelier", tags: ["Luxury"], collections: [], price: 24_000 },
  { productType: "Dresses", vendor: "Atelier", tags: ["Casual"], collections: [], price: 4_000 },
  { productType: "Shirts", vendor: "Atelier", tags: ["Everyday"], collections: [], price: 3_000 },
  { productType: "Coats", vendor: "Atelier", tags: ["Statement"], collections: [], price: 30_000 },
  { productType: "Socks", vendor: "Atelier", tags: ["Bargain"], collections: [], price: 800 },
];

describe("segmentAudience", () => {
  it("splits a fashion audience by style tag into three segments with their own tone, inside the brand's", () => {
    const members = [...group("Minimalist", 12), ...group("Luxury", 10), ...group("Casual", 8), ...group("Boho", 2)];
    const result = segmentAudience(members, catalogue, "friendly", settings());
    expect(result.segments.map((s) => [s.id, s.dimension, s.interest, s.size, s.tone])).toEqual([
      ["s1", "tag", "Minimalist", 12, "minimal"],
      ["s2", "tag", "Luxury", 10, "premium"],
      // "casual" reads friendly, which is the brand's own tone: no nudge.
      ["s3", "tag", "Casual", 8, null],
    ]);
    expect(result.rest).toBe(2);
    expect(result.note).toBe("Split by tag into 3 segments of at least 5; 2 others get the general copy.");
    expect(result.segments[1].why).toBe("10 recipients whose strongest tag is Luxury");
    expect(result.segments[1].toneBecause).toBe("“Luxury” reads premium: leans premium, within the brand's friendly voice");
    // Every recipient is in at most one segment.
    const ids = result.segments.flatMap((s) => s.memberIds);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("keeps the brand's tone when the nudge would leave its register, or when nudges are off", () => {
    const members = [...group("Minimalist", 10), ...group("Luxury", 10)];
    const playful = segmentAudience(members, catalogue, "playful", settings());
    expect(playful.segments.map((s) => s.tone)).toEqual([null, null]);
    expect(playful.segments[1].toneBecause).toContain("too far from the brand's playful tone");
    expect(TONE_NEIGHBOURS.playful).not.toContain("premium");
    const off = segmentAudience(members, catalogue, "friendly", settings({ toneNudges: false }));
    expect(off.segments.map((s) => s.tone)).toEqual([null, null]);
  });

  it("reads the register from prices when the words say nothing", () => {
    const members = [...group("Statement", 10), ...group("Bargain", 10)];
    const result = segmentAudience(members, catalogue, "friendly", settings());
    const statement = result.segments.find((s) => s.interest === "Statement")!;
    expect(statement.tone).toBe("premium");
    expect(statement.toneBecause).toMatch(/median price is 6\.0× the shop's/);
    expect(result.segments.find((s) => s.interest === "Bargain")!.tone).toBeNull(); // cheap reads friendly = the brand's
  });

  it("keeps one copy for small audiences, a single shared interest, or when switched off", () => {
    expect(segmentAudience([...group("Minimalist", 4), ...group("Luxury", 4)], catalogue, "friendly", settings()).note).toBe(
      "One copy for everyone: 8 recipients, and a segment needs at least 5.",
    );
    const oneInterest = segmentAudience(group("Minimalist", 30), catalogue, "friendly", settings());
    expect(oneInterest.segments).toEqual([]);
    expect(oneInterest.note).toContain("no two interests");
    expect(segmentAudience([...group("Minimalist", 10), ...group("Luxury", 10)], catalogue, "friendly", settings({ enabled: false })).segments).toEqual([]);
  });

  it("needs a tenth of the audience per segment as well as the minimum size", () => {
    const members = [...group("Minimalist", 80), ...group("Luxury", 9), ...group("Casual", 11)];
    const result = segmentAudience(members, catalogue, "friendly", settings());
    expect(result.segments.map((s) => s.interest)).toEqual(["Minimalist", "Casual"]);
    expect(result.rest).toBe(9);
  });

  it("picks the dimension whose segments cover the most recipients", () => {
    const byType = (type: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `${type}${i}`, affinities: [{ dimension: "productType", key: type, score: 1 }, { dimension: "vendor", key: "Atelier", score: 5 }] }));
    const result = segmentAudience([...byType("Dresses", 10), ...byType("Coats", 10), ...group("Luxury", 6)], catalogue, "friendly", settings());
    expect(result.segments.map((s) => [s.dimension, s.interest, s.size])).toEqual([["productType", "Dresses", 16], ["productType", "Coats", 10]]);
  });
});
