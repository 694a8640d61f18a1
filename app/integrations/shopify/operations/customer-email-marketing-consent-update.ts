import { z } from "zod";
import type { AdminOperation } from "../admin.server";

const data = z.object({
  customerEmailMarketingConsentUpdate: z.object({
    customer: z.object({ id: z.string() }).nullable(),
    userErrors: z.array(z.object({ message: z.string(), field: z.array(z.string()).nullish() })),
  }),
});

export interface EmailConsentInput {
  customerId: string;
  emailMarketingConsent: { marketingState: "UNSUBSCRIBED" | "SUBSCRIBED"; marketingOptInLevel?: string; consentUpdatedAt: string };
}

/** Writes a consent change (an unsubscribe from our emails) back to the customer in Shopify. */
export const customerEmailMarketingConsentUpdate: AdminOperation<z.infer<typeof data>, { input: EmailConsentInput }> = {
  name: "CustomerEmailMarketingConsentUpdate",
  query: `#graphql
    mutation CustomerEmailMarketingConsentUpdate($input: CustomerEmailMarketingConsentUpdateInput!) {
      customerEmailMarketingConsentUpdate(input: $input) {
        customer { id }
        userErrors { field message }
      }
    }`,
  data,
};
