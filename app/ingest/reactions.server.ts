import { attributeOrder } from "~/delivery/attribution.server";
import { scheduleCustomerRefresh } from "~/insights/store/jobs.server";
import { scheduleDetection } from "~/opportunities/jobs.server";
import type { ApplyContext } from "./apply.server";
import type { IngestCommand } from "./topics";

/**
 * What a change in the mirror sets in motion, after it has been applied: the affected customer's
 * insights are refreshed and opportunities looked for (both debounced, in their own jobs, so the
 * webhook job stays short).
 */
export async function reactToChange(ctx: ApplyContext, command: IngestCommand): Promise<void> {
  // Did one of our emails lead to this order? Credited once, on the first delivery that shows it.
  if (command.kind === "upsertOrder") await attributeOrder(ctx.db, ctx.shop, command.order);
  const customerIds = await affectedCustomers(ctx, command);
  for (const customerId of customerIds) await scheduleCustomerRefresh(ctx.queue, ctx.shop, customerId);
  // Catalogue and checkout changes can be opportunities (new arrival, restock, price drop, abandonment).
  if (DETECTION_TRIGGERS.has(command.kind)) await scheduleDetection(ctx.queue, ctx.shop);
}

const DETECTION_TRIGGERS = new Set<IngestCommand["kind"]>(["upsertProduct", "inventoryLevel", "upsertCheckout"]);

async function affectedCustomers(ctx: ApplyContext, command: IngestCommand): Promise<string[]> {
  switch (command.kind) {
    case "upsertOrder":
      return command.order.customerId ? [command.order.customerId] : [];
    case "upsertCheckout":
      return command.checkout.customerId ? [command.checkout.customerId] : [];
    case "refund": {
      const order = await ctx.db.order.findUnique({
        where: { shop_id: { shop: ctx.shop, id: command.refund.orderId } },
        select: { customerId: true },
      });
      return order?.customerId ? [order.customerId] : [];
    }
    default:
      return [];
  }
}
