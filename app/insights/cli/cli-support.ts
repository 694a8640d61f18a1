// Shared plumbing of the insights CLIs: streamed JSON-lines input validated line by line with zod,
// errors that name the file and line, and stdout writing that respects back-pressure.
import { createReadStream } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import type { z } from "zod";

/** Bad input data: reported with its location, exit code 1. */
export class InputError extends Error {}
/** Bad command line: reported with the usage text, exit code 2. */
export class UsageError extends Error {}

export function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`).join("; ");
}

/** Parses one JSON value per line (blank lines skipped), never holding the whole file in memory. */
export async function* readJsonLines<Schema extends z.ZodType>(
  path: string,
  schema: Schema,
): AsyncGenerator<{ value: z.output<Schema>; line: number }> {
  const input = createReadStream(path);
  const failedToOpen = new Promise<never>((_, reject) =>
    input.once("error", (error) => reject(new InputError(`${path}: cannot read (${error.message})`))),
  );
  failedToOpen.catch(() => undefined);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  const iterator = lines[Symbol.asyncIterator]();
  for (;;) {
    const next = await Promise.race([iterator.next(), failedToOpen]);
    if (next.done) return;
    line += 1;
    const text = next.value.trim();
    if (text === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new InputError(`${path}:${line}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new InputError(`${path}:${line}: ${formatIssues(parsed.error)}`);
    yield { value: parsed.data, line };
  }
}

export async function writeLine(value: unknown): Promise<void> {
  if (!process.stdout.write(`${JSON.stringify(value)}\n`)) await once(process.stdout, "drain");
}

/** Runs a CLI main: input errors → stderr and exit 1, usage errors → usage and exit 2. */
export function runCli(usage: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${usage}`);
      process.exitCode = 2;
    } else if (error instanceof InputError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  });
}

export function parseNumberOption(name: string, text: string | undefined, fallback: number, { min = -Infinity, integer = false } = {}): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${integer ? "an integer" : "a number"} ≥ ${min}, got ${JSON.stringify(text)}`);
  }
  return value;
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
