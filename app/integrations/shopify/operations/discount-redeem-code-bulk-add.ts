import { z } from "zod";
import type { AdminOperation } from "../admin.server";

const data = z.object({
  discountRedeemCodeBulkAdd: z.object({
    bulkCreation: z.object({ id: z.string() }).nullable(),
    userErrors: z.array(z.object({ message: z.string(), code: z.string().nullish() })),
  }),
});

/** Adds up to 250 codes to a code discount (Shopify creates them asynchronously). */
export const discountRedeemCodeBulkAdd: AdminOperation<z.infer<typeof data>, { discountId: string; codes: Array<{ code: string }> }> = {
  name: "DiscountRedeemCodeBulkAdd",
  query: `#graphql
    mutation DiscountRedeemCodeBulkAdd($discountId: ID!, $codes: [DiscountRedeemCodeInput!]!) {
      discountRedeemCodeBulkAdd(discountId: $discountId, codes: $codes) {
        bulkCreation { id }
        userErrors { code message }
      }
    }`,
  data,
};
