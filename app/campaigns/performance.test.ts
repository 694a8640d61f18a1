import { describe, expect, it } from "vitest";
import { learningMemorySchema, learnLessons, memoryHints, reviewCampaign, type CampaignOutcome, type ShopHistory } from "./performance";

const outcome = (overrides: Partial<CampaignOutcome> = {}): CampaignOutcome => ({
  recipients: 1_000,
  sends: 1_000,
  clickedSends: 25,
  orders: 10,
  revenue: 48_000,
  currency: "USD",
  variants: [
    { step: 0, variant: 0, subject: "Meet Glazed Teapot", style: "names_product", sends: 500, clicks: 16, orders: 6 },
    { step: 0, variant: 1, subject: "Something new for you", style: "plain", sends: 500, clicks: 9, orders: 4 },
  ],
  hours: [
    { hour: 9, sends: 400, clicks: 6, orders: 2 },
    { hour: 18, sends: 600, clicks: 19, orders: 8 },
  ],
  ...overrides,
});

const history = (overrides: Partial<ShopHistory> = {}): ShopHistory => ({
  campaigns: 3,
  recipients: 3_000,
  sends: 3_000,
  clickedSends: 60,
  orders: 15,
  revenue: 60_000,
  styles: [
    { style: "names_product", sends: 1_000, clicks: 31 },
    { style: "plain", sends: 1_000, clicks: 18 },
  ],
  hours: [
    { hour: 9, sends: 1_500, clicks: 20, orders: 5 },
    { hour: 18, sends: 1_500, clicks: 40, orders: 10 },
  ],
  ...overrides,
});

describe("campaign performance review", () => {
  it("compares revenue per recipient, clicks and conversion with the shop's own history", () => {
    const review = reviewCampaign(outcome(), history(), ["Glazed Teapot"]);
    expect(review.revenuePerRecipient).toEqual({ value: 48, history: 20 });
    expect(review.clickRate).toEqual({ value: 0.025, history: 0.02 });
    expect(review.conversionRate).toEqual({ value: 0.01, history: 0.005 });
    expect(review.bestHour).toBe(18);
    expect(review.hours.map((h) => h.hour)).toEqual([9, 18]);
  });

  it("flags the weak subject with a suggestion built from the shop's numbers", () => {
    const review = reviewCampaign(outcome(), history(), ["Glazed Teapot"]);
    expect(review.flags).toHaveLength(1);
    expect(review.flags[0].subject).toBe("Something new for you");
    expect(review.flags[0].message).toBe("“Something new for you” got 1.8% clicks from 500 sends, against 3.2% for “Meet Glazed Teapot”.");
    // Styles over this campaign and the history: 47/1500 = 3.1% vs 27/1500 = 1.8%.
    expect(review.flags[0].suggestion).toBe(
      "Subjects that name the product beat short, plain subjects here: 3.1% vs 1.8% clicks. Next time, name the product, e.g. “Meet Glazed Teapot”.",
    );
  });

  it("flags nothing with too few sends or close results, and compares with nothing without a history", () => {
    const small = outcome({ variants: outcome().variants.map((v) => ({ ...v, sends: 20, clicks: v.variant === 0 ? 5 : 0 })) });
    expect(reviewCampaign(small, null, []).flags).toEqual([]);
    const close = outcome({ variants: outcome().variants.map((v) => ({ ...v, clicks: v.variant === 0 ? 16 : 14 })) });
    expect(reviewCampaign(close, history(), []).flags).toEqual([]);
    expect(reviewCampaign(outcome(), null, []).clickRate.history).toBeNull();
    expect(reviewCampaign(outcome(), history({ campaigns: 0 }), []).revenuePerRecipient.history).toBeNull();
  });
});

describe("the shop's learning memory", () => {
  it("learns the winning subject style and the best hour, with the evidence", () => {
    const lessons = learnLessons(history());
    expect(lessons).toEqual([
      { key: "style:names_product", kind: "subject_style", text: "subjects that name the product", evidence: "3.1% clicks over 1000 sends, vs 1.8% for other styles (3 campaigns)" },
      { key: "hour", kind: "send_hour", text: "sends around 18:00 (shop time)", evidence: "2.7% clicks over 1500 sends, vs 1.3% at other hours" },
    ]);
  });

  it("learns no style without a clear winner or enough sends", () => {
    expect(learnLessons(history({ styles: [{ style: "question", sends: 1_000, clicks: 20 }, { style: "plain", sends: 1_000, clicks: 20 }] })).filter((l) => l.kind === "subject_style")).toEqual([]);
    expect(learnLessons(history({ styles: [{ style: "question", sends: 90, clicks: 20 }, { style: "plain", sends: 1_000, clicks: 2 }], hours: [] }))).toEqual([]);
  });

  it("feeds the copy the lessons the merchant kept, then their notes; hours are not copy hints", () => {
    const memory = learningMemorySchema.parse({ lessons: learnLessons(history()), notes: ["Mention our handmade glazes"] });
    expect(memoryHints(memory)).toEqual(["subjects that name the product (3.1% clicks over 1000 sends, vs 1.8% for other styles (3 campaigns))", "Mention our handmade glazes"]);
    expect(memoryHints({ ...memory, muted: ["style:names_product"] })).toEqual(["Mention our handmade glazes"]);
  });
});
