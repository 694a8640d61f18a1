#!/usr/bin/env node
// Cuts the ESP operations our adapters call out of the publishers' full OpenAPI documents (which live
// outside the repository, in ../shared/specs) into small fragments under tests/fixtures/esp-specs/, so a
// fresh clone can run the contract tests. Operations and schemas are copied verbatim; only unreferenced
// paths and components are dropped, so every `#/components/...` $ref in a fragment still resolves.
//
//   node scripts/extract-esp-specs.mjs [specs-dir]      (default: ../shared/specs)

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const specsDir = resolve(process.argv[2] ?? join(root, "..", "shared", "specs"));
const outDir = join(root, "tests", "fixtures", "esp-specs");

/** What each adapter calls: file in specsDir → fragment name + operations (method, path). */
const PLAN = [
  {
    source: "klaviyo/stable.json",
    out: "klaviyo.json",
    operations: [
      ["post", "/api/events"],
      ["post", "/api/event-bulk-create-jobs"],
      ["post", "/api/profile-subscription-bulk-create-jobs"],
      ["get", "/api/accounts"],
      ["post", "/api/data-privacy-deletion-jobs"],
    ],
  },
  {
    source: "sendgrid/tsg_mail_v3.json",
    out: "sendgrid-mail.json",
    operations: [["post", "/v3/mail/send"]],
  },
  {
    source: "postmark/server-api.openapi3.json",
    out: "postmark.json",
    operations: [
      ["post", "/email"],
      ["post", "/email/batch"],
      ["get", "/server"],
    ],
  },
];

function decodePointer(ref) {
  if (!ref.startsWith("#/")) throw new Error(`Only local $refs are supported, got ${ref}`);
  return ref
    .slice(2)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function lookup(doc, ref) {
  let node = doc;
  for (const key of decodePointer(ref)) {
    node = node?.[key];
    if (node === undefined) throw new Error(`Unresolvable $ref ${ref}`);
  }
  return node;
}

/** Every local $ref reachable from `node`, following refs transitively. */
function collectRefs(doc, node, seen = new Set()) {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(doc, item, seen);
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && !seen.has(value)) {
        seen.add(value);
        collectRefs(doc, lookup(doc, value), seen);
      } else {
        collectRefs(doc, value, seen);
      }
    }
  }
  return seen;
}

function setAt(target, path, value) {
  let node = target;
  for (const key of path.slice(0, -1)) node = node[key] ??= {};
  node[path.at(-1)] = value;
}

function extract({ source, operations }) {
  const doc = JSON.parse(readFileSync(join(specsDir, source), "utf8"));
  const fragment = {
    openapi: doc.openapi,
    info: {
      ...doc.info,
      "x-fragment-of": source,
      "x-fragment-note": "Subset extracted by scripts/extract-esp-specs.mjs; see ATTRIBUTION.md.",
    },
    ...(doc.servers ? { servers: doc.servers } : {}),
    ...(doc.security ? { security: doc.security } : {}),
    paths: {},
    components: {},
  };
  for (const [method, path] of operations) {
    const operation = doc.paths?.[path]?.[method];
    if (!operation) throw new Error(`${source}: no ${method.toUpperCase()} ${path}`);
    fragment.paths[path] ??= {};
    // Path-level parameters apply to every operation under the path.
    if (doc.paths[path].parameters) fragment.paths[path].parameters = doc.paths[path].parameters;
    fragment.paths[path][method] = operation;
  }
  for (const ref of collectRefs(doc, fragment.paths)) setAt(fragment, decodePointer(ref), lookup(doc, ref));
  if (doc.components?.securitySchemes) fragment.components.securitySchemes = doc.components.securitySchemes;
  // Self-check: every $ref in the fragment resolves inside the fragment.
  collectRefs(fragment, fragment);
  return fragment;
}

mkdirSync(outDir, { recursive: true });
for (const item of PLAN) {
  const fragment = extract(item);
  const text = `${JSON.stringify(fragment, null, 1)}\n`;
  writeFileSync(join(outDir, item.out), text);
  console.log(`${item.out}: ${Object.keys(fragment.paths).length} paths, ${Math.round(text.length / 1024)} KB`);
}
