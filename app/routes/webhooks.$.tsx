import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhookRequest } from "~/ingest/webhook-endpoint.server";

// Every subscription in shopify.app.toml posts to /webhooks/<topic>; one route serves them all (ADR 006).
export async function action({ request, params }: ActionFunctionArgs) {
  return handleWebhookRequest(request, params["*"] ?? "");
}

export async function loader() {
  return new Response(null, { status: 405 });
}
