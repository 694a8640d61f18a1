import { ApiVersion } from "@shopify/shopify-api";

// Pinned: webhook payloads, bulk queries and the test fixtures are all of this version (ADR 001).
export const SHOPIFY_API_VERSION = ApiVersion.April26;
