import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The production image runs `npm prune --omit=dev` (Dockerfile), and the dependency audit checks
// `--omit=dev`: every package the built server, the worker or the deploy script loads at run time
// must be a declared dependency, not a devDependency that happens to be installed here (liquidjs
// was one: every campaign render would have failed in production). `npm test` builds first.

const root = join(import.meta.dirname, "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
const builtins = new Set(builtinModules);

function packagesImportedBy(file: string): string[] {
  const source = readFileSync(join(root, file), "utf8");
  const specifiers = [
    ...source.matchAll(/^import\s(?:[^;]*?\sfrom\s*)?"([^"]+)";?$/gm),
    ...source.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
  ].map((match) => match[1]);
  const packages = specifiers
    .filter((specifier) => !specifier.startsWith(".") && !specifier.startsWith("node:") && !specifier.startsWith("/"))
    .map((specifier) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/"))
    .filter((name) => !builtins.has(name));
  return [...new Set(packages)].sort();
}

describe("run-time imports are production dependencies", () => {
  it.each(["build/index.js", "server.mjs", "worker.mjs", "scripts/db.mjs"])("%s", (file) => {
    const imported = packagesImportedBy(file);
    if (file === "build/index.js") expect(imported.length).toBeGreaterThan(10);
    expect(imported.filter((name) => !(name in manifest.dependencies))).toEqual([]);
  });
});
