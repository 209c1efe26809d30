import { allRules } from '../rules';
import { checkFiles } from './helpers';

const ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;

describe.each(allRules.map((rule) => [rule.meta.id, rule] as const))('rule %s', (id, rule) => {
  test('metadata complete', () => {
    expect(id).toMatch(ID_PATTERN);
    expect(rule.meta.description.length).toBeGreaterThan(10);
    expect(rule.meta.description).not.toMatch(/\.$/);
    expect(rule.meta.docs.whatItDoes.trim()).not.toBe('');
    expect(rule.meta.docs.whyItMatters.trim()).not.toBe('');
    expect(rule.meta.docs.useInstead.trim()).not.toBe('');
    expect(Object.keys(rule.meta.docs.examples.bad).length).toBeGreaterThan(0);
    expect(Object.keys(rule.meta.docs.examples.good).length).toBeGreaterThan(0);
    if (rule.meta.fixable !== 'none') expect(rule.meta.docs.fixSafety?.trim()).toBeTruthy();
  });

  test('bad example reports', () => {
    const findings = checkFiles(rule.meta.docs.examples.bad, [id]);
    expect(findings.filter((finding) => finding.ruleId === id).length).toBeGreaterThan(0);
  });

  test('good example stays silent', () => {
    const findings = checkFiles(rule.meta.docs.examples.good, [id]);
    expect(findings.filter((finding) => finding.ruleId === id)).toEqual([]);
  });
});

test('rule ids unique', () => {
  const ids = allRules.map((rule) => rule.meta.id);
  expect(new Set(ids).size).toBe(ids.length);
});
