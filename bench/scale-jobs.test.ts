import { describe, expect, it } from "vitest";
import { bullJobTimings, overlaps, summarize, type JobTiming } from "./scale-jobs";

const job = (name: string, shop: string | null, startedAt: number | undefined, finishedAt: number | undefined, enqueuedAt = 0): JobTiming => ({
  name,
  shop,
  status: finishedAt === undefined ? "waiting" : "completed",
  startedAt,
  finishedAt,
  enqueuedAt,
});

describe("overlaps", () => {
  it("finds two jobs of one shop running at once, and how long", () => {
    const check = overlaps([job("a", "s1", 0, 100), job("b", "s1", 60, 200), job("c", "s1", 200, 300)]);
    expect(check).toEqual({ intervals: 3, overlapping: 1, longestOverlapMs: 40 });
  });

  it("ignores other shops, back-to-back jobs and jobs with no interval", () => {
    const check = overlaps([job("a", "s1", 0, 100), job("b", "s2", 50, 150), job("c", "s1", 100, 120), job("d", "s1", undefined, undefined)]);
    expect(check).toEqual({ intervals: 3, overlapping: 0, longestOverlapMs: 0 });
  });

  it("measures a job nested inside a longer one by the nested job's length", () => {
    expect(overlaps([job("long", "s1", 0, 1000), job("short", "s1", 10, 30)]).longestOverlapMs).toBe(20);
  });
});

describe("summarize", () => {
  it("sums run and wait-included times per name, longest first; runs unknown without starts", () => {
    const summary = summarize([job("x", "s", 10, 30, 0), job("x", "s", 40, 50, 20), job("x", "s", undefined, undefined), job("y", "s", 0, 5, 0)]);
    expect(summary).toEqual([
      { name: "x", count: 3, unfinished: 1, failed: 0, runMs: 30, latencyMs: 60 },
      { name: "y", count: 1, unfinished: 0, failed: 0, runMs: 5, latencyMs: 5 },
    ]);
    const noStarts = summarize([{ name: "z", shop: "s", status: "succeeded", finishedAt: 50, enqueuedAt: 10 }]);
    expect(noStarts[0]).toMatchObject({ runMs: null, latencyMs: 40 });
  });

  it("reads BullMQ's timestamps, a delayed job waiting from its due time", () => {
    const [timing] = bullJobTimings([{ state: "completed", job: { name: "n", data: { shop: "s" }, timestamp: 1000, delay: 500, processedOn: 1600, finishedOn: 1700 } }]);
    expect(timing).toEqual({ name: "n", shop: "s", status: "completed", startedAt: 1600, finishedAt: 1700, enqueuedAt: 1500 });
  });
});
