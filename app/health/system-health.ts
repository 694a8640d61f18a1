// The home page's "System health": what the app already records (jobs, the send ledger's provider
// failures, the copy attempts stored with campaigns, the webhook inbox) plus small live probes,
// turned into one line per part with a tone. Pure: the facts come from system-health.server.ts.

export type Tone = "success" | "warning" | "critical" | "info";

export interface HealthFacts {
  now: Date;
  database:
    | { ok: true; kind: "sqlite" | "postgres"; latencyMs: number; freeBytes: number | null }
    | { ok: false; kind: "sqlite" | "postgres"; reason: string };
  /** This process's last failed database write, whether or not writes work again. */
  lastWriteFailure: { at: Date; message: string } | null;
  jobs: {
    /** "shop": counts are this shop's (database queue); "all shops": BullMQ's counts for the whole queue. */
    scope: "shop" | "all shops";
    waiting: number;
    oldestWaitingSince: Date | null;
    running: number;
    retrying: number;
    failedLastDay: number;
    lastFailure: { name: string; reason: string; at: Date } | null;
  } | { scope: "unavailable"; reason: string };
  inbox: { waiting: number; oldestWaitingSince: Date | null; failed: number };
  email: {
    connection: { provider: string; status: string; lastError: string | null } | null;
    failuresLastHour: number;
    waitingForRetry: number;
    lastFailure: { message: string; at: Date } | null;
  };
  copy: { provider: "builtin" | "openai"; keyConfigured: boolean; campaignsLastWeek: number; fallbacksLastWeek: number; lastFallbackReason: string | null };
  redis: null | { ok: true; latencyMs: number } | { ok: false; reason: string };
}

export interface HealthLine {
  key: "database" | "jobs" | "webhooks" | "email" | "copy" | "redis";
  label: string;
  tone: Tone;
  summary: string;
  detail?: string;
}

const MINUTE = 60_000;

export function formatAge(ms: number): string {
  if (ms < MINUTE) return `${Math.max(0, Math.round(ms / 1_000))} s`;
  if (ms < 60 * MINUTE) return `${Math.round(ms / MINUTE)} min`;
  if (ms < 48 * 60 * MINUTE) return `${Math.round(ms / (60 * MINUTE))} h`;
  return `${Math.round(ms / (24 * 60 * MINUTE))} days`;
}

const formatBytes = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.round(bytes / 1024 ** 2)} MB`);
const ago = (now: Date, at: Date) => `${formatAge(now.getTime() - at.getTime())} ago`;

/** Less than this free beside the SQLite file is a warning: writes start failing at zero. */
export const LOW_DISK_BYTES = 512 * 1024 ** 2;

function database(facts: HealthFacts): HealthLine {
  const { database: db, now, lastWriteFailure } = facts;
  const name = db.kind === "sqlite" ? "SQLite" : "PostgreSQL";
  if (!db.ok) return { key: "database", label: "Database", tone: "critical", summary: `${name} ${db.reason}`, detail: "Webhooks are answered 503 so Shopify sends them again; jobs wait and retry." };
  const recent = lastWriteFailure && now.getTime() - lastWriteFailure.at.getTime() < 60 * MINUTE ? lastWriteFailure : null;
  const space = db.freeBytes === null ? "" : `, ${formatBytes(db.freeBytes)} free on its disk`;
  if (db.freeBytes !== null && db.freeBytes < LOW_DISK_BYTES) {
    return { key: "database", label: "Database", tone: "warning", summary: `${name} reachable, but only ${formatBytes(db.freeBytes)} free on its disk`, detail: "Writes fail when the disk is full: free space or move the database." };
  }
  return {
    key: "database",
    label: "Database",
    tone: recent ? "warning" : "success",
    summary: `${name} reachable (${db.latencyMs} ms${space})`,
    ...(recent && { detail: `Writes failed ${ago(now, recent.at)} (${recent.message}); they work again.` }),
  };
}

function jobs(facts: HealthFacts): HealthLine {
  const { jobs: j, now } = facts;
  if (j.scope === "unavailable") return { key: "jobs", label: "Background jobs", tone: "critical", summary: `Queue unavailable: ${j.reason}` };
  const scope = j.scope === "all shops" ? " (the whole queue, all shops)" : "";
  const waitedMs = j.oldestWaitingSince ? now.getTime() - j.oldestWaitingSince.getTime() : 0;
  const tone: Tone = waitedMs > 15 * MINUTE || j.failedLastDay > 0 ? "warning" : "success";
  const parts = [`${j.waiting} waiting`, `${j.running} running`, ...(j.retrying ? [`${j.retrying} retrying`] : []), `${j.failedLastDay} failed in 24 h`];
  return {
    key: "jobs",
    label: "Background jobs",
    tone,
    summary: `${parts.join(", ")}${scope}`,
    detail: [
      ...(j.oldestWaitingSince && waitedMs > MINUTE ? [`The oldest has waited ${formatAge(waitedMs)}.`] : []),
      ...(j.lastFailure ? [`Last failure: ${j.lastFailure.name}, ${ago(now, j.lastFailure.at)}: ${j.lastFailure.reason}`] : []),
    ].join(" ") || undefined,
  };
}

function webhooks(facts: HealthFacts): HealthLine {
  const { inbox, now } = facts;
  const waitedMs = inbox.oldestWaitingSince ? now.getTime() - inbox.oldestWaitingSince.getTime() : 0;
  const tone: Tone = inbox.failed > 0 || waitedMs > 5 * MINUTE ? "warning" : "success";
  return {
    key: "webhooks",
    label: "Webhooks",
    tone,
    summary: `${inbox.waiting} waiting to be applied, ${inbox.failed} failed`,
    ...(waitedMs > MINUTE && { detail: `The oldest has waited ${formatAge(waitedMs)}; each is kept until applied.` }),
  };
}

function email(facts: HealthFacts): HealthLine {
  const { email: e, now } = facts;
  if (!e.connection) return { key: "email", label: "Email provider", tone: "info", summary: "Not connected: nothing can be sent until one is (Integrations)." };
  if (e.connection.status === "failing") {
    return { key: "email", label: "Email provider", tone: "critical", summary: `${e.connection.provider}: ${e.connection.lastError ?? "failing"}`, detail: "Messages wait and are retried; check the credentials under Integrations." };
  }
  if (e.failuresLastHour === 0) return { key: "email", label: "Email provider", tone: "success", summary: `${e.connection.provider}: no failures in the last hour` };
  return {
    key: "email",
    label: "Email provider",
    tone: e.waitingForRetry > 0 ? "warning" : "info",
    summary: `${e.connection.provider}: ${e.failuresLastHour} failed send(s) in the last hour, ${e.waitingForRetry} waiting to be retried`,
    ...(e.lastFailure && { detail: `Last error ${ago(now, e.lastFailure.at)}: ${e.lastFailure.message}. Retries back off and never send a message twice.` }),
  };
}

function copy(facts: HealthFacts): HealthLine {
  const { copy: c } = facts;
  if (c.provider === "builtin") return { key: "copy", label: "Copywriter", tone: "success", summary: "Built-in copywriter (no LLM in use)" };
  if (!c.keyConfigured) return { key: "copy", label: "Copywriter", tone: "warning", summary: "OpenAI chosen, but no API key is configured: the built-in copywriter writes" };
  if (c.fallbacksLastWeek === 0) return { key: "copy", label: "Copywriter", tone: "success", summary: `OpenAI: ${c.campaignsLastWeek} campaign(s) written this week, no fallbacks` };
  return {
    key: "copy",
    label: "Copywriter",
    tone: "warning",
    summary: `OpenAI failed for ${c.fallbacksLastWeek} of ${c.campaignsLastWeek} campaign(s) this week; the built-in copywriter wrote them`,
    ...(c.lastFallbackReason && { detail: `Last time ${c.lastFallbackReason}.` }),
  };
}

function redis(facts: HealthFacts): HealthLine | null {
  if (!facts.redis) return null;
  if (facts.redis.ok) return { key: "redis", label: "Redis (job queue)", tone: "success", summary: `Reachable (${facts.redis.latencyMs} ms)` };
  return { key: "redis", label: "Redis (job queue)", tone: "critical", summary: `Unreachable: ${facts.redis.reason}`, detail: "Webhooks are still recorded; their jobs are queued once Redis is back." };
}

export function assessSystemHealth(facts: HealthFacts): { tone: Tone; lines: HealthLine[] } {
  const lines = [database(facts), jobs(facts), webhooks(facts), email(facts), copy(facts), redis(facts)].filter((line): line is HealthLine => line !== null);
  const tone: Tone = lines.some((l) => l.tone === "critical") ? "critical" : lines.some((l) => l.tone === "warning") ? "warning" : "success";
  return { tone, lines };
}
