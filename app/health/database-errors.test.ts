import { describe, expect, it } from "vitest";
import { describeDatabaseError, isDatabaseUnavailable } from "./database-errors";

// Error shapes as they were seen in the fault runs (Prisma with the driver adapters, node-postgres,
// better-sqlite3), reduced to the fields the rules read.

const prisma = (code: string, cause: Record<string, string>, message = "\nInvalid `prisma.job.updateMany()` invocation:\n\n\nOperation has timed out") =>
  Object.assign(new Error(message), { code, meta: { driverAdapterError: { cause } } });

describe("isDatabaseUnavailable", () => {
  it("recognises a locked or full SQLite database", () => {
    expect(isDatabaseUnavailable(prisma("P1008", { kind: "SocketTimeout", originalCode: "SQLITE_BUSY", originalMessage: "database is locked" }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }))).toBe(true);
  });

  it("recognises PostgreSQL out of reach", () => {
    expect(isDatabaseUnavailable(prisma("P1001", { kind: "DatabaseNotReachable" }, "Can't reach database server at 127.0.0.1:5432"))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Query read timeout"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("wrapped", { cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }) }))).toBe(true);
  });

  it("does not excuse errors of the query or the data", () => {
    expect(isDatabaseUnavailable(prisma("P2002", { kind: "UniqueConstraintViolation" }, "Unique constraint failed"))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("NOT NULL constraint failed: Job.name"), { code: "SQLITE_CONSTRAINT_NOTNULL" }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined"))).toBe(false);
    expect(isDatabaseUnavailable("boom")).toBe(false);
  });
});

describe("describeDatabaseError", () => {
  it("gives one line with the driver's code, never Prisma's invocation text", () => {
    expect(describeDatabaseError(prisma("P1008", { kind: "SocketTimeout", originalCode: "SQLITE_BUSY", originalMessage: "database is locked" }))).toBe("SQLITE_BUSY: database is locked");
    expect(describeDatabaseError(prisma("P1001", { kind: "DatabaseNotReachable" }, "\nInvalid `t=Object.create(...)` invocation:\n\nCan't reach database server at 127.0.0.1:1"))).toBe("DatabaseNotReachable: Can't reach database server at 127.0.0.1:1");
    expect(describeDatabaseError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBe("connect ECONNREFUSED 127.0.0.1:5432");
    expect(describeDatabaseError(Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }))).toBe("SQLITE_FULL: database or disk is full");
  });
});
