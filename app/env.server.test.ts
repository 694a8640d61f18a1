import { describe, expect, it } from "vitest";
import { testEnv } from "../tests/support/env";
import { parseEnv } from "./env.server";

describe("environment", () => {
  it("refuses production without ENCRYPTION_KEYS (Shopify tokens and ESP credentials would be stored in plain text)", () => {
    expect(() => parseEnv({ ...testEnv(), NODE_ENV: "production" } as NodeJS.ProcessEnv)).toThrow(/ENCRYPTION_KEYS is required in production/);
    expect(parseEnv({ ...testEnv(), NODE_ENV: "production", ENCRYPTION_KEYS: "k1:AAAA" } as NodeJS.ProcessEnv).NODE_ENV).toBe("production");
    expect(parseEnv(testEnv() as NodeJS.ProcessEnv).ENCRYPTION_KEYS).toBeUndefined(); // development and tests may run without
  });
});
