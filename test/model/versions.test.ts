import { compareVersions } from '../../src/model/versions';

describe('compareVersions', () => {
  test.each([
    ['2.10', '2.9', 1],
    ['2.3', '2.3.0', 0],
    ['20.0.1', '20.1.0', -1],
    ['3.0.0rc1', '3.0.0', 0],
    ['1.0+local', '1.0', 0],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});
