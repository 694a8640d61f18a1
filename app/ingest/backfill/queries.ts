// Bulk-operation queries, one per resource, run in this order on install. Nested connections come
// back as their own JSONL lines (see payloads/bulk.ts).

export const BACKFILL_RESOURCES = ["products", "customers", "orders"] as const;
export type BackfillResource = (typeof BACKFILL_RESOURCES)[number];

export const BACKFILL_QUERIES: Record<BackfillResource, string> = {
  products: `#graphql
    {
      products {
        edges { node {
          id title handle descriptionHtml productType vendor tags status publishedAt createdAt updatedAt
          featuredMedia { preview { image { url } } }
          variants { edges { node {
            id title sku price compareAtPrice position inventoryPolicy inventoryQuantity updatedAt
            inventoryItem { id }
          } } }
          collections { edges { node { id title handle } } }
        } }
      }
    }`,
  customers: `#graphql
    {
      customers {
        edges { node {
          id firstName lastName locale state tags createdAt updatedAt
          defaultEmailAddress { emailAddress marketingState marketingOptInLevel marketingUpdatedAt }
          defaultPhoneNumber { phoneNumber }
        } }
      }
    }`,
  orders: `#graphql
    {
      orders {
        edges { node {
          id name email phone createdAt processedAt updatedAt cancelledAt cancelReason currencyCode
          displayFinancialStatus displayFulfillmentStatus discountCodes sourceName customerAcceptsMarketing
          customer { id }
          totalPriceSet { shopMoney { amount currencyCode } }
          subtotalPriceSet { shopMoney { amount currencyCode } }
          totalDiscountsSet { shopMoney { amount currencyCode } }
          lineItems { edges { node {
            id title variantTitle sku vendor quantity currentQuantity
            originalUnitPriceSet { shopMoney { amount currencyCode } }
            totalDiscountSet { shopMoney { amount currencyCode } }
            product { id }
            variant { id }
          } } }
        } }
      }
    }`,
};
