/**
 * Starts one of the knowledge module's worker threads. Started from TypeScript sources (tsx,
 * vitest), the worker must first register tsx's loader itself: Node 20 does not pass `--import`
 * loader hooks on to worker threads. A compiled build runs the `.js` file as it is.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

const fromSource = import.meta.url.endsWith('.ts');
// Resolved once at import: under tsx a require.resolve waits on the loader thread, which is
// busy while a worker starts. tsx's ESM API is exported for `import` as .mjs beside the .cjs.
const tsxApi = fromSource ? pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs') : '';

/** The worker of `name` (a module of this folder, without extension). */
export function startWorker(name: 'catalog-worker', resourceLimits?: ResourceLimits): Worker {
  if (!fromSource) return new Worker(new URL(`./${name}.js`, import.meta.url), { resourceLimits });
  const entry = new URL(`./${name}.ts`, import.meta.url).href;
  const boot = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { resourceLimits });
}
