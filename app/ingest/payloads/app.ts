import { z } from "zod";
import { gid, idFromGid, nullableString } from "./primitives";

export const appUninstalledPayload = z.object({}).passthrough();

export const scopesUpdatePayload = z
  .object({ current: z.array(z.string()) })
  .transform((payload) => ({ scopes: payload.current }));

export const bulkOperationFinishPayload = z
  .object({
    admin_graphql_api_id: gid,
    status: z.string(),
    error_code: nullableString,
    completed_at: z.string().nullish(),
  })
  .transform((payload) => ({
    bulkOperationId: payload.admin_graphql_api_id,
    legacyId: idFromGid(payload.admin_graphql_api_id),
    status: payload.status.toLowerCase(),
    errorCode: payload.error_code,
  }));
