#!/usr/bin/env node
// Writes docs/rules/<id>.md for every rule and the rule table of README.md from the rule metadata.
// Run after `npm run build`; `npm run docs` does both.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { allRules } = require(join(root, 'dist', 'rules', 'index.js'));
const docs = require(join(root, 'dist', 'src', 'docs.js'));

const folder = join(root, 'docs', 'rules');
mkdirSync(folder, { recursive: true });
const wanted = new Set(allRules.map((rule) => `${rule.meta.id}.md`));
for (const name of readdirSync(folder)) {
  if (name.endsWith('.md') && !wanted.has(name)) rmSync(join(folder, name));
}
for (const rule of allRules) writeFileSync(join(folder, `${rule.meta.id}.md`), docs.renderRulePage(rule));

writeFileSync(join(root, 'docs', 'prodcheck.schema.json'), docs.renderConfigSchema(allRules));

const readmePath = join(root, 'README.md');
writeFileSync(readmePath, docs.replaceRuleTable(readFileSync(readmePath, 'utf8'), docs.renderRuleTable(allRules)));
process.stdout.write(`Wrote ${allRules.length} rule pages, the configuration schema and the README rule table.\n`);
