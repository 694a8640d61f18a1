import { z } from "zod";
import type { AdminOperation } from "../admin.server";

const data = z.object({
  discountCodeBasicCreate: z.object({
    codeDiscountNode: z.object({ id: z.string() }).nullable(),
    userErrors: z.array(z.object({ message: z.string(), code: z.string().nullish(), field: z.array(z.string()).nullish() })),
  }),
});

export interface BasicCodeDiscountInput {
  title: string;
  code: string;
  startsAt: string;
  endsAt: string;
  customerSelection: { all: true };
  customerGets: { value: { percentage: number }; items: { all: true } };
  appliesOncePerCustomer: boolean;
  usageLimit: number;
}

/** A percentage code discount; each of its codes (added in bulk) is used once (usageLimit per code). */
export const discountCodeBasicCreate: AdminOperation<z.infer<typeof data>, { basicCodeDiscount: BasicCodeDiscountInput }> = {
  name: "DiscountCodeBasicCreate",
  query: `#graphql
    mutation DiscountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
      discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
        codeDiscountNode { id }
        userErrors { field code message }
      }
    }`,
  data,
};
