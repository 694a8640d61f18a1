import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { z } from "zod";
import { costMicros, estimateTokens, priceFor, type BudgetLedger, type ModelPrice } from "./budget";
import { buildCopyMessages, draftJsonSchema } from "./prompt";
import { copyDraftSchema, type CopyError, type CopyRequest, type CopyResult, type CopyUsage, type Copywriter } from "./types";

// The OpenAI adapter: Chat Completions with strict structured output, so it also works with the
// many OpenAI-compatible servers (vLLM, Ollama, LM Studio, gateways) that speak that API. The only
// module in app/copy that does I/O. Every failure comes back as a CopyError value.

export const DEFAULT_OPENAI_MODEL = "gpt-4.1-mini";

export interface OpenAiCopywriterOptions {
  apiKey: string;
  /** Any OpenAI-compatible server, e.g. "http://127.0.0.1:8000/v1"; the SDK's default otherwise. */
  baseURL?: string;
  model?: string;
  /** Per HTTP attempt. */
  timeoutMs?: number;
  /** Further attempts after the first, on 408, 409, 429, 5xx and connection errors (not timeouts). */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited out: `rate_limited` goes back to the job queue. */
  maxRetryWaitMs?: number;
  maxOutputTokens?: number;
  /** Sent only when set: reasoning models reject it. */
  temperature?: number;
  budget: BudgetLedger;
  prices?: Record<string, ModelPrice>;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

type Classified = { retryable: boolean; error: CopyError; retryAfterMs?: number };

/** Retry-After in ms from the headers the API sends (retry-after-ms, retry-after seconds or date). */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const ms = Number(headers?.get("retry-after-ms") ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

function classify(error: unknown): Classified {
  // A timed-out generation is not retried here: the server may still finish (and bill) it, and the
  // job that asked for copy retries later on its own schedule.
  if (error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) {
    return { retryable: false, error: { kind: "timeout" } };
  }
  if (error instanceof APIConnectionError) {
    return { retryable: true, error: { kind: "provider_error", message: error.message } };
  }
  if (error instanceof APIError) {
    const status = error.status ?? 0;
    const after = retryAfterMs(error.headers);
    if (status === 429) {
      // Out of credit is a 429 too, and waiting does not help.
      if (error.code === "insufficient_quota") {
        return { retryable: false, error: { kind: "provider_error", status, message: error.message } };
      }
      return { retryable: true, retryAfterMs: after, error: { kind: "rate_limited", retryAfterMs: after ?? 60_000 } };
    }
    const retryable = status === 408 || status === 409 || status >= 500;
    return { retryable, retryAfterMs: after, error: { kind: "provider_error", status, message: error.message } };
  }
  return { retryable: false, error: { kind: "provider_error", message: error instanceof Error ? error.message : String(error) } };
}

/** Some compatible servers wrap JSON in a Markdown fence even when asked for a schema. */
function unfence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/i.exec(text);
  return fenced ? fenced[1] : text;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class OpenAiCopywriter implements Copywriter {
  readonly id = "openai" as const;
  readonly model: string;
  private readonly client: OpenAI;
  private readonly maxRetries: number;
  private readonly maxRetryWaitMs: number;
  private readonly maxOutputTokens: number;
  private readonly price: ModelPrice;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: OpenAiCopywriterOptions) {
    this.model = options.model ?? DEFAULT_OPENAI_MODEL;
    this.maxRetries = options.maxRetries ?? 2;
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? 20_000;
    this.maxOutputTokens = options.maxOutputTokens ?? 1_200;
    this.price = priceFor(this.model, options.prices);
    this.sleep = options.sleep ?? sleepFor;
    this.random = options.random ?? Math.random;
    // Retries are ours (maxRetries: 0 in the SDK) so the budget, the wait cap and the error values
    // are decided in one place and tested.
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeout: options.timeoutMs ?? 30_000,
      maxRetries: 0,
      fetch: options.fetch,
    });
  }

  async write(request: CopyRequest): Promise<CopyResult> {
    const shop = request.shop;
    if (!shop) {
      return { ok: false, error: { kind: "provider_error", message: "request.shop is required: LLM copy is charged to a shop's budget." } };
    }
    const messages = buildCopyMessages(request);
    const estimate = costMicros(this.price, estimateTokens(messages.map((m) => m.content).join("\n")) + 16, this.maxOutputTokens);
    if ((await this.options.budget.remainingMicros(shop)) < estimate) {
      return { ok: false, error: { kind: "budget_exhausted" } };
    }
    for (let attempt = 0; ; attempt += 1) {
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await this.client.chat.completions.create({
          model: this.model,
          messages,
          response_format: { type: "json_schema", json_schema: { name: "copy_draft", strict: true, schema: draftJsonSchema() } },
          max_completion_tokens: this.maxOutputTokens,
          seed: request.seed,
          ...(this.options.temperature === undefined ? {} : { temperature: this.options.temperature }),
        });
      } catch (error) {
        const classified = classify(error);
        if (!classified.retryable || attempt >= this.maxRetries) return { ok: false, error: classified.error };
        const wait = classified.retryAfterMs ?? this.backoffMs(attempt);
        if (wait > this.maxRetryWaitMs) {
          return { ok: false, error: classified.error.kind === "rate_limited" ? { kind: "rate_limited", retryAfterMs: wait } : classified.error };
        }
        await this.sleep(wait);
        continue;
      }
      return this.interpret(completion, shop, estimate);
    }
  }

  /** Exponential backoff with jitter when the server gives no Retry-After: 0.5 s, 1 s, 2 s… ±25 %. */
  private backoffMs(attempt: number): number {
    const base = Math.min(8_000, 500 * 2 ** attempt);
    return Math.round(base * (0.75 + this.random() * 0.5));
  }

  private async interpret(completion: OpenAI.Chat.Completions.ChatCompletion, shop: string, estimate: number): Promise<CopyResult> {
    // Tokens were spent whatever the reply says: charge first. A server that reports no usage is
    // charged the estimate, so a budget cannot be bypassed by a compatible server without usage.
    const usage: CopyUsage = completion.usage
      ? {
          inputTokens: completion.usage.prompt_tokens,
          outputTokens: completion.usage.completion_tokens,
          costMicros: costMicros(this.price, completion.usage.prompt_tokens, completion.usage.completion_tokens),
        }
      : { inputTokens: 0, outputTokens: 0, costMicros: estimate };
    await this.options.budget.charge(shop, { model: this.model, ...usage });

    const choice = completion.choices?.[0];
    const raw = choice?.message?.content ?? "";
    if (!choice) return { ok: false, error: { kind: "invalid_output", message: "The reply has no choices." }, raw };
    if (choice.message.refusal) return { ok: false, error: { kind: "refused", message: choice.message.refusal }, raw };
    if (choice.finish_reason === "content_filter") {
      return { ok: false, error: { kind: "refused", message: "The provider's content filter stopped the reply." }, raw };
    }
    if (choice.finish_reason === "length") {
      return { ok: false, error: { kind: "invalid_output", message: "The reply was cut off at the output token limit." }, raw };
    }
    let json: unknown;
    try {
      json = JSON.parse(unfence(raw));
    } catch (error) {
      return { ok: false, error: { kind: "invalid_output", message: `Not JSON: ${(error as Error).message}` }, raw };
    }
    const parsed = copyDraftSchema.safeParse(json);
    if (!parsed.success) {
      return { ok: false, error: { kind: "invalid_output", message: `Does not match the draft schema: ${z.prettifyError(parsed.error)}` }, raw };
    }
    return { ok: true, draft: parsed.data, model: completion.model || this.model, raw, usage };
  }
}
