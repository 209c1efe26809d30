import { ruleFindings } from '../helpers';
import { DOCKERFILE_PLAIN, DOCKERFILE_WITH_CONFIG, PRODUCTION_SYSTEM } from './gunicorn-systems';

const RULE = 'gunicorn-bind-unreachable';

type Place = [file: string, line: number, column: number];

const positions = (files: Record<string, string>): Place[] => ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column]);

const withConfig = (config: string, dockerfile = DOCKERFILE_WITH_CONFIG): Record<string, string> => ({ Dockerfile: dockerfile, 'gunicorn.conf.py': config });

describe(RULE, () => {
  test.each<[string, Record<string, string>, Place[]]>([
    ['loopback literal', withConfig('workers = 2\nbind = "127.0.0.1:8000"\n'), [['gunicorn.conf.py', 2, 1]]],
    ['localhost and ::1', withConfig('bind = ["localhost:8000", "[::1]:8000"]\n'), [['gunicorn.conf.py', 1, 1]]],
    ['host without port', withConfig('bind = "127.0.0.1"\n'), [['gunicorn.conf.py', 1, 1]]],
    ['default in config', withConfig('workers = 2\n'), [['gunicorn.conf.py', 1, 1]]],
    ['default without config', { Dockerfile: DOCKERFILE_PLAIN }, [['Dockerfile', 4, 1]]],
    ['flag', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "-b", "127.0.0.1:5000", "main:app"]\n' }, [['Dockerfile', 2, 18]]],
    ['loopback fallback', withConfig('import os\nbind = os.environ.get("BIND", "127.0.0.1:8000")\n'), [['gunicorn.conf.py', 2, 1]]],
    ['loopback f-string', withConfig('import os\nbind = f"127.0.0.1:{os.environ.get(\'PORT\', \'8000\')}"\n'), [['gunicorn.conf.py', 2, 1]]],
    ['compose service', { 'docker-compose.yml': 'services:\n  web:\n    image: web:1\n    command: gunicorn main:app\n' }, [['docker-compose.yml', 4, 5]]],
  ])('reports %s', (_name, files, expected) => {
    expect(positions(files)).toEqual(expected);
  });

  test('reports an error', () => {
    expect(ruleFindings(RULE, withConfig('bind = "127.0.0.1:8000"\n'))[0]?.severity).toBe('error');
  });

  test.each<[string, Record<string, string>]>([
    ['production system', PRODUCTION_SYSTEM],
    ['all IPv4 interfaces', withConfig('bind = "0.0.0.0:8000"\n')],
    ['all IPv6 interfaces', withConfig('bind = "[::]:8000"\n')],
    ['port only', withConfig('bind = ":8000"\n')],
    ['one reachable address', withConfig('bind = ["127.0.0.1:9000", "0.0.0.0:8000"]\n')],
    ['unix socket', withConfig('bind = "unix:/run/gunicorn.sock"\n')],
    ['default with PORT', { Dockerfile: 'FROM python:3.12-slim\nENV PORT=8080\nCMD ["gunicorn", "main:app"]\n' }],
    ['fallback replaced by ENV', withConfig('import os\nbind = os.environ.get("BIND", "127.0.0.1:8000")\n', 'FROM python:3.12-slim\nENV BIND=0.0.0.0:8000\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "main:app"]\n')],
    ['port from the environment', { Dockerfile: 'FROM python:3.12-slim\nCMD gunicorn --bind 0.0.0.0:${PORT:-8000} main:app\n' }],
    ['no container', { 'gunicorn.conf.py': 'bind = "127.0.0.1:8000"\n' }],
    ['unknown address', withConfig('from settings import BIND\nbind = BIND\n')],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});
