import type { ActionFunctionArgs } from "@remix-run/node";
import { rawDriver } from "~/db.server";
import { env } from "~/env.server";
import { receiveWebhook } from "~/ingest/receive.server";
import { jobQueue } from "~/jobs/runtime.server";
import { authenticate } from "~/shopify.server";

// Every subscription in shopify.app.toml posts to /webhooks/<topic>; one route serves them all (ADR 006).
export async function action({ request, params }: ActionFunctionArgs) {
  return receiveWebhook(request, params["*"] ?? "", {
    driver: await rawDriver(),
    queue: jobQueue(),
    authenticate: authenticate.webhook,
    maxBodyBytes: env().WEBHOOK_MAX_BYTES,
  });
}

export async function loader() {
  return new Response(null, { status: 405 });
}
