import { z } from "zod";
import type { AdminOperation } from "../admin.server";

const shop = z.object({
  name: z.string(),
  email: z.string().nullish(),
  currencyCode: z.string(),
  ianaTimezone: z.string(),
  plan: z.object({ displayName: z.string().nullish() }).nullish(),
});

export const shopInfo: AdminOperation<{ shop: z.infer<typeof shop> }, Record<string, never>> = {
  name: "ShopInfo",
  query: `#graphql
    query ShopInfo {
      shop { name email currencyCode ianaTimezone plan { displayName } }
    }`,
  data: z.object({ shop }),
};
