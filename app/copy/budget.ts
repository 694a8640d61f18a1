// Per-shop spending on LLM copy, in micro-dollars (1 USD = 1,000,000). The ledger is a port: the
// campaign engine stores it (per shop, per period); tests use the in-memory one.

export interface BudgetCharge {
  model: string;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
}

export interface BudgetLedger {
  /** What the shop may still spend in the current period; 0 or less means nothing. */
  remainingMicros(shop: string): Promise<number>;
  charge(shop: string, usage: BudgetCharge): Promise<void>;
}

export class InMemoryBudgetLedger implements BudgetLedger {
  readonly charges: Array<{ shop: string } & BudgetCharge> = [];
  private readonly limits: Map<string, number>;

  constructor(private readonly defaultLimitMicros: number, limits: Record<string, number> = {}) {
    this.limits = new Map(Object.entries(limits));
  }

  async remainingMicros(shop: string): Promise<number> {
    const limit = this.limits.get(shop) ?? this.defaultLimitMicros;
    const spent = this.charges.filter((c) => c.shop === shop).reduce((sum, c) => sum + c.costMicros, 0);
    return limit - spent;
  }

  async charge(shop: string, usage: BudgetCharge): Promise<void> {
    this.charges.push({ shop, ...usage });
  }
}

/** Micro-dollars per token (= USD per million tokens). */
export interface ModelPrice {
  input: number;
  output: number;
}

// List prices in USD per million tokens, standard tier. Update with the provider's price page; a
// model missing here is charged at FALLBACK_PRICE, the dearest listed, so a typo never undercharges.
export const MODEL_PRICES: Record<string, ModelPrice> = {
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-5-nano": { input: 0.05, output: 0.4 },
  "gpt-5-mini": { input: 0.25, output: 2 },
  "gpt-5": { input: 1.25, output: 10 },
};

export const FALLBACK_PRICE: ModelPrice = { input: 2.5, output: 10 };

/** The price for a model name, matching dated snapshots ("gpt-4.1-mini-2025-04-14") by prefix. */
export function priceFor(model: string, prices: Record<string, ModelPrice> = MODEL_PRICES): ModelPrice {
  if (prices[model]) return prices[model];
  const prefix = Object.keys(prices)
    .filter((name) => model.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
  return prefix ? prices[prefix] : FALLBACK_PRICE;
}

export function costMicros(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return Math.ceil(inputTokens * price.input + outputTokens * price.output);
}

/**
 * A pessimistic token count for text before sending it: about 3 characters per token (English runs
 * nearer 4; JSON and other languages lower), so the estimate errs on the side of refusing.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}
