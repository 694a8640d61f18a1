// The decision of scripts/audit-deps.mjs, apart from running npm (scripts/audit-verdict.test.ts).
// `report` is `npm audit --json` output (or its error object), `packages` the number of shipped packages.
export function auditVerdict(report, packages, stderr = "") {
  const counts = report?.metadata?.vulnerabilities;
  if (!counts) {
    const reason =
      [report?.error?.summary, report?.message, stderr.split("\n").find((line) => /audit|405|ENOTFOUND|ETIMEDOUT/.test(line))].find((text) => typeof text === "string" && text.trim()) ??
      "npm audit gave no report";
    return {
      exitCode: 2,
      lines: [`*** DEPENDENCY AUDIT DID NOT RUN: ${reason}`, `*** ${packages} shipped packages were NOT checked against any advisory database. This is not a pass.`],
    };
  }
  const advisories = Object.values(report.vulnerabilities ?? {});
  const named = (severity) => advisories.filter((entry) => entry.severity === severity).map((entry) => `${entry.name} (${entry.range ?? "?"})`);
  const lines = [`npm audit --omit=dev: ${packages} shipped packages; critical ${counts.critical}, high ${counts.high}, moderate ${counts.moderate}, low ${counts.low}`];
  for (const severity of ["critical", "high"]) if (named(severity).length) lines.push(`  ${severity}: ${named(severity).join(", ")}`);
  return { exitCode: counts.critical > 0 ? 1 : 0, lines };
}
