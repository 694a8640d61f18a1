import { Prisma } from "@prisma/client";
import type { Db } from "~/db.server";
import { forgetCachedShop } from "~/shops/shops.server";

// GDPR/CCPA webhooks. customers/redact and customers/data_request live in app/privacy (one footprint
// of the customer for both); shop/redact is here: it walks the Prisma schema, so a new table with a
// `shop` column cannot be forgotten.
export { redactCustomer } from "~/privacy/redact.server";
export { exportCustomerData } from "~/privacy/export.server";

/** Every model that holds shop data, found from the schema itself. */
export function shopScopedModels(): string[] {
  return Prisma.dmmf.datamodel.models
    .filter((model) => model.fields.some((field) => field.name === "shop"))
    .map((model) => model.name);
}

/** shop/redact (48 hours after uninstall): delete everything we hold for the shop. */
export async function redactShop(db: Db, shop: string): Promise<void> {
  forgetCachedShop(shop);
  const models = shopScopedModels();
  await db.$transaction(
    models.map((name) => {
      const delegate = (db as unknown as Record<string, { deleteMany(args: unknown): Prisma.PrismaPromise<unknown> }>)[
        name.charAt(0).toLowerCase() + name.slice(1)
      ];
      return delegate.deleteMany({ where: { shop } });
    }),
  );
}
