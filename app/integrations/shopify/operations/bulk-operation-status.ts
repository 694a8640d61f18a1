import { z } from "zod";
import type { AdminOperation } from "../admin.server";

const bulkOperation = z.object({
  id: z.string(),
  status: z.string(),
  errorCode: z.string().nullish(),
  objectCount: z.union([z.string(), z.number()]).transform(Number),
  url: z.string().nullish(),
  partialDataUrl: z.string().nullish(),
});

export type BulkOperationStatus = z.infer<typeof bulkOperation>;

export const bulkOperationStatus: AdminOperation<{ node: BulkOperationStatus | null }, { id: string }> = {
  name: "BulkOperationStatus",
  query: `#graphql
    query BulkOperationStatus($id: ID!) {
      node(id: $id) {
        ... on BulkOperation { id status errorCode objectCount url partialDataUrl }
      }
    }`,
  data: z.object({ node: bulkOperation.nullable() }),
};
