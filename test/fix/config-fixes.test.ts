import { allRules } from '../../rules';
import { fixSystem } from '../../src/fix/loop';
import { systemFromMemory } from '../../src/system';

function fixed(files: Record<string, string>, ruleId: string) {
  const rules = allRules.filter((rule) => rule.meta.id === ruleId);
  const first = fixSystem(systemFromMemory(files), { rules, unsafe: true, existsOnDisk: () => false });
  const result: Record<string, string> = { ...files };
  for (const change of first.changes) result[change.relPath] = change.fixed.text;

  const second = fixSystem(systemFromMemory(result), { rules, unsafe: true, existsOnDisk: () => false });
  return { first, second, result };
}

describe('config fixes', () => {
  test('debug set to false', () => {
    const { first, second, result } = fixed({ 'config/app.yaml': 'service:\n  debug: true  # on\n' }, 'config-debug-enabled');
    expect(result['config/app.yaml']).toBe('service:\n  debug: false  # on\n');
    expect(first.remaining.filter((finding) => finding.ruleId === 'config-debug-enabled')).toEqual([]);
    expect(second.changes).toEqual([]);
  });

  test('debug fallback set to false', () => {
    const { result } = fixed({ 'config/app.yaml': 'debug: ${DEBUG:-true}\n' }, 'config-debug-enabled');
    expect(result['config/app.yaml']).toBe('debug: ${DEBUG:-false}\n');
  });

  test('secret replaced by reference', () => {
    const { first, second, result } = fixed({ 'config/app.yaml': 'database:\n  password: hunter2\n' }, 'config-secret-literal');
    expect(result['config/app.yaml']).toBe('database:\n  password: "${DATABASE_PASSWORD}"\n');
    expect(first.remaining.filter((finding) => finding.ruleId === 'config-secret-literal')).toEqual([]);
    expect(second.changes).toEqual([]);
  });

  test('secret fallback dropped', () => {
    const { result } = fixed({ 'config/app.yaml': 'api_token: ${API_TOKEN:-abc123}\n' }, 'config-secret-literal');
    expect(result['config/app.yaml']).toBe('api_token: "${API_TOKEN}"\n');
  });
});
