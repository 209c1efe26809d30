import * as path from 'node:path';
import { compareText, MAX_FILES, type ListedFile, type SkippedFile, type TreeListing } from './discovery';
import { createLogger } from './log';
import { parsePython, pythonQuery } from './parsers/python';
import type { SourceFile } from './source';

const log = createLogger('roots');

/** One system found under the checked folder: its folder and the files that belong to it. */
export interface SystemPlan {
  /** The system's folder relative to the checked folder, with `/` separators; '' is the checked folder itself. */
  folder: string;
  /** The system's files, with paths relative to the system's folder. */
  files: ListedFile[];
  skipped: SkippedFile[];
}

/** Kinds whose presence below a Dockerfile shows that the Dockerfile builds a Python service. */
const PYTHON_SERVICE_KINDS = new Set<ListedFile['kind']>(['python', 'gunicorn-config', 'requirements', 'pyproject']);

/** Paths of test code; an app created there is a test double, not a service. */
const TEST_PATH = /(^|\/)(tests?|testing)\/|(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/;

/** The cheap test a module passes before it is parsed: it imports flask and calls something named `Flask`. */
const FLASK_IMPORT = /^[ \t]*(from[ \t]+flask[ \t]+import\b|import[ \t]+flask\b)/m;
const FLASK_CALL = /\bFlask[ \t]*\(/;

const FLASK_CALL_QUERY = `
(call function: (identifier) @callee)
(call function: (attribute attribute: (identifier) @callee))
`;

/**
 * Splits a listed tree into systems. A folder is a system root when it holds:
 *
 * - a Dockerfile, and Python modules, requirements or a Gunicorn config sit below it that no
 *   deeper Dockerfile's folder takes (a folder with only a Dockerfile, such as `docker/` or a
 *   proxy image, belongs to the system around it);
 * - or, where no such Dockerfile folder is at or above it, a Gunicorn config file, or a module
 *   that creates a Flask app. For a module the root is the folder it is imported from, which is
 *   the first folder at or above it that is not a package (`app/__init__.py` is imported as `app`).
 *
 * Each file belongs to the nearest root at or above it. Without any root, the whole tree is one
 * system. Files outside every root are left out; a system still reads them when it names them
 * (`-r ../requirements-common.txt`).
 */
export function planSystems(listing: TreeListing, createsFlaskApp: (file: ListedFile) => boolean): SystemPlan[] {
  const dockerFolders = new Set(listing.files.filter((file) => file.kind === 'dockerfile').map((file) => folderOf(file.relPath)));
  const roots = new Set<string>();

  for (const file of listing.files) {
    if (!PYTHON_SERVICE_KINDS.has(file.kind)) continue;
    const owner = nearestFolder(folderOf(file.relPath), dockerFolders);
    if (owner !== null) roots.add(owner);
  }
  const dockerRoots = new Set(roots);

  const packages = new Set(listing.files.filter((file) => path.posix.basename(file.relPath) === '__init__.py').map((file) => folderOf(file.relPath)));
  for (const file of listing.files) {
    if (nearestFolder(folderOf(file.relPath), dockerRoots) !== null) continue;

    if (file.kind === 'gunicorn-config') roots.add(folderOf(file.relPath));
    else if (file.kind === 'python' && !TEST_PATH.test(file.relPath) && createsFlaskApp(file)) roots.add(importRoot(folderOf(file.relPath), packages));
  }

  if (roots.size === 0) {
    const skipped = [...listing.skipped];
    return [{ folder: '', files: limitFiles(listing.files, skipped), skipped }];
  }
  return partition(listing, roots);
}

/**
 * Returns the system a file belongs to: the plan whose folder is the nearest at or above the
 * file, which is `relPath` relative to the listed folder. Returns null for a file outside every
 * system, such as a shared requirements file above the services that include it.
 */
export function planOwning(plans: readonly SystemPlan[], relPath: string): SystemPlan | null {
  const byFolder = new Map(plans.map((plan) => [plan.folder, plan]));
  const owner = nearestFolder(folderOf(relPath), new Set(byFolder.keys()));
  return owner === null ? null : byFolder.get(owner)!;
}

/** Returns true when a Python module calls `Flask(...)` or `flask.Flask(...)` in code; comments and strings do not count. */
export function moduleCreatesFlaskApp(file: SourceFile): boolean {
  if (!FLASK_CALL.test(file.text) || !FLASK_IMPORT.test(file.text)) return false;

  const { tree } = parsePython(file);
  return pythonQuery(FLASK_CALL_QUERY)
    .captures(tree.rootNode)
    .some((capture) => capture.node.text === 'Flask');
}

function partition(listing: TreeListing, roots: Set<string>): SystemPlan[] {
  const plans = new Map<string, SystemPlan>();
  for (const folder of [...roots].sort(compareText)) plans.set(folder, { folder, files: [], skipped: [] });

  // NOTE: a compose file or Kubernetes manifest above every root (a monorepo's top-level
  // docker-compose.yml that builds `./services/api`) is read by no system, so its probes, ports and
  // stop grace periods are not checked against the services it names.
  let outside = 0;
  for (const file of listing.files) {
    const owner = nearestFolder(folderOf(file.relPath), roots);
    if (owner === null) outside++;
    else plans.get(owner)!.files.push({ ...file, relPath: relativeTo(owner, file.relPath) });
  }
  for (const entry of listing.skipped) {
    const owner = nearestFolder(folderOf(entry.relPath), roots);
    if (owner !== null) plans.get(owner)!.skipped.push({ ...entry, relPath: relativeTo(owner, entry.relPath) || '.' });
  }

  for (const plan of plans.values()) plan.files = limitFiles(plan.files, plan.skipped);
  log('found %d systems; %d files are outside every system', plans.size, outside);
  return [...plans.values()];
}

/** Keeps the first `MAX_FILES` files of one system and records the rest as skipped. */
function limitFiles(files: ListedFile[], skipped: SkippedFile[]): ListedFile[] {
  if (files.length <= MAX_FILES) return files;

  skipped.push({ relPath: files[MAX_FILES].relPath, reason: `is past the ${MAX_FILES} file limit; the rest of the system was not read` });
  return files.slice(0, MAX_FILES);
}

/** Returns the folder from which the modules of `folder` are imported: the first folder at or above it that is not a package. */
function importRoot(folder: string, packages: Set<string>): string {
  let current = folder;
  while (current !== '' && packages.has(current)) current = folderOf(current);
  return current;
}

/** Returns the deepest folder of `folders` at or above `folder`, or null. */
function nearestFolder(folder: string, folders: Set<string>): string | null {
  for (let current = folder; ; current = folderOf(current)) {
    if (folders.has(current)) return current;
    if (current === '') return null;
  }
}

function folderOf(relPath: string): string {
  const slash = relPath.lastIndexOf('/');
  return slash === -1 ? '' : relPath.slice(0, slash);
}

function relativeTo(folder: string, relPath: string): string {
  return folder === '' ? relPath : relPath.slice(folder.length + 1);
}
