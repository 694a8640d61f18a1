import { describe, expect, it } from "vitest";
import { stepTimes } from "./step-times";

const at = (iso: string) => new Date(iso);

describe("step times", () => {
  it("follows the plan from the anchor when it is still ahead", () => {
    expect(stepTimes(at("2026-11-20T10:00:00Z"), [1, 24, 72], at("2026-11-20T10:30:00Z")).map((d) => d.toISOString())).toEqual([
      "2026-11-20T11:00:00.000Z",
      "2026-11-21T10:00:00.000Z",
      "2026-11-23T10:00:00.000Z",
    ]);
  });

  it("keeps the spacing when the sequence starts late, instead of sending overdue steps together", () => {
    // Abandoned two days ago: steps 1 and 2 are both overdue.
    const times = stepTimes(at("2026-11-18T10:00:00Z"), [1, 24, 72], at("2026-11-20T10:00:00Z"));
    expect(times.map((d) => d.toISOString())).toEqual(["2026-11-20T10:00:00.000Z", "2026-11-21T09:00:00.000Z", "2026-11-23T09:00:00.000Z"]);
  });
});
