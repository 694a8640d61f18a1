import { describe, expect, it } from "vitest";
import { goalPlanSchema } from "../goals";
import { checkPlan } from "../sequence";
import { FLOW_IDS, FLOWS, planFlowBatch, typesTakenOverByFlows } from "./definitions";

const startsAt = new Date("2026-12-01T10:00:00Z");
const policy = { maxPercent: 15, allowEscalation: true };
const plan = (flow: (typeof FLOW_IDS)[number], offerPercent: number, maxPercent = 15) =>
  planFlowBatch(FLOWS[flow], { offerPercent, policy: { ...policy, maxPercent }, holdoutPercent: 5, startsAt, title: "t", summary: "s" });

describe("flow batches", () => {
  it("every flow plans a valid sequence inside the policy, with the offer only on the steps that carry one", () => {
    for (const flow of FLOW_IDS) {
      const batch = plan(flow, 10);
      expect(goalPlanSchema.parse(batch)).toEqual(batch);
      expect(checkPlan(batch.plan, policy)).toEqual([]);
      expect(batch.flow).toBe(flow);
      expect(batch.plan.steps.map((step) => step.offerPercent)).toEqual(FLOWS[flow].steps.map((step) => (step.offer ? 10 : null)));
      expect(batch.plan.steps.map((step) => step.delayHours)).toEqual(FLOWS[flow].steps.map((step) => step.day * 24));
      expect(batch.plan.holdoutPercent).toBe(5);
    }
  });

  it("drops an offer the policy no longer allows rather than cap it", () => {
    expect(plan("welcome", 20).plan.steps.map((step) => step.offerPercent)).toEqual([null, null, null]);
    expect(plan("welcome", 10, 0).plan.steps.every((step) => step.offerPercent === null)).toBe(true);
  });

  it("steps without a purpose of their own read as the angle (a stock alert, a browse reminder)", () => {
    expect(plan("back_in_stock", 0).steps.map((step) => step.purpose)).toEqual([undefined]);
    expect(plan("post_purchase", 0).steps.map((step) => step.purpose)).toEqual(["order_follow_up", "recommendation"]);
  });

  it("a flow that is on takes over its detector's suggestions", () => {
    expect([...typesTakenOverByFlows(() => true)].sort()).toEqual(["back_in_stock", "browse_abandonment"]);
    expect([...typesTakenOverByFlows((flow) => flow === "welcome")]).toEqual([]);
  });
});
