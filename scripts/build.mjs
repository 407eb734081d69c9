/**
 * `npm run build`: compiles src/ and channels/ to dist/ with tsc (tsconfig.build.json) and copies
 * the files beside them that the code reads at run time (the demo page, the widget's sources, …). Production runs the
 * compiled JavaScript with plain `node`: no TypeScript loader in memory, no compile at start.
 *
 * `--if-stale` (prepare, prestart): builds only when a source file is newer than the last build,
 * and quietly keeps the existing build where TypeScript is not installed (a production install
 * without dev dependencies, the Docker image). Plain JavaScript because it runs before any build.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDirs = ['src', 'channels'];
const stamp = join(root, 'dist', '.tsbuildinfo');

function* files(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

const sources = sourceDirs.flatMap((dir) => [...files(join(root, dir))]);
const inputs = [...sources, join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json'), join(root, 'package.json')];

if (process.argv.includes('--if-stale')) {
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  const stale = sources.length > 0 && inputs.some((file) => existsSync(file) && statSync(file).mtimeMs > built);
  if (!stale) process.exit(0);
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    if (built) process.exit(0);
    console.error('build: dist/ is missing and TypeScript is not installed: run `npm install` (with dev dependencies), then `npm run build`');
    process.exit(1);
  }
  build(tsc);
} else {
  build(createRequire(import.meta.url).resolve('typescript/bin/tsc'));
}

function build(tsc) {
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  for (const file of sources) {
    // The widget's sources are bundled by esbuild when the server starts (channels/web/widget/build.ts), so they ship as they are.
    if (file.endsWith('.ts') && !file.includes(`${join('web', 'widget', 'src')}`)) continue;
    const target = join(root, 'dist', relative(root, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
}
