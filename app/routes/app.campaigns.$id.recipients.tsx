import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { searchRecipients } from "~/admin/campaigns.server";
import { requireShop } from "~/admin/session.server";
import { db } from "~/db.server";

// "Preview as": finds recipients of this campaign by email or first name.
const querySchema = z.object({ q: z.string().max(100).default("") });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return json({ recipients: [] }, { status: 400 });
  return json({ recipients: await searchRecipients(db(), shop, params.id ?? "", parsed.data.q) });
}
