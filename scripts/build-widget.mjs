// Bundles the browser widget (src/widget/main.ts) into one minified script,
// dist/widget/widget.js, that the server serves as /widget.js, and copies the
// demo shop page beside it. Run by `npm run build` after the server's tsc.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/widget');

await build({
  entryPoints: [join(root, 'src/widget/main.ts')],
  outfile: join(out, 'widget.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  // Shops' customers bring old phones; ES2019 runs on all of them that can run the chat at all.
  target: 'es2019',
  legalComments: 'none',
  logLevel: 'warning',
});
mkdirSync(out, { recursive: true });
copyFileSync(join(root, 'src/widget/demo.html'), join(out, 'demo.html'));

const bundle = readFileSync(join(out, 'widget.js'));
console.log(`dist/widget/widget.js: ${bundle.length} bytes, ${gzipSync(bundle).length} gzipped`);
