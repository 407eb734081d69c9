/**
 * Builds the embeddable widget (channels/web/widget/src → one minified IIFE) with esbuild. The
 * server builds it once at start-up, in memory, so `/widget.js` always matches the source it runs
 * with; `npm run build:widget` writes the same bytes to dist/widget.js and reports the size.
 */
import { fileURLToPath } from 'node:url';
import { build, stop } from 'esbuild';

const entry = fileURLToPath(new URL('./src/main.ts', import.meta.url));

/** The widget's code. Fails (rejects) on a compile error: the route then answers 500 and logs it. */
export async function buildWidget(): Promise<string> {
  inFlight += 1;
  try {
    return await buildOnce();
  } finally {
    // esbuild keeps a service process (~14 MB) for further builds; a server builds once.
    if (--inFlight === 0) await stop();
  }
}

let inFlight = 0;

async function buildOnce(): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    // Browsers of the last few years (fetch streams and shadow DOM are needed anyway).
    target: 'es2020',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('build widget: esbuild produced no output');
  return file.text;
}
