import { buildDockerModel, composeBuildTarget, copySources, globalArgs, instructionDetails, resolvePath } from '../../src/model/docker';
import type { DockerModel, YamlModel } from '../../src/model/types';
import { traceLaunch } from '../../src/model/shell';
import { createSourceFile, positionAt, type Location } from '../../src/source';
import { checkFiles } from '../helpers';

function build(text: string, target?: string): DockerModel {
  return buildDockerModel([createSourceFile('Dockerfile', 'dockerfile', text)], { target });
}

function where(location: Location): string {
  const start = positionAt(location.file, location.start);
  return `${start.line}:${start.column} ${location.file.text.slice(location.start, location.end)}`;
}

describe('stages', () => {
  test('graph from FROM and AS', () => {
    const model = build('FROM python:3.12 AS Build\nRUN true\nFROM build AS runtime\nFROM python:3.12-slim\n');
    const [build1, runtime, last] = model.main!.stages;

    expect(build1.name).toBe('build');
    expect(runtime.parent).toBe(build1);
    expect(last.parent).toBeNull();
    expect(model.main!.target!.stage).toBe(last);
  });

  test('later stage name is an image', () => {
    const [first] = build('FROM later\nFROM python:3.12-slim AS later\n').main!.stages;
    expect(first.parent).toBeNull();
    expect(first.resolvedImage).toBe('later');
  });

  test('copy --from by name, index and image', () => {
    const model = build('FROM python:3.12 AS build\nFROM python:3.12-slim\nCOPY --from=build /a /a\nCOPY --from=0 /b /b\nCOPY --from=nginx:1.25 /c /c\n');
    const sources = copySources(model.main!.stages[1]);

    expect(sources.map((source) => source.reference)).toEqual(['build', '0', 'nginx:1.25']);
    expect(sources[0].stage).toBe(model.main!.stages[0]);
    expect(sources[1].stage).toBe(model.main!.stages[0]);
    expect(sources[2].stage).toBeNull();
  });

  test('named target', () => {
    const model = build('FROM python:3.12-slim AS dev\nCMD ["flask", "run"]\nFROM python:3.12-slim AS prod\n', 'DEV');
    expect(model.main!.target!.stage.name).toBe('dev');
    expect(model.problems).toEqual([]);
  });

  test('unknown target is a problem', () => {
    const model = build('FROM python:3.12-slim AS app\n', 'prod');

    expect(model.main!.target).toBeNull();
    expect(model.problems.map((problem) => problem.message)).toEqual([
      'Target stage `prod` is not defined in this Dockerfile (the named stages are `app`), so Docker cannot build it',
    ]);
    expect(where(model.problems[0].location)).toBe('1:1 FROM python:3.12-slim AS app');
  });

  test('duplicate stage name', () => {
    const model = build('FROM python:3.12 AS app\nFROM python:3.12-slim AS app\n');
    expect(model.problems.map((problem) => where(problem.location))).toEqual(['2:6 python:3.12-slim AS app']);
  });
});

describe('variables', () => {
  test('global arg resolves FROM', () => {
    const stage = build('ARG PY=3.12\nARG VARIANT=slim\nFROM python:${PY}-${VARIANT}\n').main!.stages[0];
    expect(stage.image).toBe('python:${PY}-${VARIANT}');
    expect(stage.resolvedImage).toBe('python:3.12-slim');
  });

  test('global arg without default leaves image unknown', () => {
    expect(build('ARG PY\nFROM python:${PY}\n').main!.stages[0].resolvedImage).toBeNull();
  });

  test('global arg visible only when redeclared', () => {
    const model = build('ARG UID=10001\nFROM python:3.12-slim AS a\nUSER ${UID}\nFROM python:3.12-slim AS b\nARG UID\nUSER ${UID}\n');
    const [a, b] = model.main!.stages;

    expect(a.user!.resolved).toBeNull();
    expect(b.user!.resolved).toBe('10001');
    expect(globalArgs(model.main!).map((arg) => [arg.name, arg.value])).toEqual([['UID', '10001']]);
  });

  test('stage arg default overrides global', () => {
    const stage = build('ARG UID=1\nFROM python:3.12-slim\nARG UID=2\nUSER $UID\n').main!.stages[0];
    expect(stage.user!.resolved).toBe('2');
  });

  test('env wins over arg of the same name', () => {
    const stage = build('FROM python:3.12-slim\nENV U=env\nARG U=arg\nUSER $U\n').main!.stages[0];
    expect(stage.user!.resolved).toBe('env');
  });

  test.each([
    ['default form on missing', 'ENV X=${MISSING:-8000}', '8000'],
    ['default form on set', 'ARG P=9000\nENV X=${P:-8000}', '9000'],
    ['default form on empty', 'ARG P=\nENV X=${P:-8000}', '8000'],
    ['dash form keeps empty', 'ARG P=\nENV X=${P-8000}', ''],
    ['plus form on set', 'ARG P=1\nENV X=${P:+on}', 'on'],
    ['plus form on missing', 'ENV X=a${MISSING:+on}b', 'ab'],
    ['arg without default in default form', 'ARG P\nENV X=${P:-7}', '7'],
    ['single quotes keep dollar', "ENV X='$HOME'", '$HOME'],
    ['double quotes expand', 'ARG P=1\nENV X="a $P b"', 'a 1 b'],
    ['escaped dollar', 'ENV X=\\$HOME', '$HOME'],
    ['nested default', 'ARG B=5\nENV X=${A:-${B}}', '5'],
    ['legacy form with spaces', 'ENV X hello world', 'hello world'],
    ['pattern modifier unknown', 'ARG P=abc\nENV X=${P#a}', null],
    ['bare missing is unknown', 'ENV X=$MISSING', null],
    ['bare arg without default is unknown', 'ARG P\nENV X=$P', null],
    ['automatic arg is unknown', 'ARG TARGETARCH\nENV X=${TARGETARCH:-amd64}', null],
  ])('%s', (_name, lines, expected) => {
    const target = build(`FROM python:3.12-slim\n${lines}\n`).main!.target!;
    expect(target.env.get('X')!.value).toBe(expected);
  });

  test('one ENV expands with values from before it', () => {
    const env = build('FROM python:3.12-slim\nENV A=old\nENV A=new B=$A\n').main!.target!.env;
    expect(env.get('A')!.value).toBe('new');
    expect(env.get('B')!.value).toBe('old');
  });

  test('escape directive changes escape character', () => {
    const model = build('# escape=`\nFROM python:3.12-slim\nENV X=`$HOME Y=C:\\path\n');
    expect(model.main!.escapeChar).toBe('`');
    expect(model.main!.target!.env.get('X')!.value).toBe('$HOME');
    expect(model.main!.target!.env.get('Y')!.value).toBe('C:\\path');
  });

  test('details expand with scope of their time', () => {
    const stage = build('FROM python:3.12-slim\nRUN echo\nENV LATER=1\n').main!.stages[0];
    const details = instructionDetails(stage.instructions[0])!;
    expect(details.expand('${LATER:-unset}').value).toBe('unset');
  });
});

describe('instructions', () => {
  test('heredoc bodies are not instructions', () => {
    const model = build('FROM python:3.12-slim\nRUN <<EOF\nfrom x import y\nUSER root\nEOF\nRUN cat <<\'EOF\' > /app/x.py\nCMD ["x"]\nEOF\nCOPY <<EOF /etc/x\nFROM nothing\nEOF\nUSER 10001\n');
    const stage = model.main!.stages[0];

    expect(stage.instructions.map((instruction) => instruction.keyword)).toEqual(['RUN', 'RUN', 'COPY', 'USER']);
    expect(model.main!.stages).toHaveLength(1);
    expect(stage.user!.raw).toBe('10001');
    expect(stage.cmd).toBeNull();
    expect(model.problems).toEqual([]);
  });

  test('heredoc text and body', () => {
    const [run] = build('FROM python:3.12-slim\nRUN python3 <<EOF\nimport os\nprint(os.getcwd())\nEOF\n').main!.stages[0].instructions;

    expect(run.text).toBe('python3 <<EOF');
    expect(run.heredocs.map((heredoc) => [heredoc.name, heredoc.body])).toEqual([['EOF', 'import os\nprint(os.getcwd())']]);
    expect(where(run.heredocs[0].location)).toBe('3:1 import os\nprint(os.getcwd())');
  });

  test('two heredocs in one RUN', () => {
    const [run] = build('FROM x\nRUN <<A cat && <<B cat\nFROM a\nA\nUSER root\nB\nUSER app\n').main!.stages[0].instructions;
    expect(run.heredocs.map((heredoc) => heredoc.body)).toEqual(['FROM a', 'USER root']);
  });

  test('unterminated heredoc is a problem', () => {
    const model = build('FROM python:3.12-slim\nRUN <<EOF\necho hi\nUSER root\n');
    expect(model.problems.map((problem) => [where(problem.location), problem.message])).toEqual([
      ['2:5 <<EOF', 'Heredoc `EOF` is never closed, so its body runs to the end of the file; add a line `EOF` after the body'],
    ]);
    expect(model.main!.stages[0].user).toBeNull();
  });

  test('continuations joined like BuildKit', () => {
    const [run] = build('FROM x\nRUN apt-get update \\\n  # a comment\n\n  && apt-get install -y curl\n').main!.stages[0].instructions;
    expect(run.text).toBe('apt-get update   && apt-get install -y curl');
  });

  test('crlf locations', () => {
    const model = build('FROM python:3.12-slim\r\nENV A=1 \\\r\n    B=2\r\nUSER app\r\n');
    const stage = model.main!.stages[0];

    expect(stage.env.map((entry) => where(entry.location))).toEqual(['2:5 A=1', '3:5 B=2']);
    expect(where(stage.user!.location)).toBe('4:6 app');
    expect(model.problems).toEqual([]);
  });

  test('lone carriage return is a problem', () => {
    const model = build('FROM python:3.12-slim\rUSER app\r');
    expect(model.problems.map((problem) => positionAt(problem.location.file, problem.location.start))).toEqual([{ line: 1, column: 22 }]);
    expect(model.main!.stages[0].user!.raw).toBe('app');
  });

  test('escape directive continuation', () => {
    const model = build('# syntax=docker/dockerfile:1\n# escape=`\nFROM python:3.12-slim\nRUN pip install `\n    flask\nCMD ["python", "-c", "print(\\"a\\\\b\\")"]\n');
    const stage = model.main!.stages[0];

    expect(stage.instructions[0].text).toBe('pip install     flask');
    expect(stage.cmd!.form).toBe('exec');
    expect(stage.cmd!.argv).toEqual(['python', '-c', 'print("a\\b")']);
  });

  test('invalid escape directive is a problem', () => {
    const model = build('# escape=x\nFROM python:3.12-slim\n');
    expect(model.main!.escapeChar).toBe('\\');
    expect(model.problems.map((problem) => where(problem.location))).toEqual(['1:1 # escape=x']);
  });

  test('old syntax with heredoc is a problem', () => {
    const model = build('# syntax=docker/dockerfile:1.3\nFROM x\nRUN <<EOF\necho\nEOF\n');
    expect(model.problems.map((problem) => where(problem.location))).toEqual(['1:1 # syntax=docker/dockerfile:1.3']);
  });

  test.each(['docker/dockerfile:1', 'docker/dockerfile:1.4', 'docker/dockerfile:1.3-labs', 'docker/dockerfile:1.7.1', 'example.com/frontend:0.1'])(
    'syntax %s reads heredocs',
    (syntax) => {
      expect(build(`# syntax=${syntax}\nFROM x\nRUN <<EOF\necho\nEOF\n`).problems).toEqual([]);
    },
  );

  test.each([
    ['empty file', '', 'Dockerfile has no instructions, so Docker cannot build it; it needs at least a `FROM` line'],
    ['only comments', '# nothing\n\n', 'Dockerfile has no instructions, so Docker cannot build it; it needs at least a `FROM` line'],
    ['no FROM', 'ARG X=1\n', 'Dockerfile has no `FROM` instruction, so Docker cannot build it'],
    ['instruction before FROM', 'RUN true\nFROM x\n', '`RUN` comes before the first `FROM`; only `ARG` may precede it, so Docker rejects the file'],
    ['unknown instruction', 'FROM x\nRUN pip install flask\ngunicorn app:app\n', 'Unknown instruction `GUNICORN`: Docker rejects the file. If this line continues the one above, end that line with the escape character'],
    ['FROM without image', 'FROM\n', '`FROM` has no image, so Docker rejects the file'],
    ['healthcheck without command', 'FROM x\nHEALTHCHECK --interval=5s\n', '`HEALTHCHECK` must be followed by `CMD <command>` or `NONE`, so Docker rejects the file'],
    ['shell not json', 'FROM x\nSHELL /bin/bash -c\n', '`SHELL` must be a JSON array of strings such as `["/bin/bash", "-c"]`, so Docker rejects the file'],
    ['env without equals', 'FROM x\nENV A=1 B\n', '`B` in `ENV` is not of the form `name=value`, so Docker rejects the file'],
    ['workdir without path', 'FROM x\nWORKDIR\n', '`WORKDIR` has no path, so Docker rejects the file'],
  ])('%s is a problem', (_name, text, message) => {
    const model = build(text);
    expect(model.problems.map((problem) => problem.message)).toEqual([message]);
    expect(model.problems[0].location.file.relPath).toBe('Dockerfile');
  });

  test('workdir resolves relative paths', () => {
    const stage = build('FROM x\nWORKDIR /srv\nWORKDIR app/../web\nCMD ["x"]\n').main!.stages[0];
    expect(stage.workdir!.path).toBe('/srv/web');
    expect(resolvePath('/a/b', '../../../c')).toBe('/c');
  });

  test('expose ports', () => {
    const stage = build('FROM x\nARG PORT=8000\nEXPOSE ${PORT} 9000/udp 7000-7005 $UNKNOWN\n').main!.stages[0];
    expect(stage.expose.map((entry) => entry.port)).toEqual([8000, 9000, 7000, null]);
    expect(where(stage.expose[1].location)).toBe('3:16 9000/udp');
  });

  test('healthcheck options and command', () => {
    const healthcheck = build('FROM x\nHEALTHCHECK --interval=10s --retries=3 CMD curl -f http://localhost/ || exit 1\n').main!.stages[0].healthcheck!;

    expect(healthcheck.none).toBe(false);
    expect(healthcheck.options).toEqual({ interval: '10s', retries: '3' });
    expect(healthcheck.command!.argv).toEqual(['/bin/sh', '-c', 'curl -f http://localhost/ || exit 1']);
    expect(where(healthcheck.command!.argumentsLocation)).toBe('2:44 curl -f http://localhost/ || exit 1');
  });
});

describe('commands', () => {
  test.each([
    ['exec form', 'CMD ["gunicorn", "app:app"]', 'exec', ['gunicorn', 'app:app'], null],
    ['shell form', 'CMD gunicorn app:app', 'shell', ['/bin/sh', '-c', 'gunicorn app:app'], null],
    ['single quotes', "CMD ['gunicorn']", 'shell', ['/bin/sh', '-c', "['gunicorn']"], 'uses single quotes, and JSON strings need double quotes'],
    ['trailing comma', 'CMD ["a",]', 'shell', ['/bin/sh', '-c', '["a",]'], 'has a trailing comma'],
    ['bad escape', 'CMD ["a\\q"]', 'shell', ['/bin/sh', '-c', '["a\\q"]'], 'has the invalid escape `\\q` (write `\\\\` for a backslash)'],
    ['shell test bracket', 'CMD [ -f /x ] && gunicorn', 'shell', ['/bin/sh', '-c', '[ -f /x ] && gunicorn'], null],
    ['empty array', 'CMD []', 'exec', [], null],
    ['unicode escape', 'CMD ["\\u0041"]', 'exec', ['A'], null],
  ])('%s', (_name, line, form, argv, invalidJson) => {
    const cmd = build(`FROM x\n${line}\n`).main!.target!.cmd!;
    expect(cmd.form).toBe(form);
    expect(cmd.argv).toEqual(argv);
    expect(cmd.invalidJson).toBe(invalidJson);
  });

  test('shell instruction changes shell form', () => {
    const target = build('FROM x\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nCMD gunicorn app:app\n').main!.target!;
    expect(target.command).toEqual(['/bin/bash', '-o', 'pipefail', '-c', 'gunicorn app:app']);
  });

  test('exec entrypoint takes cmd arguments', () => {
    const target = build('FROM x\nENTRYPOINT ["tini", "--"]\nCMD ["gunicorn", "app:app"]\n').main!.target!;
    expect(target.command).toEqual(['tini', '--', 'gunicorn', 'app:app']);
  });

  test('shell entrypoint ignores cmd', () => {
    const target = build('FROM x\nENTRYPOINT exec gunicorn app:app\nCMD ["--workers", "2"]\n').main!.target!;
    expect(target.command).toEqual(['/bin/sh', '-c', 'exec gunicorn app:app']);
    expect(target.cmd!.argv).toEqual(['--workers', '2']);
  });

  test('child entrypoint resets inherited cmd', () => {
    const target = build('FROM x AS base\nCMD ["gunicorn", "app:app"]\nFROM base\nENTRYPOINT ["/entrypoint.sh"]\n').main!.target!;
    expect(target.cmd).toBeNull();
    expect(target.command).toEqual(['/entrypoint.sh']);
  });

  test('cmd before entrypoint in same stage survives', () => {
    const target = build('FROM x\nCMD ["gunicorn", "app:app"]\nENTRYPOINT ["/entrypoint.sh"]\n').main!.target!;
    expect(target.command).toEqual(['/entrypoint.sh', 'gunicorn', 'app:app']);
  });

  test('child cmd keeps inherited entrypoint', () => {
    const target = build('FROM x AS base\nENTRYPOINT ["/entrypoint.sh"]\nFROM base\nCMD ["gunicorn", "app:app"]\n').main!.target!;
    expect(target.command).toEqual(['/entrypoint.sh', 'gunicorn', 'app:app']);
    expect(target.entrypoint!.stage.name).toBe('base');
  });

  test('arguments location over continuation', () => {
    const cmd = build('FROM x\nCMD ["gunicorn", \\\n     "app:app"]\n').main!.target!.cmd!;
    expect(cmd.raw).toBe('["gunicorn",      "app:app"]');
    expect(where(cmd.argumentsLocation)).toBe('2:5 ["gunicorn", \\\n     "app:app"]');
  });
});

describe('effective stage', () => {
  test('inherits from parent stages', () => {
    const model = build(
      'FROM python:3.12-slim AS base\nENV A=1\nWORKDIR /app\nUSER 10001\nEXPOSE 8000\nHEALTHCHECK CMD true\nCMD ["gunicorn", "app:app"]\n' +
        'FROM base AS mid\nENV B=$A\nFROM mid\nRUN echo\n',
    );
    const target = model.main!.target!;

    expect(target.user!.resolved).toBe('10001');
    expect(target.cmd!.argv).toEqual(['gunicorn', 'app:app']);
    expect(target.healthcheck!.stage.name).toBe('base');
    expect([...target.env.keys()]).toEqual(['A', 'B']);
    expect(target.env.get('B')!.value).toBe('1');
    expect(target.workdir).toBe('/app');
    expect(target.expose.map((entry) => entry.port)).toEqual([8000]);
    expect(target.instructions.map((instruction) => instruction.keyword)).toEqual(['ENV', 'WORKDIR', 'USER', 'EXPOSE', 'HEALTHCHECK', 'CMD', 'ENV', 'RUN']);
  });

  test('build stage not inherited', () => {
    const target = build('FROM python:3.12 AS build\nUSER root\nENV SECRET=x\nFROM python:3.12-slim\nCOPY --from=build /a /a\n').main!.target!;
    expect(target.user).toBeNull();
    expect(target.env.size).toBe(0);
  });

  test('args are not in the runtime environment', () => {
    const target = build('FROM x\nARG A=1\nENV B=2\n').main!.target!;
    expect([...target.env.keys()]).toEqual(['B']);
    expect(target.stage.env.map((entry) => entry.keyword)).toEqual(['ARG', 'ENV']);
  });
});

describe('main Dockerfile', () => {
  test('root Dockerfile preferred', () => {
    const model = buildDockerModel([
      createSourceFile('api/Dockerfile', 'dockerfile', 'FROM a\n'),
      createSourceFile('Dockerfile', 'dockerfile', 'FROM b\n'),
    ]);
    expect(model.main!.file.relPath).toBe('Dockerfile');
    expect(model.dockerfiles).toHaveLength(2);
  });

  test('first found without root Dockerfile', () => {
    const model = buildDockerModel([
      createSourceFile('services/web/Dockerfile', 'dockerfile', 'FROM a\n'),
      createSourceFile('services/worker/Dockerfile', 'dockerfile', 'FROM b\n'),
    ]);
    expect(model.main!.file.relPath).toBe('services/web/Dockerfile');
  });

  test('target option applies to main only', () => {
    const model = buildDockerModel(
      [createSourceFile('Dockerfile', 'dockerfile', 'FROM a AS prod\nFROM b\n'), createSourceFile('Dockerfile.dev', 'dockerfile', 'FROM c\n')],
      { target: 'prod' },
    );
    expect(model.problems).toEqual([]);
    expect(model.dockerfiles[1].target!.stage.image).toBe('c');
  });

  test('no Dockerfile', () => {
    expect(buildDockerModel([createSourceFile('app.py', 'python', 'x = 1\n')])).toEqual({ dockerfiles: [], main: null, problems: [] });
  });
});

describe('bad input', () => {
  const pieces = ['FROM ', 'python:3.12', ' AS b', 'RUN ', 'CMD ', 'ENTRYPOINT ', 'COPY ', 'ARG ', 'ENV ', 'USER ', 'HEALTHCHECK ', 'NONE', 'WORKDIR ',
    'SHELL ', '<<EOF', 'EOF', '<<-X', '\\', '`', '\n', '\r\n', '\r', '"', "'", '[', ']', ',', '${', '}', '$', ':-', 'A=1', '=', ' ', '#',
    '# escape=`', '--from=b', '--mount=type=cache', 'sh -c ', 'exec ', '"$@"', '&&', '|', ';', 'gunicorn', '/e.sh', '\t', '(', ')', '\u00e9', '\ud83d\ude00'];

  /** Builds text from pieces chosen by a linear congruential generator, so every run checks the same inputs. */
  function randomText(seed: number): string {
    let state = seed;
    const next = () => (state = (state * 1103515245 + 12345) & 0x7fffffff);
    let text = '';
    for (let count = next() % 60; count > 0; count--) text += pieces[next() % pieces.length];
    return text;
  }

  test('random Dockerfiles never throw', () => {
    const failures: string[] = [];

    for (let seed = 1; seed <= 1500; seed++) {
      const dockerfile = randomText(seed);
      const script = randomText(seed + 7);
      const files = [createSourceFile('Dockerfile', 'dockerfile', dockerfile), createSourceFile('e.sh', 'shell', script)];
      try {
        const model = buildDockerModel(files);
        if (model.main?.target) traceLaunch(model.main.target, files);
        if (seed % 10 === 0) checkFiles({ Dockerfile: dockerfile, 'e.sh': script });
      } catch (error) {
        failures.push(`${JSON.stringify(dockerfile)}: ${String(error)}`);
      }
    }

    expect(failures).toEqual([]);
  });
});

describe('compose build target', () => {
  const dockerfile = createSourceFile('Dockerfile', 'dockerfile', 'FROM x AS dev\nFROM y AS prod\n');

  function yamlWith(compose: unknown, relPath = 'docker-compose.yml'): YamlModel {
    const file = createSourceFile(relPath, 'compose', '');
    return { documents: [{ file, data: compose, entries: [], role: 'compose' }], problems: [] };
  }

  test('target from compose build', () => {
    const yaml = yamlWith({ services: { web: { build: { context: '.', target: 'dev' } } } });
    expect(buildDockerModel([dockerfile], { yaml }).main!.target!.stage.name).toBe('dev');
  });

  test('explicit target wins', () => {
    const yaml = yamlWith({ services: { web: { build: { target: 'dev' } } } });
    expect(buildDockerModel([dockerfile], { yaml, target: 'prod' }).main!.target!.stage.name).toBe('prod');
  });

  test('compose in a subfolder', () => {
    expect(composeBuildTarget(yamlWith({ services: { web: { build: { context: '..', dockerfile: 'Dockerfile', target: 'dev' } } } }, 'deploy/compose.yaml'), 'Dockerfile')).toBe('dev');
  });

  test('other Dockerfile ignored', () => {
    const yaml = yamlWith({ services: { worker: { build: { dockerfile: 'Dockerfile.worker', target: 'dev' } }, web: { build: '.' } } });
    expect(composeBuildTarget(yaml, 'Dockerfile')).toBeUndefined();
  });
});
