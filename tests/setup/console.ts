import { afterEach, beforeEach, vi } from "vitest";

// An unexpected console.error fails the test (Epic Stack convention). A test that expects one
// replaces the spy with its own: vi.spyOn(console, "error").mockImplementation(() => {}).
beforeEach(() => {
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    throw new Error(`console.error was called: ${args.map(String).join(" ")}`);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
