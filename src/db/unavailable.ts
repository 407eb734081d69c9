/**
 * Whether an error means "the database (or Redis) cannot be reached right now" rather than "this
 * request is wrong": refused or dropped connections, connect and statement timeouts, a server
 * shutting down or starting. The HTTP layer answers those 503 with Retry-After instead of 500.
 */

/** SQLSTATE classes and codes: connection exceptions (08), shutdown and startup (57P0x), too many connections, statement timeout. */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '08000', '08001', '08003', '08004', '08006']);
const SYSCALLS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** node-postgres and ioredis say these in messages only. */
const MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /Connection terminated/i,
  /Query read timeout/i,
  /Client has encountered a connection error/i,
  /Connection is closed/i,
  /Stream isn't writeable/i,
  /Reached the max retries per request/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

export function isUnavailableError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const shaped = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof shaped.code === 'string' && (SQLSTATES.has(shaped.code) || SYSCALLS.has(shaped.code))) return true;
    if (typeof shaped.message === 'string' && MESSAGES.some((m) => m.test(shaped.message as string))) return true;
    // AggregateError (a connect to both ::1 and 127.0.0.1 failing) carries its parts in `errors`.
    if (Array.isArray(shaped.errors) && shaped.errors.some((e) => isUnavailableError(e))) return true;
    current = shaped.cause;
  }
  return false;
}
