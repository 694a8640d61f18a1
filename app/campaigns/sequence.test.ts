import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { brandVoiceSchema } from "./brand-voice";
import { checkPlan, defaultPlan } from "./sequence";

const start = new Date("2026-11-23T10:00:00Z");
const voice = (maxPercent: number, allowEscalation = true) => brandVoiceSchema.parse({ discountPolicy: { maxPercent, allowEscalation } });

describe("sequence plans", () => {
  it("gives cart recovery three steps at 1 h, 24 h and 72 h with the offer last", () => {
    const plan = defaultPlan("cart_recovery", "cart_recovery", voice(15), start);
    expect(plan.steps).toEqual([
      { delayHours: 1, offerPercent: null },
      { delayHours: 24, offerPercent: null },
      { delayHours: 72, offerPercent: 10 },
    ]);
    expect(plan.exitOn).toContain("ordered");
  });

  it("caps offers at the policy and drops them when the shop allows none", () => {
    expect(defaultPlan("winback", "winback", voice(12), start).steps.map((step) => step.offerPercent)).toEqual([null, 10, 12]);
    expect(defaultPlan("winback", "winback", voice(0), start).steps.map((step) => step.offerPercent)).toEqual([null, null, null]);
    expect(defaultPlan("winback", "winback", voice(20, false), start).steps.map((step) => step.offerPercent)).toEqual([null, 10, 10]);
  });

  it("never produces a plan that breaks the policy, for any policy", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 90 }), fc.boolean(), fc.constantFrom("cart_recovery", "winback", "promotional" as const), (max, escalation, kind) => {
        const policy = voice(max, escalation);
        const plan = defaultPlan(kind, kind === "promotional" ? "overstock" : kind, policy, start);
        expect(checkPlan(plan, policy.discountPolicy)).toEqual([]);
      }),
    );
  });

  it("reports edited plans that break the policy", () => {
    const plan = defaultPlan("winback", "winback", voice(15), start);
    plan.steps[1].offerPercent = 30;
    plan.steps[2].offerPercent = 5;
    expect(checkPlan(plan, voice(15).discountPolicy)).toEqual([
      { kind: "offer_above_policy", step: 1, percent: 30, max: 15 },
      { kind: "offer_decreases", step: 2 },
    ]);
  });
});
