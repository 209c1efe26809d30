import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | null = null;

/** Returns prodcheck's version from its package.json, found by walking up from this file (it runs from `src/` and `dist/src/`). */
export function toolVersion(): string {
  if (cached) return cached;

  for (let folder = __dirname; ; folder = path.dirname(folder)) {
    const candidate = path.join(folder, 'package.json');
    if (fs.existsSync(candidate)) {
      const manifest = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'prodcheck' && manifest.version) {
        cached = manifest.version;
        return cached;
      }
    }
    if (path.dirname(folder) === folder) return '0.0.0';
  }
}
