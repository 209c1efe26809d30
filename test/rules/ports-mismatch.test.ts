import { containerSide, portOf } from '../../rules/system/ports-mismatch';
import { checkFiles, dedent, ruleFindings } from '../helpers';

const RULE = 'ports-mismatch';
const CONFIG = 'import os\nbind = f"0.0.0.0:{os.environ.get(\'PORT\', \'8000\')}"\n';
const CMD = 'CMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]';

function positions(files: Record<string, string>) {
  return ruleFindings(RULE, files).map(({ file, line, column }) => `${file}:${line}:${column}`);
}

describe(RULE, () => {
  test('expose differs from bind', () => {
    expect(positions({ 'gunicorn.conf.py': CONFIG, Dockerfile: `FROM python:3.12-slim\nEXPOSE 5000\n${CMD}\n` })).toEqual(['Dockerfile:2:8']);
  });

  test('env PORT in image moves bind', () => {
    const dockerfile = `FROM python:3.12-slim\nENV PORT=9000\nEXPOSE 9000\n${CMD}\n`;
    expect(positions({ 'gunicorn.conf.py': CONFIG, Dockerfile: dockerfile })).toEqual([]);
  });

  describe('Unix socket only', () => {
    const socketConfig = 'bind = "unix:/run/gunicorn.sock"\n';
    const probed = (command: string) => `FROM python:3.12-slim\nHEALTHCHECK CMD curl -f http://127.0.0.1:8000/health\n${command}\n`;

    test('healthcheck on a port', () => {
      const files = { 'gunicorn.conf.py': socketConfig, Dockerfile: probed(CMD) };

      expect(positions(files)).toEqual(['Dockerfile:2:1']);
      expect(checkFiles(files, [RULE]).map((finding) => finding.message)).toEqual([
        "HEALTHCHECK connects to port 8000, but Gunicorn, the container's only server, listens only on the socket `unix:/run/gunicorn.sock`, so the probe is refused.",
      ]);
    });

    test('kubernetes probe on a port', () => {
      const pod = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: api', 'spec:', '  containers:', '    - name: api', '      image: api:1.0', '      livenessProbe:', '        httpGet:', '          path: /health', '          port: 8000', ''].join('\n');
      const files = { 'gunicorn.conf.py': socketConfig, Dockerfile: `FROM python:3.12-slim\n${CMD}\n`, 'pod.yaml': pod, 'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/health")\ndef health():\n    return "ok"\n' };

      expect(positions(files)).toEqual(['pod.yaml:12:17']);
    });

    test.each([
      ['a TCP address too', 'bind = ["unix:/run/gunicorn.sock", "0.0.0.0:8000"]\n', CMD],
      ['a start script', socketConfig, 'CMD ["./start.sh"]'],
      ['supervisord', socketConfig, 'CMD ["supervisord", "-n"]'],
    ])('silent with %s', (_name, config, command) => {
      expect(positions({ 'gunicorn.conf.py': config, Dockerfile: probed(command) })).toEqual([]);
    });
  });

  test('healthcheck port differs', () => {
    const dockerfile = `FROM python:3.12-slim\nEXPOSE 8000\nHEALTHCHECK CMD curl -f http://localhost:8080/health\n${CMD}\n`;
    expect(positions({ 'gunicorn.conf.py': CONFIG, Dockerfile: dockerfile })).toEqual(['Dockerfile:3:1']);
  });

  test('compose container side differs', () => {
    const compose = dedent(`
      services:
        web:
          build: .
          ports:
            - "80:8000"
            - "8443:5000"
    `);
    expect(positions({ 'gunicorn.conf.py': CONFIG, Dockerfile: `FROM python:3.12-slim\n${CMD}\n`, 'docker-compose.yml': compose })).toEqual(['docker-compose.yml:6:9']);
  });

  test('kubernetes container and probe ports', () => {
    const manifest = dedent(`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: orders
      spec:
        template:
          spec:
            containers:
              - name: api
                ports:
                  - containerPort: 8080
                livenessProbe:
                  httpGet:
                    path: /health
                    port: 8080
    `);
    const found = positions({ 'gunicorn.conf.py': CONFIG, Dockerfile: `FROM python:3.12-slim\n${CMD}\n`, 'k8s/deployment.yaml': manifest });
    expect(found).toEqual(['k8s/deployment.yaml:11:30', 'k8s/deployment.yaml:15:21']);
  });

  test('default gunicorn port', () => {
    expect(positions({ Dockerfile: `FROM python:3.12-slim\nEXPOSE 8000\nCMD ["gunicorn", "main:app"]\n` })).toEqual([]);
    expect(positions({ Dockerfile: `FROM python:3.12-slim\nEXPOSE 5000\nCMD ["gunicorn", "main:app"]\n` })).toEqual(['Dockerfile:2:8']);
  });

  test('silent when bind unknown', () => {
    const config = 'import os\nbind = os.environ["BIND"]\n';
    expect(positions({ 'gunicorn.conf.py': config, Dockerfile: `FROM python:3.12-slim\nEXPOSE 5000\n${CMD}\n` })).toEqual([]);
  });

  test('silent without gunicorn and one expose', () => {
    expect(positions({ Dockerfile: 'FROM python:3.12-slim\nEXPOSE 5000\nHEALTHCHECK CMD curl -f http://localhost:5000/\nCMD ["python", "app.py"]\n' })).toEqual([]);
  });
});

describe('port parsing', () => {
  test.each([
    ['0.0.0.0:8000', 8000],
    ['[::]:9000', 9000],
    ['unix:/tmp/g.sock', null],
    ['localhost', null],
  ])('portOf %s', (address, port) => {
    expect(portOf(address)).toBe(port);
  });

  test.each([
    ['8080:8000', 8000],
    ['8000', 8000],
    ['127.0.0.1:8080:8000/tcp', 8000],
    [{ target: 7000, published: 80 }, 7000],
    ['8000-8001:8000-8001', null],
  ])('containerSide %p', (entry, port) => {
    expect(containerSide(entry)).toBe(port);
  });
});

describe('healthcheck-route-missing on orchestrator probes', () => {
  const APP = 'from flask import Flask\napp = Flask(__name__)\n@app.get("/health")\ndef health():\n    return "ok"\n';

  test('kubernetes probe path not served', () => {
    const manifest = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: api\n      readinessProbe:\n        httpGet:\n          path: /ready\n          port: 8000\n';
    expect(ruleFindings('healthcheck-route-missing', { 'main.py': APP, 'pod.yaml': manifest }).map(({ file, line, column }) => `${file}:${line}:${column}`)).toEqual([
      'pod.yaml:8:17',
    ]);
  });

  test('compose probe path served', () => {
    const compose = 'services:\n  web:\n    build: .\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:8000/health"]\n';
    expect(ruleFindings('healthcheck-route-missing', { 'main.py': APP, 'compose.yaml': compose })).toEqual([]);
  });
});

describe('probe URLs with escaped quotes', () => {
  test('exec-form probe with escaped quotes silent', () => {
    const app = 'from flask import Flask\napp = Flask(__name__)\n@app.get("/health")\ndef health():\n    return "ok"\n';
    const dockerfile =
      'FROM python:3.12-slim\nHEALTHCHECK CMD ["python", "-c", "import urllib.request as u; u.urlopen(\\"http://localhost:8000/health\\", timeout=3)"]\nCMD ["gunicorn", "main:app"]\n';
    expect(ruleFindings('healthcheck-route-missing', { 'main.py': app, Dockerfile: dockerfile })).toEqual([]);
  });
});
