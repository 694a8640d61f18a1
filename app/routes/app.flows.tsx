import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Page } from "@shopify/polaris";
import { flowAction, flowsOverview } from "~/admin/flows.server";
import { requireShop } from "~/admin/session.server";
import { FlowCard } from "~/components/flow-card";
import { useActionToast } from "~/components/use-action-toast";
import { db } from "~/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  return json(await flowsOverview(db(), shop));
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop, staff } = await requireShop(request);
  const form = await request.formData();
  const result = await flowAction(
    db(),
    shop,
    { intent: form.get("intent"), flow: form.get("flow"), enabled: form.get("enabled") ?? "", autoApprove: form.get("autoApprove") ?? "", offerPercent: form.get("offerPercent") ?? "" },
    staff,
  );
  if (result.ok) return json({ ...result, fieldErrors: {} as Record<string, string> });
  return json({ ...result, message: "Check the highlighted fields" }, { status: 400 });
}

export default function Flows() {
  const { flows, maxPercent, currency, performanceDays } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  useActionToast(result);
  return (
    <Page title="Always-on flows" subtitle="Rules that run by themselves once you switch them on. Each batch is written and checked like any campaign.">
      <TitleBar title="Always-on flows" />
      <BlockStack gap="400">
        {result && !result.ok ? <Banner tone="critical">{result.message}</Banner> : null}
        {result?.ok ? <Banner tone="success">{result.message}</Banner> : null}
        {flows.map((flow) => (
          <FlowCard
            key={flow.id}
            flow={flow}
            maxPercent={maxPercent}
            currency={currency}
            performanceDays={performanceDays}
            errors={result && !result.ok && result.flow === flow.id ? result.fieldErrors : {}}
          />
        ))}
      </BlockStack>
    </Page>
  );
}
