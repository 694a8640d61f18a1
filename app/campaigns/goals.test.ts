import { describe, expect, it } from "vitest";
import { goalInputSchema, goalPlanFromEvidence, goalPolicyErrors, planGoalCampaign, type GoalInput } from "./goals";
import { checkPlan } from "./sequence";

const policy = { maxPercent: 15, allowEscalation: true };
const startsAt = new Date("2026-11-24T09:00:00Z");
const context = { productTitles: ["Glazed Teapot"], policy, holdoutPercent: 5, startsAt };

function goal(overrides: Record<string, unknown>): GoalInput {
  return goalInputSchema.parse({ objective: "launch", audience: "active", productIds: ["p1"], ...overrides });
}

function planned(overrides: Record<string, unknown>, ctx = context) {
  const result = planGoalCampaign(goal(overrides), ctx);
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  return result.goalPlan;
}

describe("goal input", () => {
  it("reads a form: empty strings are absent, the offer is a number", () => {
    const parsed = goalInputSchema.parse({ objective: "retention", audience: "vip", offerPercent: "10", collectionId: "", affinityDimension: "" });
    expect(parsed).toMatchObject({ objective: "retention", audience: "vip", offerPercent: 10, productIds: [] });
    expect(parsed.collectionId).toBeUndefined();
  });

  it("names the field of every problem", () => {
    const result = goalInputSchema.safeParse({ objective: "fly", audience: "affinity", offerPercent: "ten" });
    expect(result.success).toBe(false);
    const fields = result.error!.issues.map((issue) => issue.path[0]);
    expect(fields).toEqual(expect.arrayContaining(["objective", "offerPercent"]));
    const affinity = goalInputSchema.safeParse({ objective: "retention", audience: "affinity" });
    expect(affinity.error!.issues.map((issue) => issue.path[0])).toEqual(["affinityKey"]);
  });

  it("a launch needs products", () => {
    const result = goalInputSchema.safeParse({ objective: "launch", audience: "active" });
    expect(result.error!.issues[0]).toMatchObject({ path: ["productIds"], message: "Choose the products to launch" });
  });

  it("refuses an offer above the discount policy, or any offer when the policy forbids them", () => {
    expect(goalPolicyErrors(goal({ offerPercent: 20 }), policy)).toEqual({ offerPercent: "Your discount policy allows at most 15%" });
    expect(goalPolicyErrors(goal({ offerPercent: 5 }), { maxPercent: 0, allowEscalation: true })).toEqual({ offerPercent: "Your discount policy allows no discounts" });
    expect(goalPolicyErrors(goal({ offerPercent: 15 }), policy)).toEqual({});
    expect(planGoalCampaign(goal({ offerPercent: 40 }), context)).toEqual({ ok: false, fieldErrors: { offerPercent: "Your discount policy allows at most 15%" } });
  });
});

describe("planning a goal", () => {
  it("a launch is teaser, education, then a last call carrying the offer", () => {
    const plan = planned({ offerPercent: 10 });
    expect(plan.steps.map((step) => step.purpose)).toEqual(["teaser", "education", "last_call"]);
    expect(plan.steps.map((step) => step.offerPercent)).toEqual([null, null, 10]);
    expect(plan.title).toBe("Launch: Glazed Teapot");
    expect(plan.steps[0].reasoning).toContain("Glazed Teapot");
    expect(plan.steps[2].reasoning).toContain("code expires");
  });

  it("onboarding is a three-email welcome series within 7 days", () => {
    const plan = planned({ objective: "onboarding", audience: "new", productIds: [] });
    expect(plan.steps.map((step) => step.purpose)).toEqual(["welcome", "brand_story", "first_order"]);
    expect(Math.max(...plan.steps.map((step) => step.delayHours))).toBeLessThanOrEqual(7 * 24);
    expect(plan.title).toBe("Welcome series for new customers");
  });

  it("retention is a nurture sequence of at most 5 emails, longer for drifting customers, the offer last", () => {
    const lapsed = planned({ objective: "retention", audience: "lapsed", productIds: [], offerPercent: 15 });
    const active = planned({ objective: "retention", audience: "active", productIds: [] });
    const vip = planned({ objective: "retention", audience: "vip", productIds: [] });
    expect(lapsed.steps).toHaveLength(5);
    expect(active.steps.length).toBeLessThan(lapsed.steps.length);
    expect(vip.steps[1].purpose).toBe("thank_you");
    expect(vip.steps.length).toBeLessThanOrEqual(5);
    expect(lapsed.steps.map((step) => step.offerPercent)).toEqual([null, null, null, null, 15]);
    expect(lapsed.angle).toBe("winback");
  });

  it("an affinity segment is named in the plan", () => {
    const plan = planned({ objective: "cross_sell", audience: "affinity", affinityDimension: "productType", affinityKey: "Ceramics" });
    expect(plan.title).toBe("Cross-sell Glazed Teapot to customers who love Ceramics");
    expect(plan.summary).toContain("customers who love Ceramics");
  });

  it("every objective gives a plan the policy accepts, with increasing delays and reasoning for each step", () => {
    for (const objective of ["sales_push", "retention", "onboarding", "cross_sell", "clear_inventory", "launch"]) {
      for (const audience of ["new", "active", "vip", "at_risk", "lapsed"]) {
        const plan = planned({ objective, audience, offerPercent: 15 });
        expect(checkPlan(plan.plan, policy)).toEqual([]);
        expect(plan.steps.length).toBeGreaterThan(0);
        expect(plan.steps.length).toBeLessThanOrEqual(5);
        expect(plan.steps.every((step) => step.reasoning.length > 20)).toBe(true);
        expect(plan.plan.steps.map((step) => step.offerPercent)).toEqual(plan.steps.map((step) => step.offerPercent));
        expect(plan.plan.window?.startsAt).toBe(startsAt.toISOString());
      }
    }
  });

  it("without an offer no step carries one", () => {
    const plan = planned({ objective: "sales_push" });
    expect(plan.steps.every((step) => step.offerPercent === null)).toBe(true);
  });

  it("round-trips through opportunity evidence", () => {
    const plan = planned({});
    expect(goalPlanFromEvidence(JSON.parse(JSON.stringify({ goalPlan: plan })))).toEqual(plan);
    expect(goalPlanFromEvidence({ productIds: [] })).toBeNull();
  });
});
