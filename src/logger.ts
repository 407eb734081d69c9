/** The root pino logger; everything else logs through child loggers of it (the core through its Logger port). */
import { pino, type Logger as PinoLogger } from 'pino';

export type RootLogger = PinoLogger;

/** Paths pino blanks in every log line: credentials, auth headers, chat-tokens. */
const redactPaths = [
  'token',
  'chatToken',
  'apiKey',
  'iamToken',
  'password',
  'authorization',
  'req.headers.authorization',
  'req.headers["chat-token"]',
  'req.headers.cookie',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'headers.authorization',
  'headers["chat-token"]',
];

export function createLogger(options: { level: string; destination?: NodeJS.WritableStream }): RootLogger {
  return pino(
    { level: options.level, redact: { paths: redactPaths, censor: '[redacted]' }, base: { pid: process.pid } },
    options.destination ?? process.stdout,
  );
}

/** A chat-token as logs may show it: its first 5 characters. */
export function maskToken(token: string): string {
  return `${token.slice(0, 5)}…`;
}
