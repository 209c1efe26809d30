import { applyEdits } from '../../src/fix/apply';
import { ensureImport, ensureImports } from '../../src/fix/python-edits';
import { buildModel } from '../../src/model/build';
import type { PythonModule } from '../../src/model/types';
import type { TextEdit } from '../../src/rule';
import { systemFromMemory } from '../../src/system';

function moduleOf(text: string): PythonModule {
  const model = buildModel(systemFromMemory({ 'main.py': text }));
  return model.python.modules[0];
}

function applied(module: PythonModule, edits: Array<TextEdit | null>): string {
  return applyEdits(module.file.text, edits.filter((edit): edit is TextEdit => edit !== null), module.file.eol);
}

function withImport(text: string, moduleName: string, name: string | null, placement: 'auto' | 'local' = 'auto'): string {
  const module = moduleOf(text);
  return applied(module, [ensureImport(module, moduleName, name, placement)]);
}

describe('ensureImport', () => {
  test.each<[string, string, string, string | null, string]>([
    ['no imports', 'app = 1\n', 'os', null, 'import os\napp = 1\n'],
    ['after the docstring', '"""Service."""\n\napp = 1\n', 'os', null, '"""Service."""\nimport os\n\napp = 1\n'],
    ['sorted into its section', 'import logging\nimport threading\n\nfrom flask import Flask\n', 'os', null, 'import logging\nimport os\nimport threading\n\nfrom flask import Flask\n'],
    ['plain before from imports', 'import logging\nfrom pathlib import Path\n', 'sys', null, 'import logging\nimport sys\nfrom pathlib import Path\n'],
    ['last of its section', 'import logging\n\nfrom flask import Flask\n', 'os', null, 'import logging\nimport os\n\nfrom flask import Flask\n'],
    ['new section before', '"""Service."""\n\nfrom flask import Flask\n\napp = Flask(__name__)\n', 'os', null, '"""Service."""\n\nimport os\n\nfrom flask import Flask\n\napp = Flask(__name__)\n'],
    ['new section after', 'import os\n\napp = 1\n', 'werkzeug.middleware.proxy_fix', 'ProxyFix', 'import os\n\nfrom werkzeug.middleware.proxy_fix import ProxyFix\n\napp = 1\n'],
    ['third party between sections', 'import os\n\nfrom store import Store\n', 'flask', 'Flask', 'import os\n\nfrom flask import Flask\n\nfrom store import Store\n'],
    ['joins a from import', 'from flask import Flask, jsonify\n', 'flask', 'request', 'from flask import Flask, jsonify, request\n'],
    ['joins in name order', 'from prometheus_client import REGISTRY, generate_latest\n', 'prometheus_client', 'Counter', 'from prometheus_client import REGISTRY, Counter, generate_latest\n'],
    ['unsorted names appended', 'from flask import jsonify, Flask\n', 'flask', 'request', 'from flask import jsonify, Flask, request\n'],
    ['parenthesised import left alone', 'from flask import (\n    Flask,\n)\n', 'flask', 'request', 'from flask import (\n    Flask,\n)\nfrom flask import request\n'],
    ['aliased import left alone', 'from flask import Flask as F\n', 'flask', 'request', 'from flask import Flask as F\nfrom flask import request\n'],
    ['after a future import', 'from __future__ import annotations\n\nfrom flask import Flask\n', 'os', null, 'from __future__ import annotations\n\nimport os\n\nfrom flask import Flask\n'],
    ['local module last', 'import os\n\nfrom flask import Flask\n', 'operations', 'operations', 'import os\n\nfrom flask import Flask\n\nfrom operations import operations\n'],
    ['unknown module with known ones', 'from flask import Flask\nfrom flask_limiter import Limiter\nfrom obscure_pkg import thing\n', 'werkzeug', 'run_simple', 'from flask import Flask\nfrom flask_limiter import Limiter\nfrom obscure_pkg import thing\nfrom werkzeug import run_simple\n'],
    ['unknown block is local', 'from flask import Flask\n\nfrom store import Store\n', 'async_bridge', 'run_sync', 'from flask import Flask\n\nfrom async_bridge import run_sync\nfrom store import Store\n'],
    ['import after code ignored', 'app = 1\nimport sys\n', 'os', null, 'import os\napp = 1\nimport sys\n'],
  ])('%s', (_name, text, moduleName, name, expected) => {
    expect(withImport(text, moduleName, name)).toBe(expected);
  });

  test('relative import is local', () => {
    expect(withImport('from flask import Flask\n\nfrom .config import load\n', '.operations', 'operations')).toBe('from flask import Flask\n\nfrom .config import load\nfrom .operations import operations\n');
  });

  test('local placement', () => {
    expect(withImport('import os\n\nfrom flask import Flask\n', 'flask_ext', 'thing', 'local')).toBe('import os\n\nfrom flask import Flask\n\nfrom flask_ext import thing\n');
  });

  test('CRLF kept', () => {
    expect(withImport('from flask import Flask\r\n\r\napp = 1\r\n', 'os', null)).toBe('import os\r\n\r\nfrom flask import Flask\r\n\r\napp = 1\r\n');
  });

  test('nothing when imported', () => {
    expect(ensureImport(moduleOf('import os\n'), 'os', null)).toBeNull();
  });
});

describe('ensureImports', () => {
  test('one section with one gap', () => {
    const module = moduleOf('"""Service."""\n\nfrom flask import Flask\n');

    expect(applied(module, ensureImports(module, [{ module: 'os', name: null }, { module: 'logging', name: null }]))).toBe('"""Service."""\n\nimport logging\nimport os\n\nfrom flask import Flask\n');
  });

  test('several sections', () => {
    const module = moduleOf('from store import Store\n');
    const edits = ensureImports(module, [
      { module: 'threading', name: null },
      { module: 'flask', name: 'Flask' },
    ]);

    expect(applied(module, edits)).toBe('import threading\n\nfrom flask import Flask\n\nfrom store import Store\n');
  });
});
