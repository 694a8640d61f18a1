import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { PublicPage } from "~/components/public-page";
import { db } from "~/db.server";
import { checkUnsubscribeToken, unsubscribe } from "~/delivery/feedback.server";
import { appLinkKey } from "~/delivery/link-key.server";
import { jobQueue } from "~/jobs/runtime.server";

// GET shows a confirmation (link scanners must not unsubscribe anyone); POST unsubscribes, both from
// the page's button and from a mailbox's RFC 8058 one-click request.

export async function loader({ params }: LoaderFunctionArgs) {
  const checked = await checkUnsubscribeToken(db(), params.token ?? "", appLinkKey());
  if (!checked.ok) throw new Response("This unsubscribe link is not valid.", { status: checked.status });
  return json({ email: checked.value.email, shopName: checked.value.shopName });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const result = await unsubscribe(db(), jobQueue(), params.token ?? "", appLinkKey());
  if (!result.ok) return new Response("This unsubscribe link is not valid.", { status: result.status });
  const body = await request.text();
  // A mailbox's one-click request wants a status, not a page.
  if (body.includes("List-Unsubscribe=One-Click")) return new Response("Unsubscribed", { status: 200 });
  return json({ done: true });
}

export default function Unsubscribe() {
  const { email, shopName } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  return done ? (
    <PublicPage title="You're unsubscribed">
      <p>
        {email} will not receive marketing emails from {shopName} any more.
      </p>
    </PublicPage>
  ) : (
    <PublicPage title={`Unsubscribe from ${shopName}?`}>
      <p>{email} will stop receiving marketing emails from {shopName}. Order and shipping emails are not affected.</p>
      <Form method="post">
        <button type="submit" style={{ padding: "10px 20px", fontSize: 16, borderRadius: 6, border: "1px solid #1f2933", background: "#1f2933", color: "#fff" }}>
          Unsubscribe
        </button>
      </Form>
    </PublicPage>
  );
}
