import { env } from "~/env.server";
import { authenticate } from "~/shopify.server";

// Who is asking, for every admin page: the Shopify session (embedded in Shopify admin), or in demo
// mode the demo shop, served only to requests that reached the server on the loopback interface.

export interface AdminContext {
  shop: string;
  /** Who acts, for the record of every change ("staff:<user id>", or "staff:demo"). */
  staff: string;
  embedded: boolean;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

export async function requireShop(request: Request): Promise<AdminContext> {
  const { DEMO_SHOP } = env();
  if (DEMO_SHOP) {
    // Defence in depth: demo mode also binds to 127.0.0.1 (server.mjs) and refuses production (env).
    if (!LOOPBACK.has(new URL(request.url).hostname)) throw new Response("Demo mode answers on localhost only", { status: 403 });
    return { shop: DEMO_SHOP, staff: "demo", embedded: false };
  }
  const { session } = await authenticate.admin(request);
  return { shop: session.shop, staff: session.onlineAccessInfo?.associated_user.id ? String(session.onlineAccessInfo.associated_user.id) : "owner", embedded: true };
}

export function isDemo(): boolean {
  return Boolean(env().DEMO_SHOP);
}
