import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { click } from "~/delivery/feedback.server";
import { appLinkKey } from "~/delivery/link-key.server";

// Tracked links: a signed token names the destination, so this can never become an open redirect.
export async function loader({ params }: LoaderFunctionArgs) {
  const result = await click(db(), params.token ?? "", appLinkKey());
  if (!result.ok) return new Response("This link is not valid.", { status: result.status });
  return redirect(result.value.url, 302);
}
