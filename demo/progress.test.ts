import { describe, expect, it } from "vitest";
import { formatStage } from "./progress";

describe("the seeding progress line", () => {
  it("shows counts, rate and ETA while running", () => {
    const line = formatStage({ label: "Backfill: orders", done: 1_000, total: 3_000, startedAt: 0 }, 2_000);
    expect(line).toMatch(/1,000 \/ 3,000\s+500\/s\s+ETA 4\.0 s$/);
  });

  it("shows the duration once done", () => {
    const line = formatStage({ label: "Webhooks", done: 64, total: 64, startedAt: 0, finishedAt: 4_000 }, 9_000);
    expect(line).toMatch(/64 \/ 64\s+16\/s\s+done in 4\.0 s$/);
  });
});
