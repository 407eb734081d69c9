/**
 * `npm run build:widget`: writes the widget the server serves at /widget.js to dist/widget.js (for a
 * CDN or a static host) and prints its size, raw and gzipped. The server does not need this file:
 * it builds the same bytes in memory at start-up.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { buildWidget } from '../channels/web/widget/build.js';

const code = await buildWidget();
mkdirSync('dist', { recursive: true });
writeFileSync('dist/widget.js', code);
console.log(`dist/widget.js: ${code.length} bytes, ${gzipSync(code, { level: 9 }).length} bytes gzipped`);
