import { checkDraft, hasBlocking, type Finding, type GuardrailContext } from "./guardrails";
import { sanitizeDraft } from "./sanitize";
import { copyDraftSchema, type CopyDraft, type CopyError, type CopyRepair, type CopyRequest, type CopyUsage, type Copywriter } from "./types";

// The copy step of the campaign builder: try the LLM (if configured), sanitise and check what it
// wrote, give it one repair try with the findings, then fall back to the built-in copywriter. Every
// attempt is returned so the caller can store it as an immutable content version; a draft is only
// "ready" when the last check found nothing blocking.

export type CopySource = Copywriter["id"];
export type AttemptPurpose = "initial" | "repair" | "fallback" | "fallback_repair";

/** What the copywriter was asked, small enough to store with every attempt. */
export interface AttemptInput {
  kind: CopyRequest["kind"];
  angle: CopyRequest["angle"];
  purpose?: CopyRequest["purpose"];
  /** The audience segment's shared interest and tone, for a segment's draft (ADR 018). */
  segment?: { interest: string; tone: string | null };
  step: number;
  steps: number;
  language: string;
  seed: number;
  productIds: string[];
  offerPercent: number | null;
  /** The attempt (1-based) whose findings this one was asked to fix. */
  repairOf: number | null;
  problems: CopyRepair["problems"];
}

export interface Attempt {
  n: number;
  source: CopySource;
  purpose: AttemptPurpose;
  input: AttemptInput;
  model: string | null;
  /** Exactly what the copywriter returned (before sanitising), when it returned anything. */
  raw: string | null;
  /** The sanitised, schema-valid draft the findings are about. */
  draft: CopyDraft | null;
  error: CopyError | null;
  findings: Finding[];
  usage: CopyUsage | null;
  notes: string[];
  durationMs: number;
}

interface ResultBase {
  source: CopySource;
  attempts: Attempt[];
  /** Findings for the returned draft (warnings for a ready one). */
  findings: Finding[];
}

export type WriteCopyResult =
  | (ResultBase & { status: "ready"; draft: CopyDraft })
  | (ResultBase & { status: "blocked"; draft: CopyDraft | null; reason: string });

export interface WriteCopyOptions {
  primary?: Copywriter;
  fallback: Copywriter;
  context: Omit<GuardrailContext, "request">;
  now?: () => number;
}

function summarize(request: CopyRequest, repairOf: number | null): AttemptInput {
  return {
    kind: request.kind,
    angle: request.angle,
    ...(request.purpose && { purpose: request.purpose }),
    ...(request.segment && { segment: { interest: request.segment.interest, tone: request.segment.tone } }),
    step: request.step,
    steps: request.steps,
    language: request.language,
    seed: request.seed,
    productIds: request.products.map((p) => p.productId),
    offerPercent: request.offer?.percent ?? null,
    repairOf,
    problems: request.repair?.problems ?? [],
  };
}

async function attempt(
  copywriter: Copywriter,
  request: CopyRequest,
  meta: { n: number; purpose: AttemptPurpose; repairOf: number | null },
  options: WriteCopyOptions,
): Promise<Attempt> {
  const now = options.now ?? Date.now;
  const started = now();
  const base = { n: meta.n, source: copywriter.id, purpose: meta.purpose, input: summarize(request, meta.repairOf) };
  const done = (rest: Omit<Attempt, "n" | "source" | "purpose" | "input" | "durationMs">): Attempt => ({ ...base, ...rest, durationMs: now() - started });
  let result;
  try {
    result = await copywriter.write(request);
  } catch (error) {
    // A copywriter should return errors as values; one that throws must not take the campaign down.
    const message = error instanceof Error ? error.message : String(error);
    return done({ model: null, raw: null, draft: null, error: { kind: "provider_error", message }, findings: [], usage: null, notes: [] });
  }
  if (!result.ok) {
    return done({ model: null, raw: result.raw ?? null, draft: null, error: result.error, findings: [], usage: null, notes: [] });
  }
  const common = { model: result.model, raw: result.raw, usage: result.usage, notes: result.notes ?? [] };
  const sanitized = copyDraftSchema.safeParse(sanitizeDraft(result.draft));
  if (!sanitized.success) {
    const error: CopyError = { kind: "invalid_output", message: "Nothing usable was left after removing markup from the draft." };
    return done({ ...common, draft: null, error, findings: [] });
  }
  const findings = checkDraft(sanitized.data, { ...options.context, request });
  return done({ ...common, draft: sanitized.data, error: null, findings });
}

const passed = (a: Attempt): a is Attempt & { draft: CopyDraft } => a.draft !== null && !hasBlocking(a.findings);

/** Whether a second try with feedback can help: not for budget, rate limits, timeouts or refusals. */
const repairable = (a: Attempt) => a.draft !== null || a.error?.kind === "invalid_output";

function repairFor(previous: Attempt): CopyRepair {
  const problems = previous.draft
    ? previous.findings.filter((f) => f.severity === "block").map(({ rule, message, evidence }) => ({ rule, message, evidence }))
    : [{ rule: "invalid_output", message: previous.error && "message" in previous.error ? previous.error.message : "Unusable output.", evidence: "" }];
  return { previousRaw: previous.raw, problems };
}

export async function writeCopy(request: CopyRequest, options: WriteCopyOptions): Promise<WriteCopyResult> {
  const attempts: Attempt[] = [];
  const run = async (copywriter: Copywriter, purpose: AttemptPurpose, previous: Attempt | null) => {
    const next = await attempt(
      copywriter,
      previous ? { ...request, repair: repairFor(previous) } : request,
      { n: attempts.length + 1, purpose, repairOf: previous?.n ?? null },
      options,
    );
    attempts.push(next);
    return next;
  };
  const ready = (a: Attempt & { draft: CopyDraft }): WriteCopyResult => ({ status: "ready", draft: a.draft, source: a.source, attempts, findings: a.findings });

  const tries: Array<[Copywriter, AttemptPurpose, AttemptPurpose]> = [
    ...(options.primary ? [[options.primary, "initial", "repair"] as [Copywriter, AttemptPurpose, AttemptPurpose]] : []),
    [options.fallback, "fallback", "fallback_repair"],
  ];
  for (const [copywriter, first, second] of tries) {
    const initial = await run(copywriter, first, null);
    if (passed(initial)) return ready(initial);
    if (!repairable(initial)) continue;
    const repaired = await run(copywriter, second, initial);
    if (passed(repaired)) return ready(repaired);
  }

  // Nothing passed: hand back the draft with the fewest blocking findings, clearly not ready.
  const withDrafts = attempts.filter((a): a is Attempt & { draft: CopyDraft } => a.draft !== null);
  const blocks = (a: Attempt) => a.findings.filter((f) => f.severity === "block").length;
  const best = [...withDrafts].sort((a, b) => blocks(a) - blocks(b) || b.n - a.n)[0];
  const last = attempts[attempts.length - 1];
  return {
    status: "blocked",
    draft: best?.draft ?? null,
    source: best?.source ?? last.source,
    attempts,
    findings: best?.findings ?? [],
    reason: best
      ? `No draft passed the guardrails; the best one still has ${blocks(best)} blocking finding(s).`
      : `No copywriter produced a draft (last error: ${last.error?.kind ?? "unknown"}).`,
  };
}
