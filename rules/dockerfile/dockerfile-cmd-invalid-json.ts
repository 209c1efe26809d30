import { readIntendedExecForm, renderExecForm, spanHasComment } from '../../src/fix/dockerfile-edits';
import { isNonStringJsonArray } from '../../src/parsers/dockerfile';
import type { CommandSpec } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { runtimeTarget } from './stage';

export default defineRule({
  meta: {
    id: 'dockerfile-cmd-invalid-json',
    area: 'dockerfile',
    description: 'CMD, ENTRYPOINT or HEALTHCHECK looks like a JSON array but is not one, so Docker runs it as shell form',
    severity: 'error',
    fixable: 'unsafe',
    messages: {
      shellForm: '`{{keyword}}` looks like a JSON array but {{reason}}, so Docker hands the whole text to `/bin/sh -c` as one command, which fails.',
      rejected: '`{{keyword}}` is a JSON array that {{reason}}, so Docker rejects the Dockerfile.',
    },
    docs: {
      whatItDoes:
        'Checks the final stage\'s `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` by Docker\'s own rule: text starting with `[` is exec form only when it parses as a JSON array of strings. Single quotes, typographic quotes, a trailing comma, an invalid escape such as `\\d`, a missing comma or an unquoted word make it shell form. A JSON array with a number in it is rejected outright.',
      whyItMatters:
        '`CMD [\'gunicorn\', \'app:app\']` does not run Gunicorn: Docker runs `/bin/sh -c "[\'gunicorn\', \'app:app\']"`, the shell looks for a program named `[gunicorn,`, and the container exits with status 127 on every start. A broken HEALTHCHECK marks the container unhealthy forever.',
      examples: {
        bad: {
          Dockerfile: "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ['gunicorn', '-c', 'gunicorn.conf.py', 'app:app']\n",
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]\n',
        },
      },
      useInstead: 'Write exec form as strict JSON: double quotes, commas between elements and none after the last, `\\\\` for a backslash, every element a string.',
      fixSafety:
        'Unsafe: the fix writes the words the text was meant to have as strict JSON (`[\'gunicorn\', \'app:app\']` becomes `["gunicorn", "app:app"]`, a number becomes a string, `"\\d"` keeps its backslash). Docker then runs the program itself instead of a failing shell command, so the container starts doing what the words say. No fix is offered when quotes do not close, two commas follow each other, or a comment line sits inside the instruction.',
      knownLimitations:
        'Text starting with `[` that has no quote or comma right after the bracket, such as `[ -f /app/ready ] && exec gunicorn app:app`, is taken as an intended shell test and not reported.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    if (!target) return;

    const commands: Array<[string, CommandSpec | null]> = [
      ['ENTRYPOINT', target.entrypoint],
      ['CMD', target.cmd],
      ['HEALTHCHECK CMD', target.healthcheck?.command ?? null],
    ];

    for (const [keyword, command] of commands) {
      if (!command?.invalidJson) continue;

      context.report({
        messageId: isNonStringJsonArray(command.raw) ? 'rejected' : 'shellForm',
        data: { keyword, reason: command.invalidJson },
        location: command.argumentsLocation,
        fix: validJsonFix(command, keyword),
      });
    }
  },
});

function validJsonFix(command: CommandSpec, keyword: string): Fix | undefined {
  const { file, start, end } = command.argumentsLocation;
  const words = readIntendedExecForm(command.raw);
  if (!words || spanHasComment(file, start, end)) return undefined;

  return { title: `Write \`${keyword}\` as a JSON array of strings`, safety: 'unsafe', edits: [{ file: file.relPath, start, end, text: renderExecForm(words) }] };
}
