import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { previewAs, previewSchema } from "~/admin/campaigns.server";
import { requireShop } from "~/admin/session.server";
import { db } from "~/db.server";

// The review page's preview pane: one recipient's email, rendered as it would be sent.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const parsed = previewSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return json({ ok: false as const, message: "Choose a customer to preview" }, { status: 400 });
  const preview = await previewAs(db(), shop, params.id ?? "", parsed.data);
  return json(preview, { status: preview.ok ? 200 : 404 });
}
