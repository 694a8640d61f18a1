import { Badge, BlockStack, Box, Button, ButtonGroup, InlineStack, Text } from "@shopify/polaris";

// The review page's segments (ADR 018): who each segment is, why its tone, which products its copy
// names, and which draft the editor below shows. Without segments, why there is one copy.

export interface SegmentView {
  id: string;
  interest: string;
  size: number;
  why: string;
  tone: string | null;
  toneBecause: string;
  products: string[];
}

export function SegmentPicker({ note, segments, rest, brandTone, selected, onSelect }: {
  note: string;
  segments: SegmentView[];
  /** Recipients in no segment (they get the general draft). */
  rest: number;
  brandTone: string;
  selected: string | null;
  onSelect: (segment: string | null) => void;
}) {
  if (!segments.length) {
    return note ? (
      <Text as="p" tone="subdued">
        {note}
      </Text>
    ) : null;
  }
  const current = segments.find((segment) => segment.id === selected);
  return (
    <BlockStack gap="200">
      <Text as="p" tone="subdued">
        {note} Each segment has its own copy for every email.
      </Text>
      <ButtonGroup variant="segmented">
        {segments.map((segment) => (
          <Button key={segment.id} pressed={selected === segment.id} onClick={() => onSelect(segment.id)}>
            {`${segment.interest} · ${segment.size.toLocaleString()}`}
          </Button>
        ))}
        <Button pressed={selected === null} onClick={() => onSelect(null)}>
          {`Everyone else · ${rest.toLocaleString()}`}
        </Button>
      </ButtonGroup>
      <Box background="bg-surface-secondary" padding="300" borderRadius="200">
        {current ? (
          <BlockStack gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Text as="p" fontWeight="semibold">
                {current.why}
              </Text>
              <Badge tone={current.tone ? "info" : undefined}>{`tone: ${current.tone ?? brandTone}`}</Badge>
            </InlineStack>
            <Text as="p" tone="subdued">
              Tone: {current.toneBecause}.
            </Text>
            {current.products.length ? (
              <Text as="p" tone="subdued">
                Its copy names: {current.products.join(", ")}.
              </Text>
            ) : null}
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            The general copy: for recipients in no segment{rest ? "" : " (none in this audience; it is kept as the fallback)"}, in the brand&apos;s {brandTone} tone.
          </Text>
        )}
      </Box>
    </BlockStack>
  );
}
