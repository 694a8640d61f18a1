import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveStockAlertRequest } from "~/storefront/receive-stock-alert.server";
import { stockAlertDeps } from "~/storefront/runtime.server";

// "Email me when it's back" requests from the product page's app block, through Shopify's app proxy:
// https://{shop}/apps/campaign-pilot/stock-alerts → {application_url}/proxy/stock-alerts?shop=…&signature=… (ADR 007).
export async function action({ request }: ActionFunctionArgs) {
  return receiveStockAlertRequest(request, await stockAlertDeps());
}

export async function loader() {
  return Response.json({ ok: false, error: "method_not_allowed" }, { status: 405, headers: { allow: "POST", "cache-control": "no-store" } });
}
