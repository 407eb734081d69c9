import { loadConfig } from '../config.js';
import { runClustered } from './cluster.js';

let count: number | undefined;
try {
  count = loadConfig().WEB_CONCURRENCY;
} catch {
  count = 1; // one process, which reports the invalid environment and exits
}
await runClustered('api', count);
