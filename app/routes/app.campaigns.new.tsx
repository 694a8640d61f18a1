import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, ChoiceList, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { goalFormInput, goalFormOptions, proposeGoalCampaign } from "~/admin/goal-campaigns.server";
import { requireShop } from "~/admin/session.server";
import { AUDIENCE_LABELS, OBJECTIVE_LABELS, OBJECTIVES } from "~/campaigns/goals";
import { useActionToast } from "~/components/use-action-toast";
import { db } from "~/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  return json(await goalFormOptions(db(), shop));
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShop(request);
  const result = await proposeGoalCampaign(db(), shop, goalFormInput(await request.formData()));
  if (result.ok) return json({ ok: true as const, message: "Campaign proposed", campaignId: result.campaignId, fieldErrors: {} as Record<string, string> });
  return json({ ok: false as const, message: "Check the highlighted fields", campaignId: null, fieldErrors: result.fieldErrors }, { status: 400 });
}

const SHOWN_PRODUCTS = 30;

export default function NewCampaign() {
  const { products, collections, segments, maxPercent } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  useActionToast(result);
  const navigate = useNavigate();
  const navigation = useNavigation();
  const errors = result?.fieldErrors ?? {};
  const [objective, setObjective] = useState<string>("launch");
  const [audience, setAudience] = useState<string>("active");
  const [collectionId, setCollectionId] = useState("");
  const [offerPercent, setOfferPercent] = useState("0");
  const [search, setSearch] = useState("");
  const [selected, setSelected] = useState<string[]>([]);

  useEffect(() => {
    if (result?.ok && result.campaignId) navigate(`/app/campaigns/${result.campaignId}`);
  }, [result, navigate]);

  const audienceOptions = segments.map((segment) =>
    segment.audience === "affinity"
      ? { label: `Loves ${segment.key} (${segment.dimension === "vendor" ? "vendor" : "product type"}), ${segment.size} customers`, value: `affinity:${segment.dimension}:${segment.key}` }
      : { label: `${AUDIENCE_LABELS[segment.audience]}, ${segment.size} customers`, value: segment.audience },
  );
  const visibleProducts = useMemo(() => {
    const query = search.trim().toLowerCase();
    const matching = products.filter((product) => !query || `${product.title} ${product.productType} ${product.vendor}`.toLowerCase().includes(query));
    // Chosen products stay visible so they can be unticked.
    return [...products.filter((product) => selected.includes(product.id)), ...matching.filter((product) => !selected.includes(product.id)).slice(0, SHOWN_PRODUCTS)];
  }, [products, search, selected]);

  return (
    <Page backAction={{ content: "Campaigns", url: "/app/campaigns" }} title="New campaign" subtitle="Say what you want to achieve; we propose the emails, the audience and the timing for you to review.">
      <TitleBar title="New campaign" />
      <Form method="post">
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {result && !result.ok ? <Banner tone="critical">{result.message}</Banner> : null}
              <Card>
                <FormLayout>
                  <Select
                    label="Objective"
                    name="objective"
                    options={OBJECTIVES.map((value) => ({ label: OBJECTIVE_LABELS[value], value }))}
                    value={objective}
                    onChange={setObjective}
                    error={errors.objective}
                  />
                  <Select label="Audience" name="audience" options={audienceOptions} value={audience} onChange={setAudience} error={errors.audience ?? errors.affinityKey} />
                  <TextField
                    label="Offer (percent off, 0 for none)"
                    name="offerPercent"
                    type="number"
                    min={0}
                    value={offerPercent}
                    onChange={setOfferPercent}
                    autoComplete="off"
                    helpText={maxPercent > 0 ? `Your discount policy allows up to ${maxPercent}%.` : "Your discount policy allows no discounts."}
                    error={errors.offerPercent}
                  />
                </FormLayout>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingSm">
                    Products (optional except for a launch or clearing stock)
                  </Text>
                  <Select
                    label="Or a collection"
                    name="collectionId"
                    options={[{ label: "No collection", value: "" }, ...collections.map((c) => ({ label: c.title, value: c.id }))]}
                    value={collectionId}
                    onChange={setCollectionId}
                    error={errors.collectionId}
                  />
                  <TextField label="Search products" value={search} onChange={setSearch} autoComplete="off" clearButton onClearButtonClick={() => setSearch("")} />
                  <ChoiceList
                    title="Products"
                    titleHidden
                    allowMultiple
                    choices={visibleProducts.map((product) => ({
                      label: product.title,
                      value: product.id,
                      helpText: [product.productType, product.vendor, product.status === "draft" ? "draft" : ""].filter(Boolean).join(" · "),
                    }))}
                    selected={selected}
                    onChange={setSelected}
                    error={errors.productIds}
                  />
                  {selected.map((id) => (
                    <input key={id} type="hidden" name="productIds" value={id} />
                  ))}
                </BlockStack>
              </Card>
              <InlineStack align="end">
                <Button submit variant="primary" loading={navigation.state !== "idle"}>
                  Propose campaign
                </Button>
              </InlineStack>
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  What happens next
                </Text>
                <Text as="p">
                  We plan the emails for your objective (a launch gets a teaser, an explainer and a last call; onboarding a three-email welcome series over a week), pick the timing,
                  write every email from your catalogue in your brand voice, and explain each choice. The campaign waits for your review; nothing is sent until you approve it.
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}
