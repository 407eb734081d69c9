import { loadConfig } from '../config.js';
import { runClustered } from './cluster.js';

let count: number | undefined;
try {
  const config = loadConfig();
  // Without its services the role refuses to start: one process says so, not one per core.
  count = config.DATABASE_URL && config.REDIS_URL ? config.WEB_CONCURRENCY : 1;
} catch {
  count = 1; // one process, which reports the invalid environment and exits
}
await runClustered('api', count);
