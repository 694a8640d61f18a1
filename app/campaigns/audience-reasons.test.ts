import { describe, expect, it } from "vitest";
import { countedReason, describeAudience } from "./audience-reasons";

describe("audience reasons in words", () => {
  it("counts a reason as a group", () => {
    expect(countedReason("loves Ceramics", 42)).toBe("42 who love Ceramics");
    expect(countedReason("loves Ceramics", 1)).toBe("1 who loves Ceramics");
    expect(countedReason("viewed it recently", 3)).toBe("3 who viewed it recently");
    expect(countedReason("lapsing customer", 1200)).toBe("1,200 lapsing customers");
  });

  it("describes an audience by its largest reasons", () => {
    expect(describeAudience([["loves Ceramics", 42]])).toBe("42 customers who love Ceramics");
    expect(describeAudience([["at risk customer", 7]])).toBe("7 at risk customers");
    expect(describeAudience(new Map([["viewed it recently", 4], ["loves Ceramics", 8], ["showed interest in it", 1]]))).toBe(
      "13 customers (8 who love Ceramics, 4 who viewed it recently, …)",
    );
  });
});
