// The environment every test process and test server gets: fake Shopify credentials (nothing here
// can reach Shopify) and quiet logs.
export const TEST_API_SECRET = "test-api-secret-0123456789abcdef";
export const TEST_API_KEY = "test-api-key";

export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: "test",
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: "https://app.example.test",
    SCOPES: "read_products,read_inventory,read_orders,read_customers,write_customers",
    LOG_LEVEL: "silent",
    ...overrides,
  };
}
