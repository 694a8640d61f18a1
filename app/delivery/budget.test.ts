import { describe, expect, it } from "vitest";
import { decideBatch, type BudgetedSend } from "./budget";
import { capDecision, type SendFacts } from "./checks";

const now = new Date("2026-11-23T14:00:00Z");
const facts = (overrides: Partial<SendFacts> = {}): SendFacts => ({
  now,
  sendingPaused: false,
  consent: "SUBSCRIBED",
  checkoutConsent: false,
  suppressed: false,
  sentInCapWindow: 0,
  frequencyCap: 2,
  capFreesAt: new Date("2026-11-25T09:20:00Z"),
  orderedSinceStart: false,
  exitOnOrder: true,
  productsTotal: 1,
  productsUnavailable: 0,
  timeZone: "UTC",
  quietHours: { start: 21, end: 8 },
  windowEndsAt: new Date("2026-11-27T00:00:00Z"),
  ...overrides,
});
const send = (id: string, expectedValue: number, overrides: Partial<SendFacts> = {}, email = "ann@example.com"): BudgetedSend => ({
  id,
  email,
  expectedValue,
  scheduledAt: now,
  facts: facts(overrides),
});

describe("per-recipient budget", () => {
  it("sends the most valuable messages within the budget and moves the rest to when it frees", () => {
    const decisions = decideBatch([send("low", 100), send("high", 900), send("mid", 400), send("other", 50, {}, "bob@example.com")]);
    expect(decisions.get("high")).toEqual({ action: "send" });
    expect(decisions.get("mid")).toEqual({ action: "send" });
    expect(decisions.get("other")).toEqual({ action: "send" });
    // The budget frees at 09:20: the next top of the hour outside quiet hours.
    expect(decisions.get("low")).toEqual({
      action: "defer",
      until: new Date("2026-11-25T10:00:00Z"),
      reason: "frequency cap 2: 2 messages of higher expected value for this recipient went first",
    });
  });

  it("counts what was already sent in the cap window", () => {
    const decisions = decideBatch([send("a", 10, { sentInCapWindow: 1 }), send("b", 20, { sentInCapWindow: 1 })]);
    expect(decisions.get("b")).toEqual({ action: "send" });
    expect(decisions.get("a")).toMatchObject({ action: "defer", reason: expect.stringMatching(/1 message of higher/) });
  });

  it("drops a message only when the budget frees after its window closes, and says why", () => {
    const decisions = decideBatch([send("a", 10, { windowEndsAt: new Date("2026-11-24T00:00:00Z") }), send("b", 20), send("c", 30)]);
    expect(decisions.get("a")).toEqual({
      action: "skip",
      reason: "frequency cap 2: 2 messages of higher expected value for this recipient went first; the budget frees only after the send window closes",
    });
  });

  it("keeps the checks: a message without consent is skipped, not counted against the budget", () => {
    const decisions = decideBatch([send("a", 10, { consent: "UNSUBSCRIBED" }), send("b", 5), send("c", 1)]);
    expect(decisions.get("a")).toMatchObject({ action: "skip" });
    expect(decisions.get("b")).toEqual({ action: "send" });
    expect(decisions.get("c")).toEqual({ action: "send" });
  });

  it("ties on value go in planned order, then by id, so the outcome is stable", () => {
    const early = { ...send("z", 10), scheduledAt: new Date(now.getTime() - 3_600_000) };
    const decisions = decideBatch([send("y", 10), early, send("x", 10)]);
    expect([...decisions].filter(([, d]) => d.action === "send").map(([id]) => id).sort()).toEqual(["x", "z"]);
  });

  it("with a spent budget and no known free slot, waits a day; a zero cap never sends", () => {
    expect(capDecision(facts({ capFreesAt: null }), "cap")).toEqual({ action: "defer", until: new Date("2026-11-24T14:00:00Z"), reason: "cap" });
    const decisions = decideBatch([send("a", 10, { frequencyCap: 0 })]);
    expect(decisions.get("a")).toMatchObject({ action: "defer" });
  });

  it("an empty batch decides nothing", () => {
    expect(decideBatch([]).size).toBe(0);
  });
});
