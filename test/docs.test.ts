import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../rules';
import { renderRulePage, renderRuleTable, replaceRuleTable } from '../src/docs';

const ROOT = path.join(__dirname, '..');

describe('generated docs', () => {
  test.each(allRules.map((rule) => [rule.meta.id, rule] as const))('page %s up to date', (id, rule) => {
    const file = path.join(ROOT, 'docs', 'rules', `${id}.md`);
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(renderRulePage(rule));
  });

  test('page sections in order', () => {
    const page = renderRulePage(allRules[0]);
    const headings = page.split('\n').filter((line) => line.startsWith('## '));
    expect(headings.slice(0, 4)).toEqual(['## What it does', '## Why it matters', '## Example', '## Use instead']);
    expect(headings[headings.length - 1]).toBe('## Known limitations');
  });

  test('README rule table up to date', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(replaceRuleTable(readme, renderRuleTable(allRules))).toBe(readme);
  });

  test('no page without a rule', () => {
    const pages = fs.readdirSync(path.join(ROOT, 'docs', 'rules')).filter((name) => name.endsWith('.md'));
    expect(pages.sort()).toEqual(allRules.map((rule) => `${rule.meta.id}.md`).sort());
  });
});
