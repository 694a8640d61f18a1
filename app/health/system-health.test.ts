import { describe, expect, it } from "vitest";
import { assessSystemHealth, type HealthFacts } from "./system-health";

const now = new Date("2026-11-24T10:00:00Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

const healthy = (): HealthFacts => ({
  now,
  database: { ok: true, kind: "sqlite", latencyMs: 2, freeBytes: 40 * 1024 ** 3 },
  lastWriteFailure: null,
  jobs: { scope: "shop", waiting: 1, oldestWaitingSince: minutesAgo(0.2), running: 1, retrying: 0, failedLastDay: 0, lastFailure: null },
  inbox: { waiting: 0, oldestWaitingSince: null, failed: 0 },
  email: { connection: { provider: "smtp", status: "verified", lastError: null }, failuresLastHour: 0, waitingForRetry: 0, lastFailure: null },
  copy: { provider: "builtin", keyConfigured: false, campaignsLastWeek: 3, fallbacksLastWeek: 0, lastFallbackReason: null },
  redis: null,
});

describe("assessSystemHealth", () => {
  it("says everything works when it does, one line per part, Redis only in scale mode", () => {
    const health = assessSystemHealth(healthy());
    expect(health.tone).toBe("success");
    expect(health.lines.map((l) => [l.key, l.tone, l.summary])).toEqual([
      ["database", "success", "SQLite reachable (2 ms, 40.0 GB free on its disk)"],
      ["jobs", "success", "1 waiting, 1 running, 0 failed in 24 h"],
      ["webhooks", "success", "0 waiting to be applied, 0 failed"],
      ["email", "success", "smtp: no failures in the last hour"],
      ["copy", "success", "Built-in copywriter (no LLM in use)"],
    ]);
    expect(assessSystemHealth({ ...healthy(), redis: { ok: true, latencyMs: 1 } }).lines.at(-1)).toMatchObject({ key: "redis", tone: "success" });
  });

  it("reports a database that cannot be written, a backlog, provider failures and LLM fallbacks", () => {
    const health = assessSystemHealth({
      ...healthy(),
      database: { ok: false, kind: "sqlite", reason: "writes failing since 2026-11-24T09:59:00.000Z (3×): SQLITE_FULL: database or disk is full" },
      jobs: { scope: "shop", waiting: 40, oldestWaitingSince: minutesAgo(20), running: 0, retrying: 5, failedLastDay: 1, lastFailure: { name: "delivery.dispatch", reason: "boom", at: minutesAgo(3) } },
      inbox: { waiting: 12, oldestWaitingSince: minutesAgo(8), failed: 0 },
      email: { connection: { provider: "postmark", status: "verified", lastError: null }, failuresLastHour: 7, waitingForRetry: 4, lastFailure: { message: "provider_down (status 503)", at: minutesAgo(2) } },
      copy: { provider: "openai", keyConfigured: true, campaignsLastWeek: 4, fallbacksLastWeek: 2, lastFallbackReason: "it did not answer in time" },
      redis: { ok: false, reason: "connect ECONNREFUSED 127.0.0.1:6379" },
    });
    expect(health.tone).toBe("critical");
    const line = (key: string) => health.lines.find((l) => l.key === key)!;
    expect(line("database")).toMatchObject({ tone: "critical", summary: expect.stringContaining("SQLITE_FULL") });
    expect(line("jobs")).toMatchObject({ tone: "warning", summary: "40 waiting, 0 running, 5 retrying, 1 failed in 24 h", detail: "The oldest has waited 20 min. Last failure: delivery.dispatch, 3 min ago: boom" });
    expect(line("webhooks")).toMatchObject({ tone: "warning", detail: "The oldest has waited 8 min; each is kept until applied." });
    expect(line("email")).toMatchObject({ tone: "warning", summary: "postmark: 7 failed send(s) in the last hour, 4 waiting to be retried", detail: expect.stringContaining("2 min ago: provider_down (status 503)") });
    expect(line("copy")).toMatchObject({ tone: "warning", detail: "Last time it did not answer in time." });
    expect(line("redis")).toMatchObject({ tone: "critical", summary: "Unreachable: connect ECONNREFUSED 127.0.0.1:6379" });
  });

  it("warns about a recent write failure that has recovered, and a nearly full disk", () => {
    expect(assessSystemHealth({ ...healthy(), lastWriteFailure: { at: minutesAgo(5), message: "SQLITE_BUSY: database is locked" } }).lines[0]).toMatchObject({ tone: "warning", detail: "Writes failed 5 min ago (SQLITE_BUSY: database is locked); they work again." });
    expect(assessSystemHealth({ ...healthy(), database: { ok: true, kind: "sqlite", latencyMs: 1, freeBytes: 100 * 1024 ** 2 } }).lines[0]).toMatchObject({ tone: "warning", summary: "SQLite reachable, but only 100 MB free on its disk" });
  });
});
