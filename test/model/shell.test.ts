import { buildDockerModel } from '../../src/model/docker';
import {
  commandPrograms,
  findContainerFile,
  formatCommand,
  isAllArguments,
  parseShellCommands,
  shellInvocation,
  skipWrappers,
  splitShellWords,
  summarizeScript,
  traceLaunch,
} from '../../src/model/shell';
import type { EffectiveStage } from '../../src/model/types';
import { createSourceFile, positionAt, type Location, type SourceFile } from '../../src/source';

function words(text: string): string[] {
  return splitShellWords(text).map((word) => word.value);
}

function commands(text: string): string[] {
  return parseShellCommands(text).map((command) => command.words.map((word) => word.value).join(' '));
}

function system(files: Record<string, string>): { target: EffectiveStage; files: SourceFile[] } {
  const sources = Object.entries(files).map(([path, text]) =>
    createSourceFile(path, path.includes('Dockerfile') ? 'dockerfile' : path.endsWith('.py') ? 'python' : 'shell', text),
  );
  return { target: buildDockerModel(sources).main!.target!, files: sources };
}

function where(location: Location): string {
  const start = positionAt(location.file, location.start);
  return `${location.file.relPath}:${start.line}:${start.column}`;
}

describe('splitShellWords', () => {
  test.each([
    ['plain words', 'gunicorn -w 2 app:app', ['gunicorn', '-w', '2', 'app:app']],
    ['double quotes', 'echo "a b" c', ['echo', 'a b', 'c']],
    ['single quotes', "echo 'a \"b\"'", ['echo', 'a "b"']],
    ['backslash escape', 'echo a\\ b \\"c', ['echo', 'a b', '"c']],
    ['variables kept', 'gunicorn -b "0.0.0.0:${PORT:-8000}" $APP', ['gunicorn', '-b', '0.0.0.0:${PORT:-8000}', '$APP']],
    ['command substitution kept', 'echo $(cat "/a b") `date`', ['echo', '$(cat "/a b")', '`date`']],
    ['comment dropped', 'gunicorn app:app # start', ['gunicorn', 'app:app']],
    ['hash inside word', 'echo a#b', ['echo', 'a#b']],
    ['operators', 'a&&b||c;d|e&', ['a', '&&', 'b', '||', 'c', ';', 'd', '|', 'e', '&']],
    ['redirections', 'gunicorn app:app >/dev/null 2>&1', ['gunicorn', 'app:app', '>', '/dev/null', '2>&', '1']],
    ['line continuation', 'gunicorn \\\n  app:app', ['gunicorn', 'app:app']],
    ['escaped dollar in double quotes', 'echo "\\$HOME"', ['echo', '$HOME']],
  ])('%s', (_name, text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  test('word spans', () => {
    expect(splitShellWords('a "b c"').map((word) => [word.start, word.end])).toEqual([
      [0, 1],
      [2, 7],
    ]);
  });
});

describe('parseShellCommands', () => {
  test('lists and pipelines', () => {
    expect(commands('cd /app && pip install -r r.txt | tee log; exec gunicorn app:app')).toEqual([
      'cd /app',
      'pip install -r r.txt',
      'tee log',
      'exec gunicorn app:app',
    ]);
  });

  test('control flow words dropped', () => {
    const script = 'if [ -n "$X" ]; then\n  migrate\nelse\n  echo skip\nfi\nfor f in a b; do\n  echo $f\ndone\nwhile true; do sleep 1; done\n';
    expect(commands(script)).toEqual(['[ -n $X ]', 'migrate', 'echo skip', 'echo $f', 'true', 'sleep 1']);
  });

  test('case patterns dropped', () => {
    const script = 'case "$1" in\n  web) exec gunicorn app:app ;;\n  *) exec "$@" ;;\nesac\n';
    expect(commands(script)).toEqual(['exec gunicorn app:app', 'exec $@']);
  });

  test('heredoc bodies skipped', () => {
    expect(commands('cat <<EOF > /tmp/x\nexec nope\nEOF\ncat <<-END\n\tignored\n\tEND\nexec real')).toEqual(['cat', 'cat', 'exec real']);
  });

  test('function definition', () => {
    expect(commands('main() {\n  exec gunicorn app:app\n}\nmain "$@"\n')).toEqual(['exec gunicorn app:app', 'main $@']);
  });

  test('assignments and redirections', () => {
    const [command] = parseShellCommands('A=1 B="x y" gunicorn app:app 2>&1 > /dev/null');
    expect(command.assignments.map((word) => word.value)).toEqual(['A=1', 'B=x y']);
    expect(command.words.map((word) => word.value)).toEqual(['gunicorn', 'app:app']);
  });

  test('crlf script', () => {
    expect(commands('#!/bin/sh\r\nset -e\r\nexec "$@"\r\n')).toEqual(['set -e', 'exec $@']);
  });

  test('background terminator', () => {
    expect(parseShellCommands('gunicorn app:app &\nwait').map((command) => command.terminator)).toEqual(['&', '']);
  });
});

describe('wrappers', () => {
  test.each([
    [['gunicorn', 'app:app'], 0, false],
    [['exec', 'gunicorn'], 1, true],
    [['tini', '--', 'gunicorn'], 2, false],
    [['/usr/bin/tini', '-s', '-g', '--', 'gunicorn'], 4, false],
    [['dumb-init', 'gunicorn'], 1, false],
    [['exec', 'gosu', 'app', 'gunicorn'], 3, true],
    [['su-exec', 'app:app', 'gunicorn'], 2, false],
    [['env', '-i', 'A=1', 'B=2', 'gunicorn'], 4, false],
    [['uv', 'run', '--no-sync', '--with', 'x', 'gunicorn'], 5, false],
    [['uv', 'pip', 'install'], 0, false],
    [['poetry', 'run', 'gunicorn'], 2, false],
    [['newrelic-admin', 'run-program', 'gunicorn'], 2, false],
    [['opentelemetry-instrument', '--service_name', 'web', 'gunicorn'], 3, false],
  ])('skipWrappers %j', (argv, index, exec) => {
    expect(skipWrappers(argv)).toEqual({ index, exec });
  });

  test.each([
    [['sh', '-c', 'x'], { kind: 'command', scriptIndex: 2 }],
    [['/bin/bash', '-ec', 'x'], { kind: 'command', scriptIndex: 2 }],
    [['bash', '-o', 'pipefail', '-c', 'x'], { kind: 'command', scriptIndex: 4 }],
    [['sh', '-e', '/entrypoint.sh', 'a'], { kind: 'file', fileIndex: 2 }],
    [['sh'], null],
    [['python', '-c', 'x'], null],
  ])('shellInvocation %j', (argv, expected) => {
    expect(shellInvocation(argv)).toEqual(expected);
  });

  test.each([
    ['$@', true],
    ['${@}', true],
    ['$*', true],
    ['$1', false],
    ['"$@"', false],
  ])('isAllArguments %s', (value, expected) => {
    expect(isAllArguments(value)).toBe(expected);
  });
});

describe('summarizeScript', () => {
  test('exec "$@"', () => {
    const summary = summarizeScript('#!/bin/sh\nset -e\nflask db upgrade\nexec "$@"\n');
    expect(summary.exec).toBe(true);
    expect(summary.runsArguments).toBe(true);
    expect(summary.last!.start).toBe('#!/bin/sh\nset -e\nflask db upgrade\n'.length);
  });

  test('exec through gosu', () => {
    const summary = summarizeScript('exec gosu app gunicorn -c gunicorn.conf.py app:app');
    expect(summary.program.map((word) => word.value)).toEqual(['gunicorn', '-c', 'gunicorn.conf.py', 'app:app']);
    expect(summary.exec).toBe(true);
  });

  test('no exec', () => {
    const summary = summarizeScript('gunicorn app:app\n');
    expect(summary.exec).toBe(false);
    expect(summary.runsArguments).toBe(false);
  });

  test('trailing exit skipped', () => {
    expect(summarizeScript('"$@"\nexit $?\n').program.map((word) => word.value)).toEqual(['$@']);
  });

  test('empty script', () => {
    expect(summarizeScript('#!/bin/sh\n# nothing\n')).toEqual({ last: null, exec: false, program: [], runsArguments: false });
  });
});

describe('findContainerFile', () => {
  test('workdir and copy of the context', () => {
    const { target, files } = system({ Dockerfile: 'FROM x\nWORKDIR /app\nCOPY . .\n', 'docker/entrypoint.sh': 'exec "$@"\n' });
    expect(findContainerFile('/app/docker/entrypoint.sh', target, files, ['shell'])!.file.relPath).toBe('docker/entrypoint.sh');
    expect(findContainerFile('docker/entrypoint.sh', target, files, ['shell'])!.containerPath).toBe('/app/docker/entrypoint.sh');
  });

  test('file copied into a folder', () => {
    const { target, files } = system({ Dockerfile: 'FROM x\nCOPY scripts/start.sh /usr/local/bin/\n', 'scripts/start.sh': '', 'start.sh': '' });
    expect(findContainerFile('/usr/local/bin/start.sh', target, files, ['shell'])!.file.relPath).toBe('scripts/start.sh');
  });

  test('file copied to a new name', () => {
    const { target, files } = system({ Dockerfile: 'FROM x\nCOPY --chmod=755 boot.sh /entrypoint.sh\n', 'boot.sh': '' });
    expect(findContainerFile('/entrypoint.sh', target, files, ['shell'])!.file.relPath).toBe('boot.sh');
  });

  test('relative destination uses workdir of the time', () => {
    const { target, files } = system({ Dockerfile: 'FROM x\nWORKDIR /srv\nCOPY bin/ ./tools/\nWORKDIR /\n', 'bin/run.sh': '' });
    expect(findContainerFile('/srv/tools/run.sh', target, files, ['shell'])!.file.relPath).toBe('bin/run.sh');
  });

  test('Dockerfile folder is the context', () => {
    const { target, files } = system({ 'api/Dockerfile': 'FROM x\nCOPY . /app\n', 'api/entrypoint.sh': '', 'entrypoint.sh': '' });
    expect(findContainerFile('/app/entrypoint.sh', target, files, ['shell'])!.file.relPath).toBe('api/entrypoint.sh');
  });

  test('heredoc written by COPY', () => {
    const { target, files } = system({ Dockerfile: 'FROM x\nCOPY <<EOF /entrypoint.sh\nexec gunicorn app:app\nEOF\n' });
    const found = findContainerFile('/entrypoint.sh', target, files, ['shell'])!;
    expect(found.file.relPath).toBe('Dockerfile');
    expect(found.text.text).toBe('exec gunicorn app:app');
  });

  test('unique file name as fallback', () => {
    const { target, files } = system({ Dockerfile: 'FROM x\n', 'deploy/docker-entrypoint.sh': '' });
    expect(findContainerFile('/docker-entrypoint.sh', target, files, ['shell'])!.file.relPath).toBe('deploy/docker-entrypoint.sh');
  });

  test('not found', () => {
    const { target, files } = system({ Dockerfile: 'FROM x\nCOPY --from=build /x /entrypoint.sh\n', 'a/run.sh': '', 'b/run.sh': '' });
    expect(findContainerFile('/entrypoint.sh', target, files, ['shell'])).toBeNull();
    expect(findContainerFile('/run.sh', target, files, ['shell'])).toBeNull();
  });
});

describe('traceLaunch', () => {
  test('exec form gunicorn', () => {
    const { target, files } = system({ Dockerfile: 'FROM x\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]\n' });
    const trace = traceLaunch(target, files)!;

    expect(trace.server).toBe('gunicorn');
    expect(trace.steps).toEqual([]);
    expect(trace.words.map((word) => where(word.location))).toEqual(['Dockerfile:2:6', 'Dockerfile:2:18', 'Dockerfile:2:24', 'Dockerfile:2:44']);
  });

  test('script exec "$@" reaches cmd', () => {
    const { target, files } = system({
      Dockerfile: 'FROM x\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["./entrypoint.sh"]\nCMD ["gunicorn", "app:app"]\n',
      'entrypoint.sh': '#!/bin/sh\nset -e\nexec "$@"\n',
    });
    const trace = traceLaunch(target, files)!;

    expect(trace.steps.map((step) => [step.kind, step.execs, where(step.location), step.launcher])).toEqual([['script', true, 'entrypoint.sh:3:1', 'entrypoint.sh']]);
    expect(trace.server).toBe('gunicorn');
    expect(where(trace.location)).toBe('Dockerfile:5:6');
  });

  test('sh -c positional arguments', () => {
    const { target, files } = system({ Dockerfile: 'FROM x\nENTRYPOINT ["sh", "-c", "exec \\"$@\\"", "sh"]\nCMD ["gunicorn", "app:app"]\n' });
    const trace = traceLaunch(target, files)!;

    expect(trace.steps.map((step) => [step.kind, step.execs])).toEqual([['shell-c', true]]);
    expect(trace.words.map((word) => word.value)).toEqual(['gunicorn', 'app:app']);
  });

  test('escaped json string locations', () => {
    const { target, files } = system({ Dockerfile: 'FROM x\nCMD ["sh", "-c", "echo \\"x\\" && exec python main.py"]\n' });
    const trace = traceLaunch(target, files)!;

    expect(trace.words.map((word) => word.value)).toEqual(['python', 'main.py']);
    expect(where(trace.location)).toBe('Dockerfile:2:38');
  });

  test('shell form word locations', () => {
    const { target, files } = system({ Dockerfile: 'FROM x\nCMD cd /app && \\\n    exec python main.py\n' });
    const trace = traceLaunch(target, files)!;

    expect(trace.steps.map((step) => [step.kind, step.execs, step.launcher])).toEqual([['shell-form', true, '/bin/sh -c']]);
    expect(trace.server).toBe('python-script');
    expect(where(trace.location)).toBe('Dockerfile:3:10');
  });

  test('shell-form cmd through script', () => {
    const { target, files } = system({
      Dockerfile: 'FROM x\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\nCMD gunicorn app:app\n',
      'entrypoint.sh': 'exec "$@"\n',
    });
    const trace = traceLaunch(target, files)!;
    expect(trace.steps.map((step) => [step.kind, step.execs])).toEqual([
      ['script', true],
      ['shell-form', false],
    ]);
    expect(trace.steps[1].instruction).toBe(target.cmd);
  });

  test('python file embedding gunicorn', () => {
    const { target, files } = system({ Dockerfile: 'FROM x\nWORKDIR /app\nCOPY . .\nCMD ["python", "serve.py"]\n', 'serve.py': 'import gunicorn.app.base\n' });
    expect(traceLaunch(target, files)!.server).toBe('gunicorn');
  });

  test.each([
    ['flask run', '["flask", "run"]', 'flask-run'],
    ['python -m flask', '["python3.12", "-X", "dev", "-m", "flask", "run"]', 'flask-run'],
    ['module', '["python", "-m", "app"]', 'python-module'],
    ['uvicorn', '["uvicorn", "app:app"]', 'asgi-server'],
    ['python -m uvicorn', '["python", "-m", "uvicorn", "app:app"]', 'asgi-server'],
    ['uwsgi', '["uwsgi", "--http", ":8000"]', 'other-server'],
    ['python -c', '["python", "-c", "print(1)"]', 'unknown'],
    ['variable program', '["$SERVER"]', 'unknown'],
  ])('classifies %s', (_name, cmd, server) => {
    const { target, files } = system({ Dockerfile: `FROM x\nCMD ${cmd}\n` });
    expect(traceLaunch(target, files)!.server).toBe(server);
  });

  test('no command', () => {
    const { target, files } = system({ Dockerfile: 'FROM x\n' });
    expect(traceLaunch(target, files)).toBeNull();
  });

  test('script loop is bounded', () => {
    const { target, files } = system({ Dockerfile: 'FROM x\nCOPY . /\nCMD ["/loop.sh"]\n', 'loop.sh': 'exec /loop.sh\n' });
    expect(traceLaunch(target, files)!.steps).toHaveLength(8);
  });
});

describe('commandPrograms', () => {
  test('shell form probe', () => {
    const { target } = system({ Dockerfile: 'FROM x\nHEALTHCHECK CMD curl -f http://x/ || wget -q http://x/\n' });
    const programs = commandPrograms(target.healthcheck!.command!);
    expect(programs.map((program) => [program.value, where(program.location)])).toEqual([
      ['curl', 'Dockerfile:2:17'],
      ['wget', 'Dockerfile:2:38'],
    ]);
  });

  test('exec form with wrapper', () => {
    const { target } = system({ Dockerfile: 'FROM x\nHEALTHCHECK CMD ["env", "A=1", "curl", "-f", "http://x/"]\n' });
    expect(commandPrograms(target.healthcheck!.command!).map((program) => program.value)).toEqual(['curl']);
  });
});

test('formatCommand quotes and shortens', () => {
  expect(formatCommand(['sh', '-c', 'a b'])).toBe('sh -c "a b"');
  expect(formatCommand(['x'.repeat(70)])).toHaveLength(60);
});
