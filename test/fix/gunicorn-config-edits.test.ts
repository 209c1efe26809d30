import { appendConfigLines, configImports, configTree, mergeInsertions, replaceConfigValue } from '../../src/fix/gunicorn-config';
import { applyEdits } from '../../src/fix/apply';
import { buildModel } from '../../src/model/build';
import type { SystemModel } from '../../src/model/types';
import type { TextEdit } from '../../src/rule';
import { systemFromMemory } from '../../src/system';

const CONFIG = 'gunicorn.conf.py';

function modelOf(config: string): SystemModel {
  return buildModel(systemFromMemory({ [CONFIG]: config }));
}

function configFile(model: SystemModel) {
  const file = model.gunicorn.configFile;
  if (!file) throw new Error(`The model has no config file \`${CONFIG}\`.`);
  return file;
}

/** Applies edits of the config file and returns its new text. */
function applied(model: SystemModel, edits: Array<TextEdit | null>): string {
  const file = configFile(model);
  return applyEdits(file.text, edits.filter((edit): edit is TextEdit => edit !== null), file.eol);
}

function appended(config: string, lines: string[]): string {
  const model = modelOf(config);
  return applied(model, [appendConfigLines(configTree(model, configFile(model)), configFile(model), lines)]);
}

function withImports(config: string, modules: string[]): string {
  const model = modelOf(config);
  return applied(model, configImports(configTree(model, configFile(model)), configFile(model), modules));
}

function replaced(config: string, setting: string, text: string): string | null {
  const model = modelOf(config);
  const edit = replaceConfigValue(model.gunicorn.settings.get(setting)!, text);
  return edit && applied(model, [edit]);
}

describe('appendConfigLines', () => {
  test.each<[string, string, string]>([
    ['end of file', 'bind = "0.0.0.0:8000"\n', 'bind = "0.0.0.0:8000"\ntimeout = 30\n'],
    ['no final line break', 'bind = "0.0.0.0:8000"', 'bind = "0.0.0.0:8000"\ntimeout = 30\n'],
    ['empty file', '', 'timeout = 30\n'],
    ['comment-only file', '# settings\n', '# settings\ntimeout = 30\n'],
    ['before hooks', 'bind = "0.0.0.0:8000"  # all\n\n\ndef on_exit(server):\n    pass\n', 'bind = "0.0.0.0:8000"  # all\ntimeout = 30\n\n\ndef on_exit(server):\n    pass\n'],
    ['after a settings block', 'import os\n\nif os.environ.get("DEV"):\n    loglevel = "debug"\n\n\n@decorate\ndef on_exit(server):\n    pass\n', 'import os\n\nif os.environ.get("DEV"):\n    loglevel = "debug"\ntimeout = 30\n\n\n@decorate\ndef on_exit(server):\n    pass\n'],
    ['settings after hooks', 'def on_exit(server):\n    pass\n\n\nbind = "0.0.0.0:8000"\n', 'def on_exit(server):\n    pass\n\n\nbind = "0.0.0.0:8000"\ntimeout = 30\n'],
    ['hooks only', 'def on_exit(server):\n    pass\n', 'def on_exit(server):\n    pass\n\n\ntimeout = 30\n'],
    ['hooks only, blank line at the end', 'def on_exit(server):\n    pass\n\n', 'def on_exit(server):\n    pass\n\n\ntimeout = 30\n'],
  ])('appends: %s', (_name, config, expected) => {
    expect(appended(config, ['timeout = 30'])).toBe(expected);
  });

  test('keeps CRLF', () => {
    expect(appended('bind = "0.0.0.0:8000"\r\n', ['timeout = 30', 'keepalive = 5'])).toBe('bind = "0.0.0.0:8000"\r\ntimeout = 30\r\nkeepalive = 5\r\n');
  });
});

describe('configImports', () => {
  test.each<[string, string, string]>([
    ['new block', 'bind = "0.0.0.0:8000"\n', 'import multiprocessing\nimport os\n\nbind = "0.0.0.0:8000"\n'],
    ['after the docstring', '"""Settings."""\nbind = "0.0.0.0:8000"\n', '"""Settings."""\nimport multiprocessing\nimport os\n\nbind = "0.0.0.0:8000"\n'],
    ['sorted into existing imports', 'import sys\nfrom pathlib import Path\n\nbind = "0.0.0.0:8000"\n', 'import multiprocessing\nimport os\nimport sys\nfrom pathlib import Path\n\nbind = "0.0.0.0:8000"\n'],
    ['after earlier imports', 'import atexit\n\nbind = "0.0.0.0:8000"\n', 'import atexit\nimport multiprocessing\nimport os\n\nbind = "0.0.0.0:8000"\n'],
    ['one missing', 'import os.path\n\nbind = "0.0.0.0:8000"\n', 'import multiprocessing\nimport os.path\n\nbind = "0.0.0.0:8000"\n'],
    ['aliased import does not count', 'import os as system\n', 'import multiprocessing\nimport os as system\nimport os\n'],
    ['imports only, no final line break', 'import sys', 'import multiprocessing\nimport os\nimport sys'],
    ['before third-party imports', 'import prometheus_client\n\nbind = "0.0.0.0:8000"\n', 'import multiprocessing\nimport os\n\nimport prometheus_client\n\nbind = "0.0.0.0:8000"\n'],
  ])('adds imports: %s', (_name, config, expected) => {
    expect(withImports(config, ['multiprocessing', 'os'])).toBe(expected);
  });

  test('nothing when all are imported', () => {
    const model = modelOf('import multiprocessing\nimport os\n');
    expect(configImports(configTree(model, configFile(model)), configFile(model), ['multiprocessing', 'os'])).toEqual([]);
  });
});

describe('replaceConfigValue', () => {
  test.each<[string, string, string, string]>([
    ['plain', 'timeout = 0\n', 'timeout', 'timeout = 30\n'],
    ['trailing comment kept', 'timeout = 0  # off\n', 'timeout', 'timeout = 30  # off\n'],
    ['annotated', 'timeout: int = 0\n', 'timeout', 'timeout: int = 30\n'],
    ['tuple unpacking', 'keepalive, timeout = 5, 0\n', 'timeout', 'keepalive, timeout = 5, 30\n'],
    ['last assignment wins', 'timeout = 10\ntimeout = 0\n', 'timeout', 'timeout = 10\ntimeout = 30\n'],
  ])('replaces %s', (_name, config, setting, expected) => {
    expect(replaced(config, setting, '30')).toBe(expected);
  });

  test.each<[string, string, string]>([
    ['comment inside', 'timeout = (\n    0  # off\n)\n', 'timeout'],
    ['chained', 'timeout = graceful_timeout = 0\n', 'timeout'],
    ['augmented', 'workers = 2\nworkers += 1\n', 'workers'],
    ['hook', 'def on_exit(server):\n    pass\n', 'on_exit'],
  ])('backs off on %s', (_name, config, setting) => {
    expect(replaced(config, setting, '30')).toBeNull();
  });
});

describe('mergeInsertions', () => {
  test('joins insertions at one offset in order', () => {
    const merged = mergeInsertions([
      { file: CONFIG, start: 4, end: 4, text: 'a' },
      null,
      { file: CONFIG, start: 4, end: 4, text: 'b' },
      { file: CONFIG, start: 0, end: 2, text: 'c' },
    ]);
    expect(merged).toEqual([
      { file: CONFIG, start: 4, end: 4, text: 'ab' },
      { file: CONFIG, start: 0, end: 2, text: 'c' },
    ]);
  });
});
