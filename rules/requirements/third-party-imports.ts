import type Parser from 'tree-sitter';
import importDistributions from '../../data/import-distributions.json';
import stdlib from '../../data/python-stdlib-modules.json';
import { isTestModule } from '../../src/model/flask-queries';
import type { PythonImport, PythonModule, SystemModel } from '../../src/model/types';
import { normalizeName } from '../../src/parsers/requirements';

const STDLIB_MODULES = new Set(stdlib.modules);
const DISTRIBUTIONS: Record<string, string[]> = importDistributions.imports;

/** Files that run at build or development time only: packaging, task runners, documentation. */
const TOOLING_PATH = /(^|\/)(setup|noxfile|fabfile|conftest)\.py$|(^|\/)docs?\//;

/** An import of a module that is neither the system's own, the standard library, nor optional. */
export interface ThirdPartyImport {
  module: PythonModule;
  import: PythonImport;
  /** The top-level name: `google` for `google.cloud.storage`. */
  root: string;
}

/**
 * Lists the imports of production code that a distribution must provide. Skips relative imports,
 * the system's own modules, the standard library, test and tooling files, imports guarded by
 * `try: ... except ImportError` and imports under `if TYPE_CHECKING:`.
 */
export function thirdPartyImports(model: SystemModel): ThirdPartyImport[] {
  const local = localModuleNames(model);
  const found: ThirdPartyImport[] = [];

  for (const module of model.python.modules) {
    if (isTestModule(module) || TOOLING_PATH.test(module.file.relPath)) continue;

    for (const entry of module.imports) {
      const root = entry.module.split('.')[0];
      if (entry.relative || !root || root === '__future__') continue;
      if (STDLIB_MODULES.has(root) || local.has(root)) continue;
      if (isOptionalImport(module, entry)) continue;
      found.push({ module, import: entry, root });
    }
  }
  return found;
}

/**
 * Collects every segment of every module path of the system, because `src/orders/api.py` can be
 * imported as `orders.api` or `api` depending on the search path.
 */
function localModuleNames(model: SystemModel): Set<string> {
  const names = new Set<string>();
  for (const module of model.python.modules) {
    for (const segment of module.name.split('.')) if (segment) names.add(segment);
  }
  return names;
}

/** True for imports that the code can run without: inside `try` with an `ImportError` handler, or under `if TYPE_CHECKING:`. */
function isOptionalImport(module: PythonModule, entry: PythonImport): boolean {
  let node: Parser.SyntaxNode | null = module.tree.rootNode.descendantForIndex(entry.location.start, entry.location.end);

  while (node) {
    const parent: Parser.SyntaxNode | null = node.parent;
    if (!parent) return false;

    if (parent.type === 'try_statement' && node === parent.childForFieldName('body') && handlesImportError(parent)) return true;
    if (parent.type === 'if_statement' && node === parent.childForFieldName('consequence')) {
      const condition = parent.childForFieldName('condition')?.text ?? '';
      if (/^(typing\.)?TYPE_CHECKING$/.test(condition.trim())) return true;
    }
    node = parent;
  }
  return false;
}

function handlesImportError(tryStatement: Parser.SyntaxNode): boolean {
  return tryStatement.namedChildren.some((clause) => {
    if (clause.type !== 'except_clause') return false;
    const caught = clause.namedChildren.find((child) => child.type !== 'block' && child.type !== 'comment');
    // A bare `except:` catches ImportError too.
    if (!caught) return true;
    return /\b(ImportError|ModuleNotFoundError|Exception|BaseException)\b/.test(caught.text);
  });
}

/**
 * Lists the modules an import needs. `from google.cloud import storage, bigquery` needs
 * `google.cloud.storage` and `google.cloud.bigquery`, which two distributions provide. Other
 * imports need only their module.
 */
export function importedModules(entry: PythonImport): string[] {
  const own = tableKey(entry.module);
  const specific = entry.names
    .map((name) => `${entry.module}.${name}`)
    .filter((module) => {
      const key = tableKey(module);
      return key !== null && key.length > (own?.length ?? 0);
    });
  return specific.length > 0 ? specific : [entry.module];
}

/**
 * Returns the normalised distributions any of which provides a module: from the table of names
 * that differ (longest dotted prefix first), else the module's own name and its `python-` and `py` forms.
 */
export function distributionsForImport(moduleName: string): string[] {
  const key = tableKey(moduleName);
  if (key) return DISTRIBUTIONS[key].map(normalizeName);

  const root = normalizeName(moduleName.split('.')[0]);
  return [root, `python-${root}`, `py${root}`];
}

/** Returns the distribution to suggest in a message: the first known one, or the module's own name. */
export function suggestedDistribution(moduleName: string): string {
  const key = tableKey(moduleName);
  return key ? DISTRIBUTIONS[key][0] : moduleName.split('.')[0].replace(/_/g, '-');
}

/** Returns the longest dotted prefix of a module that the distribution table lists, or null. */
function tableKey(moduleName: string): string | null {
  const parts = moduleName.split('.');
  for (let length = parts.length; length > 0; length--) {
    const prefix = parts.slice(0, length).join('.');
    if (Object.hasOwn(DISTRIBUTIONS, prefix)) return prefix;
  }
  return null;
}
