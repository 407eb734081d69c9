/** CoreMetrics and a Logger that go nowhere, for unit tests that do not look at either. */
import type { CoreMetrics, Logger } from '../../src/core/ports.js';

export const noopMetrics: CoreMetrics = {
  modelCall() {},
  reply() {},
  handoff() {},
  handoffAccepted() {},
};

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};
