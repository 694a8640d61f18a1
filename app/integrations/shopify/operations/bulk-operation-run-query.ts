import { z } from "zod";
import type { AdminOperation } from "../admin.server";

const data = z.object({
  bulkOperationRunQuery: z.object({
    bulkOperation: z.object({ id: z.string(), status: z.string() }).nullable(),
    userErrors: z.array(z.object({ message: z.string(), code: z.string().nullish() })),
  }),
});

export const bulkOperationRunQuery: AdminOperation<z.infer<typeof data>, { query: string }> = {
  name: "BulkOperationRunQuery",
  query: `#graphql
    mutation BulkOperationRunQuery($query: String!) {
      bulkOperationRunQuery(query: $query) {
        bulkOperation { id status }
        userErrors { field message code }
      }
    }`,
  data,
};
