import { defineRule } from '../../src/rule';
import type { FileKind, Location, SourceFile } from '../../src/source';

/** The program that reads each kind of file, for the kinds whose readers decode UTF-8 only. */
const UTF8_READERS: Partial<Record<FileKind, string>> = {
  python: 'Python',
  'gunicorn-config': 'Gunicorn (through Python)',
  dockerfile: 'Docker',
  shell: 'the shell',
  pyproject: 'pip and other TOML readers',
};

export default defineRule({
  meta: {
    id: 'file-encoding-unreadable',
    area: 'system',
    description: 'A file is saved as UTF-16, which the program that reads it cannot decode',
    severity: 'error',
    fixable: 'none',
    messages: {
      utf8Only: '`{{file}}` is saved as UTF-16, but {{reader}} reads it as UTF-8 and fails on it; save it as UTF-8.',
      requirementsWithoutBom:
        '`{{file}}` is saved as UTF-16 without a byte order mark, so pip reads it as UTF-8 (or the locale\'s encoding) and fails on it; save it as UTF-8.',
    },
    docs: {
      whatItDoes:
        'Reports Python modules, Gunicorn configs, Dockerfiles, shell scripts and `pyproject.toml` saved as UTF-16, and requirements files saved as UTF-16 without a byte order mark. prodcheck decodes these files anyway, so its other rules still check them.',
      whyItMatters:
        'Editors on Windows and the `>` redirection of Windows PowerShell 5 write UTF-16. Python decodes source files as UTF-8 unless a `# coding:` line names another ASCII-compatible encoding, which UTF-16 is not, so importing the module fails when the container starts. Docker, `sh` and TOML readers decode UTF-8 only. pip recognises a UTF-16 requirements file by its byte order mark and decodes any other file as UTF-8 or the locale\'s encoding.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\n',
          'main.py': { text: 'from flask import Flask\n\napp = Flask(__name__)\n', encoding: 'utf16le', bom: true },
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\n',
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
          'requirements.txt': { text: 'flask==3.1.3\ngunicorn==23.0.0\n', encoding: 'utf16le', bom: true },
        },
      },
      useInstead: 'Save the file as UTF-8 (`iconv -f UTF-16 -t UTF-8 in > out`, or the encoding menu of the editor); in PowerShell, write files with `Out-File -Encoding utf8`.',
      knownLimitations: 'YAML files are not reported, because YAML readers recognise UTF-16 by its byte order mark or its first characters.',
    },
  },
  check(model, context) {
    for (const file of model.files) {
      if (file.encoding === 'utf8') continue;

      const reader = UTF8_READERS[file.kind];
      if (reader) {
        context.report({ messageId: 'utf8Only', data: { file: file.relPath, reader }, location: startOf(file) });
        continue;
      }
      if (file.kind === 'requirements' && !file.bom) {
        context.report({ messageId: 'requirementsWithoutBom', data: { file: file.relPath }, location: startOf(file) });
      }
    }
  },
});

function startOf(file: SourceFile): Location {
  return { file, start: 0, end: 0 };
}
