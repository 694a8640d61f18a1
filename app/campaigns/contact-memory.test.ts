import { describe, expect, it } from "vitest";
import { angleVerdict, deriveContactMemory, heldBackProducts, heldBecause, summariseAngles, type EmailResponse, type SentEmail } from "./contact-memory";

const DAY = 86_400_000;
const now = new Date("2026-11-27T12:00:00Z");
const ago = (days: number) => new Date(now.getTime() - days * DAY);

let sequence = 0;
function email(daysAgo: number, overrides: Partial<SentEmail> = {}): SentEmail {
  sequence += 1;
  return {
    sendId: `s${sequence}`,
    campaignId: `c${sequence}`,
    campaignTitle: "New in Ceramics",
    step: 0,
    sentAt: ago(daysAgo),
    kind: "promotional",
    angle: "new_arrival",
    purpose: null,
    productIds: ["mug"],
    subject: null,
    segment: null,
    ...overrides,
  };
}
const click = (sent: SentEmail, productIds: string[] = [], after = 0.1): EmailResponse => ({
  type: "click", campaignId: sent.campaignId, sendId: sent.sendId, at: new Date(sent.sentAt.getTime() + after * DAY), productIds,
});

describe("deriveContactMemory", () => {
  it("gives every email an outcome: ordered beats clicked beats unsubscribed; recent ones are still waiting", () => {
    const ordered = email(20);
    const clicked = email(15);
    const ignored = email(10);
    const waiting = email(1);
    const unsubscribed = email(8);
    const memory = deriveContactMemory(
      [ordered, clicked, ignored, waiting, unsubscribed],
      [
        click(ordered, ["mug"]),
        { type: "order", campaignId: ordered.campaignId, sendId: null, at: ago(19), productIds: ["mug"] },
        click(clicked, ["bowl"]),
        { type: "unsubscribe", campaignId: unsubscribed.campaignId, sendId: null, at: ago(7), productIds: [] },
      ],
      now,
    );
    const outcomes = Object.fromEntries(memory.received.map((r) => [r.sendId, r.outcome]));
    expect(outcomes).toEqual({ [ordered.sendId]: "ordered", [clicked.sendId]: "clicked", [ignored.sendId]: "ignored", [waiting.sendId]: "waiting", [unsubscribed.sendId]: "unsubscribed" });
    expect(memory.received.map((r) => r.sendId)[0]).toBe(waiting.sendId); // newest first
    expect(memory.unsubscribed).toBe(true);
    expect(memory.received.find((r) => r.sendId === clicked.sendId)?.clickedProductIds).toEqual(["bowl"]);
  });

  it("gives a click without a known send to the campaign's latest email sent before it", () => {
    const first = email(12, { campaignId: "seq", step: 0 });
    const second = email(9, { campaignId: "seq", step: 1 });
    const memory = deriveContactMemory([first, second], [{ type: "click", campaignId: "seq", sendId: null, at: ago(10), productIds: [] }], now);
    expect(memory.received.find((r) => r.sendId === first.sendId)?.outcome).toBe("clicked");
    expect(memory.received.find((r) => r.sendId === second.sendId)?.outcome).toBe("ignored");
  });

  it("gives a click recorded against a later email than existed at the click to the email sent before it", () => {
    const first = email(12, { campaignId: "seq", step: 0 });
    const second = email(9, { campaignId: "seq", step: 1 });
    const memory = deriveContactMemory([first, second], [{ type: "click", campaignId: "seq", sendId: second.sendId, at: ago(11), productIds: ["mug"] }], now);
    expect(memory.received.map((r) => [r.step, r.outcome])).toEqual([[1, "ignored"], [0, "clicked"]]);
  });

  it("counts the ignored emails of an angle in a row, newest first, stopping at a response and skipping waiting ones", () => {
    const old = email(60, { angle: "winback" });
    const answered = email(40, { angle: "winback" });
    const emails = [old, answered, email(30, { angle: "winback" }), email(20, { angle: "winback" }), email(1, { angle: "winback" }), email(5)];
    const memory = deriveContactMemory(emails, [click(answered)], now);
    expect(memory.angles.get("winback")).toMatchObject({ emails: 5, clicked: 1, ordered: 0, ignoredInARow: 2 });
    expect(memory.angles.get("new_arrival")).toMatchObject({ emails: 1, ignoredInARow: 1 });
  });

  it("forgets emails older than the lookback for angles, but still lists them as received", () => {
    const memory = deriveContactMemory([email(200, { angle: "winback" }), email(150, { angle: "winback" }), email(120, { angle: "winback" })], [], now);
    expect(memory.angles.get("winback")).toBeUndefined();
    expect(memory.received).toHaveLength(3);
  });
});

describe("heldBackProducts", () => {
  it("holds back products shown in the window without a click or an order, and says when they were shown", () => {
    const lastWeek = email(7, { productIds: ["mug", "bowl", "vase"] });
    const earlier = email(14, { productIds: ["mug"] });
    const longAgo = email(40, { productIds: ["jug"] });
    const memory = deriveContactMemory([lastWeek, earlier, longAgo], [click(lastWeek, ["bowl"])], now);
    const held = heldBackProducts(memory, now);
    expect(held.map((h) => h.productId).sort()).toEqual(["mug", "vase"]);
    expect(held.find((h) => h.productId === "mug")).toMatchObject({ times: 2 });
    expect(heldBecause(held.find((h) => h.productId === "mug")!)).toBe("shown on Nov 20 (2 times) without a click");
    expect(heldBecause(held.find((h) => h.productId === "vase")!)).toBe("shown on Nov 20 without a click");
    // A shorter window forgets last week's.
    expect(heldBackProducts(memory, now, { productWindowDays: 7, fatigueAfter: 3, lookbackDays: 90, responseWindowDays: 3 }).map((h) => h.productId).sort()).toEqual(["mug", "vase"]);
    expect(heldBackProducts(memory, new Date(now.getTime() + DAY), { productWindowDays: 7, fatigueAfter: 3, lookbackDays: 90, responseWindowDays: 3 })).toEqual([]);
  });

  it("never holds back a product they ordered from an email", () => {
    const sent = email(5, { productIds: ["mug"] });
    const memory = deriveContactMemory([sent], [{ type: "order", campaignId: sent.campaignId, sendId: sent.sendId, at: ago(4), productIds: ["mug"] }], now);
    expect(heldBackProducts(memory, now)).toEqual([]);
  });
});

describe("angleVerdict", () => {
  it("leaves out a customer who ignored the last three emails of the angle, with the reason", () => {
    const memory = deriveContactMemory([email(30, { angle: "winback" }), email(20, { angle: "winback" }), email(10, { angle: "winback" })], [], now);
    expect(angleVerdict(memory, "winback")).toMatchObject({ action: "exclude", reason: "ignored their last 3 win-back emails" });
    // Another angle is not affected.
    expect(angleVerdict(memory, "new_arrival")).toEqual({ action: "score", factor: 1, because: null, record: null });
  });

  it("only scores cart recovery down: the shopper just left a checkout", () => {
    const memory = deriveContactMemory([email(30, { angle: "cart_recovery" }), email(20, { angle: "cart_recovery" }), email(10, { angle: "cart_recovery" })], [], now);
    expect(angleVerdict(memory, "cart_recovery")).toMatchObject({ action: "score", factor: 0.55 });
  });

  it("scores down each ignored email in a row, and up a click or an order from the angle", () => {
    const ignoredTwice = deriveContactMemory([email(20), email(10)], [], now);
    expect(angleVerdict(ignoredTwice, "new_arrival")).toMatchObject({ action: "score", factor: 0.7, because: "ignored the last 2 new-arrival emails" });
    const clickedOne = email(20);
    const clicked = deriveContactMemory([clickedOne], [click(clickedOne)], now);
    expect(angleVerdict(clicked, "new_arrival")).toMatchObject({ factor: 1.15, because: "clicked 1 new-arrival email" });
    const boughtOne = email(20);
    const bought = deriveContactMemory([boughtOne, email(10)], [{ type: "order", campaignId: boughtOne.campaignId, sendId: null, at: ago(19), productIds: [] }], now);
    expect(angleVerdict(bought, "new_arrival")).toMatchObject({ factor: 1.105, because: "ordered from a new-arrival email; ignored the last new-arrival email" });
  });
});

describe("summariseAngles", () => {
  it("says what the next campaign of each angle does, and until when a fatigued customer is left out", () => {
    const memory = deriveContactMemory(
      [email(40, { angle: "winback" }), email(30, { angle: "winback" }), email(20, { angle: "winback" }), email(10, { angle: "winback" }), email(5)],
      [],
      now,
    );
    const [newArrival, winback] = summariseAngles(memory);
    expect(newArrival).toMatchObject({ angle: "new_arrival", next: "scored down (×0.85) for new-arrival campaigns: ignored the last new-arrival email", excludedUntil: null });
    expect(winback).toMatchObject({ angle: "winback", ignoredInARow: 4, next: "left out of win-back campaigns: ignored their last 3 win-back emails" });
    // The third-newest ignored win-back (30 days ago) leaves the 90-day lookback in 60 days; then only two remain.
    expect(winback.excludedUntil).toEqual(new Date(ago(30).getTime() + 90 * DAY));
  });
});
