import type { JobQueue } from "~/jobs/types";
import { markUninstalled, updateScopes } from "~/shops/shops.server";
import { stitchAfterCheckout, stitchAfterOrder } from "~/storefront/stitch.server";
import { onBulkOperationFinished } from "./backfill/backfill.server";
import type { ApplyOutcome, MirrorContext } from "./mirror/context";
import { applyEmailConsent, deleteCustomer, upsertCustomer } from "./mirror/customers.server";
import { applyRefund, upsertCheckout, upsertOrder } from "./mirror/orders.server";
import { applyInventoryLevel, deleteProduct, upsertProduct } from "./mirror/products.server";
import { exportCustomerData, redactCustomer, redactShop } from "./privacy.server";
import type { IngestCommand } from "./topics";

export interface ApplyContext extends MirrorContext {
  queue: JobQueue;
}

/** Executes one parsed webhook. Every command is idempotent and ignores stale data. */
export async function applyCommand(ctx: ApplyContext, command: IngestCommand): Promise<ApplyOutcome> {
  switch (command.kind) {
    case "upsertProduct":
      return upsertProduct(ctx, command.product);
    case "deleteProduct":
      return deleteProduct(ctx, command.productId);
    case "inventoryLevel":
      return applyInventoryLevel(ctx, command.level);
    case "upsertOrder":
      return stitchAfterOrder(ctx, command.order, await upsertOrder(ctx, command.order));
    case "refund":
      return applyRefund(ctx, command.refund);
    case "upsertCheckout":
      return stitchAfterCheckout(ctx, command.checkout, await upsertCheckout(ctx, command.checkout));
    case "upsertCustomer":
      return upsertCustomer(ctx, command.customer);
    case "deleteCustomer":
      return deleteCustomer(ctx, command.customerId);
    case "emailConsent":
      return applyEmailConsent(ctx, command.consent);
    case "appUninstalled":
      await markUninstalled(ctx.db, ctx.shop, ctx.observedAt);
      return "applied";
    case "scopesUpdate":
      await updateScopes(ctx.db, ctx.shop, command.scopes);
      return "applied";
    case "bulkOperationFinished":
      return onBulkOperationFinished(ctx.db, ctx.queue, ctx.shop, command);
    case "redactCustomer":
      await redactCustomer(ctx.db, ctx.queue, ctx.shop, command.identity);
      return "applied";
    case "redactShop":
      await redactShop(ctx.db, ctx.shop);
      return "applied";
    case "dataRequest":
      await exportCustomerData(ctx.db, ctx.shop, command.identity, command.requestId);
      return "applied";
    default: {
      const unreachable: never = command;
      throw new Error(`unhandled command ${JSON.stringify(unreachable)}`);
    }
  }
}
