import { describe, expect, it } from "vitest";
import { isHeldOut } from "./holdout";

const emails = Array.from({ length: 10_000 }, (_, i) => `shopper${i}@example.com`);

describe("holdout assignment", () => {
  it("keeps back about the share asked for", () => {
    for (const percent of [5, 20, 50]) {
      const share = emails.filter((email) => isHeldOut("campaign-1", email, percent)).length / emails.length;
      expect(Math.abs(share - percent / 100)).toBeLessThan(0.02);
    }
  });

  it("a larger share keeps everyone a smaller one held back, and 0 keeps no one", () => {
    for (const email of emails.slice(0, 2_000)) {
      if (isHeldOut("campaign-2", email, 10)) expect(isHeldOut("campaign-2", email, 30)).toBe(true);
      expect(isHeldOut("campaign-2", email, 0)).toBe(false);
    }
  });

  it("is the same for the same campaign and address, and differs between campaigns", () => {
    const a = emails.map((email) => isHeldOut("campaign-3", email, 50));
    expect(emails.map((email) => isHeldOut("campaign-3", email, 50))).toEqual(a);
    expect(emails.map((email) => isHeldOut("campaign-4", email, 50))).not.toEqual(a);
  });
});
