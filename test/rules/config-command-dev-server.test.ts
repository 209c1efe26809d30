import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'config-command-dev-server';

const DOCKERFILE = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]\n';
const MAIN = 'from flask import Flask\n\napp = Flask(__name__)\n';
const MAIN_WITH_RUN = `${MAIN}\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=8000)\n`;

function compose(command: string): Record<string, string> {
  return { Dockerfile: DOCKERFILE, 'main.py': MAIN_WITH_RUN, 'docker-compose.yml': `services:\n  web:\n    build: .\n    ${command}\n` };
}

function pod(lines: string): string {
  return ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: api', 'spec:', '  containers:', '    - name: api', '      image: api:1.0', lines, ''].join('\n');
}

describe(RULE, () => {
  test.each<[string, Record<string, string>, Array<[string, number, number]>]>([
    ['compose flask run', compose('command: flask --app main run --host 0.0.0.0'), [['docker-compose.yml', 4, 14]]],
    ['compose python -m flask run', compose('command: ["python", "-m", "flask", "run"]'), [['docker-compose.yml', 4, 14]]],
    ['compose script with app.run', compose('command: python main.py'), [['docker-compose.yml', 4, 14]]],
    ['compose module with app.run', compose('command: python -m main'), [['docker-compose.yml', 4, 14]]],
    ['compose sh -c', compose('command: ["sh", "-c", "pip list && exec python main.py"]'), [['docker-compose.yml', 4, 14]]],
    ['compose entrypoint', compose('entrypoint: ["flask", "run"]'), [['docker-compose.yml', 4, 17]]],
    ['kubernetes command', { 'main.py': MAIN_WITH_RUN, 'pod.yaml': pod('      command: ["python", "main.py"]') }, [['pod.yaml', 9, 16]]],
    ['kubernetes args only', { 'pod.yaml': pod('      args: ["flask", "run", "--port", "8000"]') }, [['pod.yaml', 9, 13]]],
  ])('reports %s', (_name, files, expected) => {
    expect(ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column])).toEqual(expected);
  });

  test('messages', () => {
    const files = { ...compose('command: python main.py'), 'pod.yaml': pod('      args: ["flask", "run"]') };

    expect(checkFiles(files, [RULE]).map((finding) => finding.message)).toEqual([
      "compose service `web` runs `python main.py` in place of the image's command, and `main.py` then starts the development server with `app.run(host=\"0.0.0.0\", port=8000)`.",
      "Kubernetes container `api of Pod api` runs `flask run` in place of the image's command, so production traffic reaches the Werkzeug development server.",
    ]);
  });

  test.each<[string, Record<string, string>]>([
    ['no command', { Dockerfile: DOCKERFILE, 'main.py': MAIN_WITH_RUN, 'docker-compose.yml': 'services:\n  web:\n    build: .\n' }],
    ['gunicorn command', compose('command: gunicorn --config gunicorn.conf.py main:app')],
    ['worker script without app.run', { ...compose('command: python worker.py'), 'worker.py': 'import time\n\nwhile True:\n    time.sleep(60)\n' }],
    ['script outside the system', compose('command: python manage.py migrate')],
    ['flask command other than run', compose('command: flask --app main db upgrade')],
    ['development compose', { Dockerfile: DOCKERFILE, 'main.py': MAIN, 'docker-compose.dev.yml': 'services:\n  web:\n    build: .\n    command: flask run --debug\n' }],
    ['override compose', { Dockerfile: DOCKERFILE, 'main.py': MAIN, 'docker-compose.override.yml': 'services:\n  web:\n    command: flask run\n' }],
    ['database image', { 'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n    command: postgres -c max_connections=200\n' }],
    ['kubernetes gunicorn', { 'pod.yaml': pod('      command: ["gunicorn", "main:app"]') }],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});
