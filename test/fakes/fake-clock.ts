/** A Clock that moves only when the test says so. */
import type { Clock } from '../../src/core/ports.js';

export class FakeClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-11-26T10:00:00Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
