import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, ButtonGroup, Card, InlineGrid, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";

// The review page's "preview as a customer": any recipient of the audience (a sample, or found by
// email or first name), any subject variant, desktop or mobile width. The email is rendered by the
// delivery code on the server (the preview route) and shown in a sandboxed frame.

type PreviewData = { ok: true; subject: string; previewText: string; html: string } | { ok: false; message: string };

/** `segment`: the interest of the recipient's segment, whose draft they get (ADR 018). */
type Recipient = { id: string; email: string; firstName: string | null; holdout?: boolean; segment?: string | null };

export function RecipientPreview({ sample, step, variants }: { sample: Recipient[]; step: number; variants: number }) {
  const fetcher = useFetcher<PreviewData>();
  const search = useFetcher<{ recipients: Recipient[] }>();
  const [recipient, setRecipient] = useState(sample[0]?.id ?? "");
  const [query, setQuery] = useState("");
  const [variant, setVariant] = useState("0");
  const [width, setWidth] = useState<"desktop" | "mobile">("desktop");
  const { load } = fetcher;
  useEffect(() => {
    if (recipient) load(`preview?recipientId=${encodeURIComponent(recipient)}&step=${step}&variant=${variant}`);
  }, [recipient, step, variant, load]);
  const { load: find } = search;
  useEffect(() => {
    if (!query.trim()) return;
    const timer = setTimeout(() => find(`recipients?q=${encodeURIComponent(query)}`), 250);
    return () => clearTimeout(timer);
  }, [query, find]);
  const found = query.trim() && search.data ? search.data.recipients : [];
  // The chosen recipient stays in the list while the search results change around it.
  const choices = [...found, ...sample.filter((r) => !found.some((f) => f.id === r.id))];
  const data = fetcher.data;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h3" variant="headingSm">
          Preview as a customer
        </Text>
        <InlineGrid columns={{ xs: 1, md: "2fr 2fr 1fr auto" }} gap="200" alignItems="end">
          <TextField label="Find a customer" placeholder="Email or first name" value={query} onChange={setQuery} autoComplete="off" clearButton onClearButtonClick={() => setQuery("")} />
          <Select
            label="Customer"
            options={choices.map((r) => ({ label: `${r.firstName ? `${r.firstName} · ` : ""}${r.email}${r.segment ? ` · ${r.segment}` : ""}${r.holdout ? " (holdout)" : ""}`, value: r.id }))}
            value={recipient}
            onChange={setRecipient}
          />
          <Select label="Subject" options={Array.from({ length: variants }, (_, i) => ({ label: `Variant ${i + 1}`, value: String(i) }))} value={variant} onChange={setVariant} />
          <ButtonGroup variant="segmented">
            <Button pressed={width === "desktop"} onClick={() => setWidth("desktop")}>
              Desktop
            </Button>
            <Button pressed={width === "mobile"} onClick={() => setWidth("mobile")}>
              Mobile
            </Button>
          </ButtonGroup>
        </InlineGrid>
        {data && data.ok ? (
          <BlockStack gap="200">
            <Text as="p">
              <b>{data.subject}</b> <Text as="span" tone="subdued">— {data.previewText}</Text>
            </Text>
            <Box borderWidth="025" borderColor="border" borderRadius="200" background="bg-surface-secondary" padding="200">
              {/* The email in a sandbox: no scripts, its own document. */}
              <iframe title="Email preview" sandbox="" srcDoc={data.html} style={{ width: width === "desktop" ? "100%" : 375, height: 720, border: 0, display: "block", margin: "0 auto", background: "#fff" }} />
            </Box>
          </BlockStack>
        ) : data && !data.ok ? (
          <Banner tone="warning">{data.message}</Banner>
        ) : (
          <Text as="p" tone="subdued">
            Loading preview…
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
