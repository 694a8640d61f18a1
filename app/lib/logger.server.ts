import { describeError, redactFields, scrubText } from "./log-redaction";

// Structured one-line JSON logs. Callers pass ids and counts, never personal data or secrets; every
// line is redacted on its way out all the same (log-redaction.ts: denied field names, addresses,
// phone numbers and credentials in free text).
type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function threshold(): number {
  const level = (process.env.LOG_LEVEL ?? "info") as Level | "silent";
  return ORDER[level] ?? ORDER.info;
}

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  if (ORDER[level] < threshold()) return;
  const line = JSON.stringify({ at: new Date().toISOString(), level, message: scrubText(message), ...(fields && (redactFields(fields) as Record<string, unknown>)) });
  if (level === "error" || level === "warn") process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};

/** An error as one safe line (Prisma's argument dumps are cut; see log-redaction.ts). */
export function errorMessage(error: unknown): string {
  return describeError(error);
}
