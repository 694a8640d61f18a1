import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { sendIdSchema, sendReasons } from "~/admin/send-reasons.server";
import { requireShop } from "~/admin/session.server";
import { WhySent } from "~/components/why-sent";
import { db } from "~/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const parsed = sendIdSchema.safeParse(params);
  if (!parsed.success) throw new Response("Message not found", { status: 404 });
  const reasons = await sendReasons(db(), shop, parsed.data.id);
  if (!reasons) throw new Response("Message not found", { status: 404 });
  return reasons;
}

export default function SendReasonsPage() {
  const { send, campaign, why, productTitles } = useLoaderData<typeof loader>();
  return (
    <Page backAction={{ content: "Activity", url: "/app/activity" }} title={`Why this email: ${send.email}`} subtitle={`${campaign?.title ?? send.campaignId} · email ${send.step + 1} · ${send.status}`}>
      <TitleBar title="Why this email" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {send.skipReason ? <Banner tone="warning">Not sent: {send.skipReason}</Banner> : null}
            {why.ok ? <WhySent why={why.why} productTitles={productTitles} /> : <Banner tone="info">{why.reason}</Banner>}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
