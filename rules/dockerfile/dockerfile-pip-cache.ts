import { instructionDetails } from '../../src/model/docker';
import type { ShellCommand } from '../../src/model/shell';
import { mappedLocation } from '../../src/parsers/dockerfile';
import { defineRule, type Fix } from '../../src/rule';
import type { Location } from '../../src/source';
import { pipInstallIndex, programWords, runScripts, runtimeTarget, type RunScript } from './stage';

export default defineRule({
  meta: {
    id: 'dockerfile-pip-cache',
    area: 'dockerfile',
    description: '`pip install` in the final image keeps its download cache',
    severity: 'info',
    fixable: 'safe',
    messages: {
      cached: '`pip install` keeps its download cache in the image layer; add `--no-cache-dir` or set `PIP_NO_CACHE_DIR=1`.',
    },
    docs: {
      whatItDoes:
        'Reports `pip install` (also `pip3` and `python -m pip`) in RUN instructions of the final stage and the stages it is built FROM, unless the command has `--no-cache-dir`, `PIP_NO_CACHE_DIR` is set by ENV, ARG or on the command, the RUN uses a `--mount=type=cache` mount, or the same RUN runs `pip cache purge` or removes `~/.cache`. Heredoc RUN scripts are read too. Build stages whose files are copied out selectively are not judged.',
      whyItMatters:
        'pip keeps every downloaded wheel under `/root/.cache/pip`; in a Docker layer that cache is never reused but still shipped, often tens of megabytes.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "app:app"]\n',
        },
        good: {
          Dockerfile:
            'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "app:app"]\n',
        },
      },
      useInstead: 'Write `pip install --no-cache-dir ...`, set `ENV PIP_NO_CACHE_DIR=1` before it, or use `RUN --mount=type=cache,target=/root/.cache/pip pip install ...` to keep the cache outside the image.',
      fixSafety:
        'Safe: the fix adds `--no-cache-dir` right after `install`. pip installs the same packages and only skips keeping the downloaded files. No fix is offered for exec-form RUN, where words do not map to the text one to one.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    if (!target) return;

    for (const script of runScripts(target.instructions)) {
      if (cacheAvoided(script)) continue;

      const install = script.commands.find((command) => pipInstallIndex(command) !== -1 && !disablesCache(command));
      if (!install) continue;

      const installWord = install.words[pipInstallIndex(install)];
      const word = mappedLocation(script.text, installWord.start, installWord.end);
      context.report({ messageId: 'cached', location: mappedLocation(script.text, install.start, installWord.end), fix: noCacheFix(word) });
    }
  },
});

/** Inserts `--no-cache-dir` after the `install` word, when the word is written as it is read. */
function noCacheFix(installWord: Location): Fix | undefined {
  const { file, start, end } = installWord;
  if (file.text.slice(start, end) !== 'install') return undefined;
  return { title: 'Add `--no-cache-dir`', safety: 'safe', edits: [{ file: file.relPath, start: end, end, text: ' --no-cache-dir' }] };
}

/** Tells whether a cache mount, `PIP_NO_CACHE_DIR` in scope, or a cleanup in the same RUN keeps the cache out of the layer. */
function cacheAvoided(script: RunScript): boolean {
  const details = instructionDetails(script.instruction);
  if (!details) return false;

  if (details.flags.some((flag) => flag.name === 'mount' && /(^|,)type=cache(,|$)/.test(flag.value ?? ''))) return true;
  // Any non-empty value turns the cache off, even `0`; an unknown value is given the benefit of the doubt.
  if (details.expand('${PIP_NO_CACHE_DIR:+set}').value !== '') return true;
  return script.commands.some(removesCache);
}

function disablesCache(command: ShellCommand): boolean {
  if (command.words.some((word) => word.value === '--no-cache-dir' || word.value.startsWith('--no-cache-dir='))) return true;
  return command.assignments.some((assignment) => /^PIP_NO_CACHE_DIR=.+/.test(assignment.value));
}

function removesCache(command: ShellCommand): boolean {
  const { program, words } = programWords(command);
  const values = words.map((word) => word.value);

  if (/^pip(\d+(\.\d+)?)?$/.test(program) && values[1] === 'cache' && values[2] === 'purge') return true;
  return program === 'rm' && values.some((value) => /\.cache(\/pip)?\/?\*?$/.test(value));
}
