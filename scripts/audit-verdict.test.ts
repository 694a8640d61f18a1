import { describe, expect, it } from "vitest";
import { auditVerdict } from "./audit-verdict.mjs";

const ran = (critical: number, high: number) => ({
  metadata: { vulnerabilities: { critical, high, moderate: 0, low: 0, info: 0, total: critical + high } },
  vulnerabilities: { ...(critical ? { "bad-lib": { name: "bad-lib", severity: "critical", range: "<2.0.1" } } : {}), ...(high ? { "meh-lib": { name: "meh-lib", severity: "high", range: "<1.4.0" } } : {}) },
});

describe("the dependency audit's verdict", () => {
  it("passes an audit that ran clean, and lists high advisories without failing", () => {
    expect(auditVerdict(ran(0, 0), 500)).toEqual({ exitCode: 0, lines: ["npm audit --omit=dev: 500 shipped packages; critical 0, high 0, moderate 0, low 0"] });
    expect(auditVerdict(ran(0, 1), 500)).toMatchObject({ exitCode: 0, lines: [expect.any(String), "  high: meh-lib (<1.4.0)"] });
  });

  it("fails on a critical advisory", () => {
    expect(auditVerdict(ran(1, 0), 500)).toMatchObject({ exitCode: 1, lines: [expect.stringContaining("critical 1"), "  critical: bad-lib (<2.0.1)"] });
  });

  it("says loudly that it did not run when the endpoint answers 405 or nothing", () => {
    const refused = auditVerdict({ message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk" }, 501);
    expect(refused.exitCode).toBe(2);
    expect(refused.lines[0]).toBe("*** DEPENDENCY AUDIT DID NOT RUN: 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk");
    expect(refused.lines[1]).toContain("501 shipped packages were NOT checked");
    expect(auditVerdict({}, 3, "npm error code ENOTFOUND registry").lines[0]).toContain("ENOTFOUND");
    expect(auditVerdict({}, 3).exitCode).toBe(2);
  });
});
