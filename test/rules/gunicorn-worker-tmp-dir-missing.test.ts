import { ruleFindings } from '../helpers';
import { DOCKERFILE_PLAIN, DOCKERFILE_WITH_CONFIG, PRODUCTION_SYSTEM } from './gunicorn-systems';

const RULE = 'gunicorn-worker-tmp-dir-missing';

type Place = [file: string, line: number, column: number];

const positions = (files: Record<string, string>): Place[] => ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column]);

describe(RULE, () => {
  test.each<[string, Record<string, string>, Place[]]>([
    ['unset', { Dockerfile: DOCKERFILE_WITH_CONFIG, 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\n' }, [['gunicorn.conf.py', 1, 1]]],
    ['/tmp', { Dockerfile: DOCKERFILE_WITH_CONFIG, 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nworker_tmp_dir = "/tmp"\n' }, [['gunicorn.conf.py', 2, 1]]],
    ['None', { Dockerfile: DOCKERFILE_WITH_CONFIG, 'gunicorn.conf.py': 'worker_tmp_dir = None\n' }, [['gunicorn.conf.py', 1, 1]]],
    ['unset without config', { Dockerfile: DOCKERFILE_PLAIN }, [['Dockerfile', 4, 1]]],
  ])('reports %s', (_name, files, expected) => {
    expect(positions(files)).toEqual(expected);
  });

  test('reports a warning', () => {
    expect(ruleFindings(RULE, { Dockerfile: DOCKERFILE_PLAIN })[0]?.severity).toBe('warning');
  });

  test.each<[string, Record<string, string>]>([
    ['production system with suppressions', PRODUCTION_SYSTEM],
    ['flag', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--worker-tmp-dir", "/dev/shm", "main:app"]\n' }],
    ['subfolder of /dev/shm', { Dockerfile: DOCKERFILE_WITH_CONFIG, 'gunicorn.conf.py': 'worker_tmp_dir = "/dev/shm/gunicorn"\n' }],
    ['environment fallback', { Dockerfile: DOCKERFILE_WITH_CONFIG, 'gunicorn.conf.py': 'import os\nworker_tmp_dir = os.environ.get("WORKER_TMP_DIR", "/dev/shm")\n' }],
    ['no container', { 'gunicorn.conf.py': 'bind = "127.0.0.1:8000"\n' }],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});
