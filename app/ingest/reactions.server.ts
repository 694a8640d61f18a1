import { scheduleCustomerRefresh } from "~/insights/store/jobs.server";
import type { ApplyContext } from "./apply.server";
import type { IngestCommand } from "./topics";

/**
 * What a change in the mirror sets in motion, after it has been applied: the affected customer's
 * insights are refreshed (debounced, in their own job, so the webhook job stays short).
 */
export async function reactToChange(ctx: ApplyContext, command: IngestCommand): Promise<void> {
  const customerIds = await affectedCustomers(ctx, command);
  for (const customerId of customerIds) await scheduleCustomerRefresh(ctx.queue, ctx.shop, customerId);
}

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
