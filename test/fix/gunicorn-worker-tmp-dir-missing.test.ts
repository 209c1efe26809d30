import { DOCKERFILE_WITH_CONFIG } from '../rules/gunicorn-systems';
import { expectNoFix, expectRoundTrip, findingsOf, fixGunicorn } from './gunicorn-round-trip';

const RULE = 'gunicorn-worker-tmp-dir-missing';
const SHM_LINE = 'worker_tmp_dir = "/dev/shm"  # noqa: S108  # nosec B108';

const withConfig = (config: string): Record<string, string> => ({ Dockerfile: DOCKERFILE_WITH_CONFIG, 'gunicorn.conf.py': config });

describe(`${RULE} fix`, () => {
  test.each<[string, Record<string, string>, Record<string, string>]>([
    ['unset', withConfig('bind = "0.0.0.0:8000"\n'), { 'gunicorn.conf.py': `bind = "0.0.0.0:8000"\n${SHM_LINE}\n` }],
    ['unset, CRLF file', withConfig('bind = "0.0.0.0:8000"\r\n'), { 'gunicorn.conf.py': `bind = "0.0.0.0:8000"\r\n${SHM_LINE}\r\n` }],
    ['/tmp', withConfig('worker_tmp_dir = "/tmp"\ntimeout = 30\n'), { 'gunicorn.conf.py': `${SHM_LINE}\ntimeout = 30\n` }],
    ['None', withConfig('worker_tmp_dir = None\n'), { 'gunicorn.conf.py': `${SHM_LINE}\n` }],
    ['trailing comment kept', withConfig("worker_tmp_dir = '/tmp'  # heartbeat\n"), { 'gunicorn.conf.py': 'worker_tmp_dir = "/dev/shm"  # heartbeat  # noqa: S108  # nosec B108\n' }],
    ['suppression already there', withConfig('worker_tmp_dir = "/var/tmp"  # noqa: S108\n'), { 'gunicorn.conf.py': 'worker_tmp_dir = "/dev/shm"  # noqa: S108\n' }],
    ['last line without a line break', withConfig('worker_tmp_dir = "/tmp"'), { 'gunicorn.conf.py': SHM_LINE }],
    [
      'flag',
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--worker-tmp-dir", "/tmp", "main:app"]\n' },
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--worker-tmp-dir", "/dev/shm", "main:app"]\n' },
    ],
  ])('fixes %s', (_name, files, expected) => {
    expectRoundTrip(RULE, files, expected);
  });

  test('fix is safe', () => {
    expect(findingsOf(RULE, withConfig('bind = "0.0.0.0:8000"\n'))[0]?.fix?.safety).toBe('safe');
  });

  test('applies without unsafe fixes', () => {
    expect(fixGunicorn(withConfig('timeout = 30\n'), RULE, false).changed).toEqual({ 'gunicorn.conf.py': `timeout = 30\n${SHM_LINE}\n` });
  });

  test.each<[string, Record<string, string>]>([
    ['unset without a config file', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "main:app"]\n' }],
    ['comment inside the value', withConfig('worker_tmp_dir = (\n    "/tmp"  # default\n)\n')],
  ])('no fix for %s', (_name, files) => {
    expectNoFix(RULE, files);
  });
});
