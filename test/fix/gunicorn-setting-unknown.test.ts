import { expectNoFix, expectRoundTrip, findingsOf } from './gunicorn-round-trip';

const RULE = 'gunicorn-setting-unknown';

describe(`${RULE} fix`, () => {
  test.each<[string, Record<string, string>, Record<string, string>]>([
    ['misspelt setting', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nmax_request = 1000  # recycle\n' }, { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nmax_requests = 1000  # recycle\n' }],
    ['upper case', { 'gunicorn.conf.py': 'WORKERS = 4\n' }, { 'gunicorn.conf.py': 'workers = 4\n' }],
    ['flag written as a name', { 'gunicorn.conf.py': 'preload = True\n' }, { 'gunicorn.conf.py': 'preload_app = True\n' }],
    [
      'misspelt hook',
      { 'gunicorn.conf.py': 'def post_forks(server, worker):\n    server.log.info("forked")\n' },
      { 'gunicorn.conf.py': 'def post_fork(server, worker):\n    server.log.info("forked")\n' },
    ],
  ])('fixes %s', (_name, files, expected) => {
    expectRoundTrip(RULE, files, expected);
  });

  test('fix is unsafe', () => {
    expect(findingsOf(RULE, { 'gunicorn.conf.py': 'timout = 30\n' })[0]?.fix?.safety).toBe('unsafe');
  });

  test('no fix when the setting is set too', () => {
    expectNoFix(RULE, { 'gunicorn.conf.py': 'max_request = 1000\nmax_requests = 500\n' });
  });
});
