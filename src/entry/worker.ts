import { runRole } from './run-role.js';

await runRole('worker');
