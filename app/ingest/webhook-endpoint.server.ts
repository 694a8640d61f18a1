import { rawDriver } from "~/db.server";
import { env } from "~/env.server";
import { jobQueue } from "~/jobs/runtime.server";
import { authenticate } from "~/shopify.server";
import { receiveWebhook } from "./receive.server";

/** The webhook endpoint with its production dependencies (the route and the server both use it). */
export async function handleWebhookRequest(request: Request, pathTopic: string): Promise<Response> {
  return receiveWebhook(request, pathTopic, {
    driver: await rawDriver(),
    queue: jobQueue(),
    authenticate: authenticate.webhook,
    maxBodyBytes: env().WEBHOOK_MAX_BYTES,
  });
}
