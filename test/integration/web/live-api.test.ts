/** The widget's routes with Redis (live events over pub/sub) and without (in process). */
import { liveApiContract } from './live-api.contract.js';

liveApiContract('PostgreSQL + Redis', {});
liveApiContract('PostgreSQL, no Redis (in-process queue and events)', { REDIS_URL: undefined });
