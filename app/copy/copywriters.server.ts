import type { Db } from "~/db.server";
import { env } from "~/env.server";
import type { ShopSettings } from "~/shops/settings.server";
import type { BudgetCharge, BudgetLedger } from "./budget";
import { BuiltinCopywriter } from "./builtin-copywriter";
import { OpenAiCopywriter } from "./openai-copywriter";
import type { Copywriter } from "./types";

/** The per-shop monthly LLM budget, kept in CopySpend. */
export class DbBudgetLedger implements BudgetLedger {
  constructor(
    private readonly db: Db,
    private readonly monthlyLimitMicros: (shop: string) => Promise<number>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private month(): string {
    return this.now().toISOString().slice(0, 7);
  }

  async remainingMicros(shop: string): Promise<number> {
    const [limit, spend] = await Promise.all([
      this.monthlyLimitMicros(shop),
      this.db.copySpend.findUnique({ where: { shop_month: { shop, month: this.month() } }, select: { spentMicros: true } }),
    ]);
    return Math.max(0, limit - (spend?.spentMicros ?? 0));
  }

  async charge(shop: string, charge: BudgetCharge): Promise<void> {
    const month = this.month();
    await this.db.copySpend.upsert({
      where: { shop_month: { shop, month } },
      create: { shop, month, spentMicros: charge.costMicros, calls: 1 },
      update: { spentMicros: { increment: charge.costMicros }, calls: { increment: 1 } },
    });
  }
}

export interface Copywriters {
  primary?: Copywriter;
  fallback: Copywriter;
}

/**
 * The built-in copywriter always; the OpenAI one in front of it when the shop chose it and a key is
 * configured (without a key the choice is reported by the admin, and the built-in one writes).
 */
export function copywritersFor(db: Db, settings: ShopSettings): Copywriters {
  const fallback = new BuiltinCopywriter();
  const { OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL } = env();
  if (settings.copy.provider !== "openai" || !OPENAI_API_KEY) return { fallback };
  const budget = new DbBudgetLedger(db, async () => settings.copy.monthlyBudgetMicros);
  return {
    primary: new OpenAiCopywriter({
      apiKey: OPENAI_API_KEY,
      baseURL: OPENAI_BASE_URL,
      model: OPENAI_MODEL ?? settings.copy.model,
      budget,
    }),
    fallback,
  };
}
