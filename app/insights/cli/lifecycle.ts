// Offline lifecycle scoring with the production models (lifecycle/lifecycle.ts), see USAGE.
import { parseArgs } from "node:util";
import { analyseLifecycle, type LifecycleConfigInput } from "../lifecycle/lifecycle";
import { PurchaseHistories } from "../lifecycle/purchase-summary";
import { lifecycleOrderSchema } from "../schemas";
import { formatDay, parseInstant } from "../time";
import { UsageError, parseNumberOption, readJsonLines, round, runCli, writeLine } from "./cli-support";

const USAGE = `Usage:
  npm run --silent lifecycle -- --orders ORDERS.jsonl --as-of DATE [options]

Input, one JSON object per line (ORDERS.jsonl):
  {"customerId":"c1","orderId":"o1","at":"2011-11-30T10:15:00Z","total":42.5}
  at: ISO date or date-time (UTC when no offset). total: the order's value in the shop's currency unit;
  a negative total is a refund/cancellation record (it lowers its day's value, never counts as a purchase).
  Orders on the same UTC day are one transaction; orders after --as-of are ignored.

Output, one line per customer (sorted by customerId):
  {"customerId","pAlive","expectedPurchases90d","clv","stage"}
  pAlive: probability the customer is still active (BG/NBD); expectedPurchases<H>d: expected purchases in
  the next H days; clv: discounted expected spend over --clv-horizon-days (Gamma-Gamma × BG/NBD); stage: one
  of new, active, loyal, vip, at_risk, lapsed, lost. When the shop has too little data to fit a model, a
  documented heuristic is used (see --fit-summary and --details).

Options:
  --as-of DATE             the analysis instant (default: the latest order)
  --horizon-days N         horizon of expectedPurchases (default 90)
  --clv-horizon-days N     CLV horizon (default 365); --discount-rate R yearly (default 0.1)
  --shrinkage MODE         auto (default: weak prior below 1000 customers) | always | never
  --details                add rfm, expectedOrderValue, expectedNextPurchaseAt, stageReason and basis
  --fit-summary            print the shop-level fits (parameters, uncertainty or why not fitted) to stderr
Exit codes: 0 ok, 1 bad input (file:line: message on stderr), 2 bad command line.
`;

async function main(): Promise<void> {
  const { values } = parseCommandLine();
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!values.orders) throw new UsageError("--orders is required");
  const horizon = parseNumberOption("horizon-days", values["horizon-days"], 90, { min: 1 });
  const shrinkage = values.shrinkage ?? "auto";
  if (shrinkage !== "auto" && shrinkage !== "always" && shrinkage !== "never") {
    throw new UsageError(`--shrinkage must be auto, always or never, got ${JSON.stringify(shrinkage)}`);
  }
  const config: LifecycleConfigInput = {
    purchaseHorizonDays: horizon,
    clvHorizonDays: parseNumberOption("clv-horizon-days", values["clv-horizon-days"], 365, { min: 1 }),
    annualDiscountRate: parseNumberOption("discount-rate", values["discount-rate"], 0.1, { min: 0 }),
    shrinkage,
  };
  let asOf = values["as-of"] === undefined ? null : parseInstant(values["as-of"]);
  if (values["as-of"] !== undefined && asOf === null) throw new UsageError(`--as-of: not a date: ${JSON.stringify(values["as-of"])}`);

  const histories = new PurchaseHistories();
  let latest = -Infinity;
  for await (const { value: order } of readJsonLines(values.orders, lifecycleOrderSchema)) {
    histories.add(order);
    latest = Math.max(latest, order.at);
  }
  asOf ??= Number.isFinite(latest) ? latest : Date.now();
  const analysis = await analyseLifecycle(histories.summarise(asOf), asOf, config);
  if (values["fit-summary"]) {
    process.stderr.write(`${JSON.stringify({ asOf: formatDay(asOf), ...analysis.shop })}\n`);
  }
  const horizonKey = `expectedPurchases${horizon}d`;
  for (const customer of analysis.customers) {
    const line: Record<string, unknown> = {
      customerId: customer.customerId,
      pAlive: round(customer.pAlive, 4),
      [horizonKey]: round(customer.expectedPurchases, 4),
      clv: round(customer.clv, 2),
      stage: customer.stage,
    };
    if (values.details) {
      Object.assign(line, {
        rfm: customer.rfm.code,
        transactions: customer.transactions,
        totalSpent: round(customer.totalSpent, 2),
        expectedOrderValue: round(customer.expectedOrderValue, 2),
        averageInterPurchaseDays: customer.averageInterPurchaseDays === null ? null : round(customer.averageInterPurchaseDays, 1),
        expectedNextPurchaseAt: formatDay(customer.expectedNextPurchaseAt),
        stageReason: customer.stageReason,
        basis: customer.basis,
      });
    }
    await writeLine(line);
  }
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        orders: { type: "string" },
        "as-of": { type: "string" },
        "horizon-days": { type: "string" },
        "clv-horizon-days": { type: "string" },
        "discount-rate": { type: "string" },
        shrinkage: { type: "string" },
        details: { type: "boolean" },
        "fit-summary": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

runCli(USAGE, main);
