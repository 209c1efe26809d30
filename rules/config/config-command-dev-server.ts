import { moduleStartedByCommand, productionCalls } from '../../src/model/flask-queries';
import { composeServices, kubernetesContainers, locationAt } from '../../src/model/orchestration';
import { parseShellCommands, splitShellWords } from '../../src/model/shell';
import type { SystemModel } from '../../src/model/types';
import { defineRule } from '../../src/rule';
import type { Location } from '../../src/source';
import { isDevServerCall } from '../python/dev-server-calls';
import { isDevelopmentCompose } from './containers';

/** A command that compose or Kubernetes runs in place of the image's, with where it is written. */
interface CommandOverride {
  owner: string;
  argv: string[];
  location: Location;
}

export default defineRule({
  meta: {
    id: 'config-command-dev-server',
    area: 'config',
    description: 'Compose or Kubernetes replaces the image command with the development server',
    severity: 'error',
    fixable: 'none',
    spansFiles: true,
    messages: {
      flaskRun: '{{owner}} runs `{{command}}` in place of the image\'s command, so production traffic reaches the Werkzeug development server.',
      script: '{{owner}} runs `{{command}}` in place of the image\'s command, and `{{module}}` then starts the development server with `{{call}}`.',
    },
    docs: {
      whatItDoes:
        'Reads the `command` and `entrypoint` of each compose service and the `command` and `args` of each Kubernetes container, which replace the image\'s ENTRYPOINT and CMD. Reports `flask run` and `python -m flask run`, and `python script.py` or `python -m module` when that module of the system calls `app.run()` or `run_simple()`, guarded by `if __name__ == "__main__":` or not. Compose files for development (`docker-compose.override.yml`, `compose.dev.yaml`) are not checked.',
      whyItMatters:
        'A Dockerfile that starts Gunicorn does not help when the deployment starts something else: the container then serves with the single-process Werkzeug development server, which has no worker management, timeouts or graceful shutdown. Checking the Dockerfile alone misses this.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]\n',
          'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: flask --app main run --host 0.0.0.0\n',
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]\n',
          'docker-compose.yml': 'services:\n  web:\n    build: .\n',
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
        },
      },
      useInstead: 'Leave `command` unset so the image\'s Gunicorn command runs, or start Gunicorn there too (`command: ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]`). Keep `flask run` in a development compose file.',
      knownLimitations:
        'A Kubernetes container is not matched to its image, so a command is judged by what it runs, whatever image it starts. A command given as a variable or through a script is not followed.',
    },
  },
  check(model, context) {
    const workdir = model.docker.main?.target?.workdir ?? null;
    for (const override of commandOverrides(model)) {
      const words = programWords(override.argv);
      const command = override.argv.join(' ');
      if (isFlaskRun(words)) {
        context.report({ messageId: 'flaskRun', data: { owner: override.owner, command }, location: override.location });
        continue;
      }

      const started = moduleStartedByCommand(model, words, workdir);
      const call = started ? productionCalls(model).find((candidate) => candidate.module === started && isDevServerCall(candidate)) : undefined;
      if (!started || !call) continue;

      context.report({ messageId: 'script', data: { owner: override.owner, command, module: started.file.relPath, call: callText(call.node.text) }, location: override.location });
    }
  },
});

/** Lists the commands that production compose services and Kubernetes containers run instead of the image's. */
function commandOverrides(model: SystemModel): CommandOverride[] {
  const overrides: CommandOverride[] = [];
  for (const service of composeServices(model)) {
    if (isDevelopmentCompose(service.document.file.relPath)) continue;

    const entrypoint = commandWords(service.data.entrypoint);
    const command = commandWords(service.data.command);
    if (!entrypoint && !command) continue;

    const key = entrypoint ? 'entrypoint' : 'command';
    overrides.push({ owner: `compose service \`${service.name}\``, argv: [...(entrypoint ?? []), ...(command ?? [])], location: locationAt(service.document, [...service.path, key]) });
  }

  for (const container of kubernetesContainers(model)) {
    const command = commandWords(container.data.command);
    const args = commandWords(container.data.args);
    if (!command && !args) continue;

    const key = command ? 'command' : 'args';
    overrides.push({ owner: `Kubernetes container \`${container.name}\``, argv: [...(command ?? []), ...(args ?? [])], location: locationAt(container.document, [...container.path, key]) });
  }
  return overrides;
}

/** Reads a command written as a list of words or as one string, which compose splits like a shell does. */
function commandWords(value: unknown): string[] | null {
  if (typeof value === 'string') return splitShellWords(value).map((word) => word.value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) return value.map(String);
  return null;
}

/** Returns the words of the program a command runs: the last command of a `sh -c` script, without a leading `exec`. */
function programWords(argv: string[]): string[] {
  let words = argv;
  if (words.length >= 3 && /(^|\/)(ba)?sh$/.test(words[0]) && words[1] === '-c') {
    const commands = parseShellCommands(words[2]);
    words = commands.length > 0 ? commands[commands.length - 1].words.map((word) => word.value) : [];
  }
  return words[0] === 'exec' ? words.slice(1) : words;
}

/** True for `flask ... run` and `python -m flask ... run`. */
function isFlaskRun(words: string[]): boolean {
  const program = words[0] ?? '';
  if (/(^|\/)flask$/.test(program)) return words.includes('run');

  const module = words.indexOf('-m');
  return /(^|\/)python[\d.]*$/.test(program) && module !== -1 && words[module + 1] === 'flask' && words.slice(module + 2).includes('run');
}

function callText(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
