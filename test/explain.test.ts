import { allRules } from '../rules';
import { renderRulePage } from '../src/docs';
import { editDistance, explainRule, nearestId } from '../src/explain';

describe('explain rule', () => {
  test('known rule page', () => {
    const rule = allRules.find((candidate) => candidate.meta.id === 'dockerfile-user-root')!;

    expect(explainRule('dockerfile-user-root', allRules)).toEqual({ page: renderRulePage(rule) });
  });

  test('typo suggests nearest', () => {
    const result = explainRule('dockerfile-user-rot', allRules);

    expect(result).toEqual({ error: '`dockerfile-user-rot` is not a rule id. Did you mean `dockerfile-user-root`? Run `prodcheck rules` to list the rules.' });
  });

  test('upper case suggests id', () => {
    const result = explainRule('FLASK-DEV-SERVER', allRules);

    expect(result).toEqual({ error: expect.stringContaining('Did you mean `flask-dev-server`?') });
  });

  test('unrelated text suggests nothing', () => {
    const result = explainRule('kubernetes', allRules);

    expect(result).toEqual({ error: '`kubernetes` is not a rule id. Run `prodcheck rules` to list the rules.' });
  });

  test('file problem page', () => {
    const result = explainRule('file-skipped', allRules);

    expect(result).toEqual({ page: expect.stringMatching(/^# file-skipped\n\nA file could not be read/) });
  });
});

describe('edit distance', () => {
  test.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['flask-dev-servr', 'flask-dev-server', 1],
  ])('%s to %s', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
  });

  test('nearest of none', () => {
    expect(nearestId('anything', [])).toBeNull();
  });
});
