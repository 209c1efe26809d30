#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/src/cli.mjs', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('prodcheck: the build output is missing; run `npm run build` in the prodcheck folder first.\n');
  process.exit(2);
}
await import(cli.href);
