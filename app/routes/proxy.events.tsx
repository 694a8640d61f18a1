import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveBrowseEvents } from "~/storefront/receive.server";
import { storefrontDeps } from "~/storefront/runtime.server";

// Storefront browse events from the theme app extension, through Shopify's app proxy:
// https://{shop}/apps/campaign-pilot/events → {application_url}/proxy/events?shop=…&signature=… (ADR 007).
export async function action({ request }: ActionFunctionArgs) {
  return receiveBrowseEvents(request, await storefrontDeps());
}

export async function loader() {
  return new Response(null, { status: 405 });
}
