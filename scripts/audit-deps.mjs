#!/usr/bin/env node
// npm run audit:deps — the shipped (non-dev) dependencies of the lockfile against npm's advisory
// database (`npm audit --omit=dev`). Exit codes:
//   0  the audit ran and found no critical advisory (high ones are listed, not fatal);
//   1  the audit ran and found a critical advisory in a shipped dependency;
//   2  THE AUDIT DID NOT RUN: the advisory endpoint did not answer (this machine's registry answers
//      POST /-/npm/v1/security/advisories/bulk with 405). Never read as a pass.
// .ci/run calls it: 1 fails CI; 2 fails CI only with AUDIT_REQUIRED=1 (set it where CI can reach the
// endpoint), and otherwise prints a banner, because a CI that is red for a reason nobody can fix here
// teaches everyone to ignore red.
import { spawnSync } from "node:child_process";
import { auditVerdict } from "./audit-verdict.mjs";

const run = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
let report;
try {
  report = JSON.parse(run.stdout || "{}");
} catch {
  report = {};
}
const shipped = spawnSync("npm", ["ls", "--omit=dev", "--all", "--parseable"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
const packages = new Set(shipped.stdout.split("\n").filter((line) => line.includes("node_modules"))).size;
const verdict = auditVerdict(report, packages, run.stderr);
(verdict.exitCode === 2 ? console.error : console.log)(verdict.lines.join("\n"));
process.exit(verdict.exitCode);
