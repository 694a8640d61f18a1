// Reading database errors as they reach the app: from Prisma (with the driver adapter's cause), from
// node-postgres, from better-sqlite3. Pure, so the rules are tested on plain objects.

interface AdapterCause {
  kind?: string;
  originalCode?: string;
  originalMessage?: string;
  code?: string;
  message?: string;
}

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: AdapterCause } };
  cause?: unknown;
}

const asShape = (error: unknown): ErrorShape | undefined => (typeof error === "object" && error !== null ? (error as ErrorShape) : undefined);

/**
 * One line for a merchant or an operator: the driver's code and message, without Prisma's
 * multi-line invocation text (which quotes the query and the call site).
 */
export function describeDatabaseError(error: unknown): string {
  const shape = asShape(error);
  if (!shape) return String(error).slice(0, 200);
  const cause = shape.meta?.driverAdapterError?.cause;
  if (cause?.originalMessage) return `${cause.originalCode ?? cause.kind ?? "error"}: ${cause.originalMessage}`.slice(0, 200);
  const lastLine = typeof shape.message === "string" ? (shape.message.trim().split("\n").filter(Boolean).pop() ?? "") : String(error);
  const code = cause?.kind && cause.kind !== "GenericJs" ? cause.kind : typeof shape.code === "string" ? shape.code : undefined;
  return (code && !lastLine.includes(code) ? `${code}: ${lastLine}` : lastLine).slice(0, 200);
}

// Prisma's codes for "could not get to the database" (P1xxx connection errors, P2024 pool timeout),
// the driver adapters' kinds for the same, SQLite's lock / disk / I/O result codes, and the socket
// errors node-postgres passes through.
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1011", "P1017", "P2024", "P2034"]);
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TlsConnectionError", "TransactionWriteConflict"]);
const SQLITE_CODE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY|PROTOCOL)/;
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "57P01", "57P03", "53300"]);
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Can't reach database server|Server has closed the connection|database is locked|database or disk is full|Operation has timed out/i;

/**
 * True when the error says the database could not be used right now (unreachable, locked, full,
 * timed out), as opposed to a problem with the query or the data. Such a failure is the
 * infrastructure's, not the job's: it is retried without spending one of the job's attempts.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  const shape = asShape(error);
  if (!shape || depth > 3) return false;
  const code = typeof shape.code === "string" ? shape.code : "";
  if (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLITE_CODE.test(code)) return true;
  const cause = shape.meta?.driverAdapterError?.cause;
  if (cause && (ADAPTER_KINDS.has(cause.kind ?? "") || SQLITE_CODE.test(cause.originalCode ?? "") || SOCKET_CODES.has(cause.originalCode ?? cause.code ?? ""))) return true;
  if (typeof shape.message === "string" && MESSAGES.test(shape.message)) return true;
  return shape.cause !== undefined && isDatabaseUnavailable(shape.cause, depth + 1);
}
