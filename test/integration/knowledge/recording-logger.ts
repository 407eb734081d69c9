/** A Logger that keeps every entry, so a test can wait for "edit refused" and read its fields. */
import type { Logger } from '../../../src/core/ports.js';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message?: string;
}

export class RecordingLogger implements Logger {
  constructor(readonly entries: LogEntry[] = [], private readonly bindings: object = {}) {}

  debug(fields: object, message?: string): void {
    this.record('debug', fields, message);
  }
  info(fields: object, message?: string): void {
    this.record('info', fields, message);
  }
  warn(fields: object, message?: string): void {
    this.record('warn', fields, message);
  }
  error(fields: object, message?: string): void {
    this.record('error', fields, message);
  }
  child(bindings: object): Logger {
    return new RecordingLogger(this.entries, { ...this.bindings, ...bindings });
  }

  /** Entries with this message, oldest first. */
  withMessage(message: string): LogEntry[] {
    return this.entries.filter((e) => e.message === message);
  }

  private record(level: LogEntry['level'], fields: object, message?: string): void {
    this.entries.push({ level, fields: { ...this.bindings, ...fields }, message });
  }
}
