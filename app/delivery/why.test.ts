import { describe, expect, it } from "vitest";
import { isWindowDrop, type SendFacts } from "./checks";
import { checksFrom, readWhy, whyRecord, type WhyInput } from "./why";

const facts: SendFacts = {
  now: new Date("2026-11-23T14:00:00Z"),
  sendingPaused: false,
  consent: "SUBSCRIBED",
  checkoutConsent: false,
  suppressed: false,
  sentInCapWindow: 1,
  frequencyCap: 2,
  orderedSinceStart: false,
  exitOnOrder: true,
  productsTotal: 3,
  productsUnavailable: 1,
  timeZone: "UTC",
  quietHours: { start: 21, end: 8 },
  windowEndsAt: null,
};

const input = (overrides: Partial<WhyInput> = {}): WhyInput => ({
  decidedAt: new Date("2026-11-23T14:00:00Z"),
  outcome: "sent",
  opportunity: { type: "cart_recovery", title: "Recover", reason: "2 checkouts", evidence: '{"checkouts":2}' },
  recipient: { reason: "left items in their checkout", score: 1, evidence: '{"rule":"left items in their checkout","mergedCheckouts":2,"products":[{"productId":"1","because":"in their checkout"}]}', products: '["1"]' },
  version: { number: 3, author: "system", findings: '[{"rule":"price","severity":"warn","message":"check the price","evidence":"x"}]', sources: ["builtin"] },
  step: 1,
  variant: 0,
  checks: checksFrom(facts, { identifiers: 5, purchase: null }),
  moves: { count: 0, plannedAt: null, lastReason: null },
  ...overrides,
});

describe("why a message was sent", () => {
  it("keeps the opportunity, audience rule, products with evidence, copy version, guardrails and checks", () => {
    const why = whyRecord(input());
    expect(why.opportunity).toEqual({ type: "cart_recovery", title: "Recover", reason: "2 checkouts", evidence: { checkouts: 2 } });
    expect(why.audience).toEqual({ rule: "left items in their checkout", score: 1, evidence: { mergedCheckouts: 2 } });
    expect(why.products).toEqual([{ productId: "1", because: "in their checkout" }]);
    expect(why.copy).toEqual({ versionNumber: 3, author: "system", step: 1, variant: 0, sources: ["builtin"] });
    expect(why.guardrails).toEqual([{ rule: "price", severity: "warn", message: "check the price" }]);
    expect(why.checks.find((check) => check.check === "no purchase since")?.detail).toMatch(/any of 5 identifiers/);
    expect(why.checks.find((check) => check.check === "products")?.detail).toBe("2 of 3 still for sale");
    expect(readWhy(JSON.stringify(why))).toEqual({ ok: true, why });
  });

  it("survives damaged stored JSON and old rows: products fall back to the ids, nothing throws", () => {
    const why = whyRecord(input({ recipient: { reason: "r", score: 0, evidence: "not json", products: '["7","8"]' }, opportunity: { type: "t", title: "t", reason: "r", evidence: "[1]" }, version: null }));
    expect(why.products.map((product) => product.productId)).toEqual(["7", "8"]);
    expect(why.opportunity?.evidence).toEqual({});
    expect(why.copy.versionNumber).toBeNull();
    expect(whyRecord(input({ recipient: { reason: "r", score: 0, evidence: "{}", products: "{bad" } })).products).toEqual([]);
    expect(readWhy(null)).toMatchObject({ ok: false });
    expect(readWhy("{bad")).toMatchObject({ ok: false, reason: "The stored reasons could not be read." });
    expect(readWhy('{"version":2}')).toMatchObject({ ok: false });
  });

  it("says which identity a purchase was matched by, and the consent basis", () => {
    const checks = checksFrom({ ...facts, consent: null, checkoutConsent: true, orderedSinceStart: true }, { identifiers: 4, purchase: { label: "order #5", matchedBy: ["cart (linked)"] } });
    expect(checks.find((check) => check.check === "consent")).toEqual({ check: "consent", passed: true, detail: "accepted marketing at checkout" });
    expect(checks.find((check) => check.check === "no purchase since")).toEqual({ check: "no purchase since", passed: false, detail: "bought since (order #5), matched by cart (linked)" });
    expect(checksFrom({ ...facts, consent: "UNSUBSCRIBED" }, null).find((check) => check.check === "consent")?.passed).toBe(false);
  });

  it("tells a window drop from other skips", () => {
    expect(isWindowDrop("quiet hours until after the send window")).toBe(true);
    expect(isWindowDrop("frequency cap 2: 1 message of higher expected value for this recipient went first; the budget frees only after the send window closes")).toBe(true);
    expect(isWindowDrop("ordered since the sequence started")).toBe(false);
    expect(isWindowDrop(null)).toBe(false);
  });
});
