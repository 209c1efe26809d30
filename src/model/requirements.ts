import * as path from 'node:path';
import { createLogger } from '../log';
import { parsePyproject } from '../parsers/pyproject';
import { normalizeName, parseRequirementsFile, type ParsedRequirementsFile, type RequirementsInclude } from '../parsers/requirements';
import type { SourceFile } from '../source';
import type { FileLoader } from '../system';
import type { ParseProblem, Requirement, RequirementsModel } from './types';

const log = createLogger('requirements');

/** Includes nested deeper than this are not followed and become a problem. pip itself has no such limit. */
export const MAX_INCLUDE_DEPTH = 16;

/** Lock files that pin the ranges of a `pyproject.toml`, looked up beside it. */
const LOCK_FILES = ['poetry.lock', 'uv.lock', 'pdm.lock'];

/** A requirements file reached as a requirements file or as a constraints file (`-c`); one file can be both. */
interface IncludeNode {
  file: SourceFile;
  constraint: boolean;
}

/**
 * Parses the requirements files of the system, following `-r` and `-c` includes. Top-level files
 * are the discovered `requirements*` files (and files in a `requirements/` folder) that no other
 * one includes. Requirements reached only from development files (`requirements-dev.txt`,
 * `requirements/test.txt`) are marked `development`. Without any requirements file,
 * `pyproject.toml` dependencies are read instead.
 */
export function buildRequirementsModel(files: SourceFile[], load: FileLoader): RequirementsModel {
  const candidates = topLevelCandidates(files);
  if (candidates.length === 0) return buildFromPyproject(files, load);

  const graph = new IncludeGraph(load);
  for (const file of candidates) graph.visit({ file, constraint: false }, []);

  // A production file that only development files include (`requirements-dev.txt` has `-r requirements.txt`) stays top level.
  const included = new Set<string>();
  for (const file of candidates) {
    const key = nodeKey({ file, constraint: false });
    const development = isDevelopmentPath(file.relPath);
    for (const reached of graph.reachable(key)) {
      const reachedFile = graph.nodes.get(reached)!.file;
      if (reached !== key && (!development || isDevelopmentPath(reachedFile.relPath))) included.add(reached);
    }
  }

  // Files that include each other in a cycle are all included by another; the first one not reached from a root becomes a root.
  const roots = candidates.filter((file) => !included.has(nodeKey({ file, constraint: false })));
  const fromRoots = new Set<string>();
  for (const root of roots) for (const reached of graph.reachable(nodeKey({ file: root, constraint: false }))) fromRoots.add(reached);
  for (const file of candidates) {
    const key = nodeKey({ file, constraint: false });
    if (fromRoots.has(key)) continue;
    roots.push(file);
    for (const reached of graph.reachable(key)) fromRoots.add(reached);
  }
  roots.sort((a, b) => candidates.indexOf(a) - candidates.indexOf(b));

  const production = new Set<string>();
  for (const file of candidates) {
    if (isDevelopmentPath(file.relPath)) continue;
    for (const reached of graph.reachable(nodeKey({ file, constraint: false }))) production.add(reached);
  }

  const ordered = graph.order(roots.map((file) => nodeKey({ file, constraint: false })));
  const requirements: Requirement[] = [];
  const readFiles: SourceFile[] = [];

  for (const key of ordered) {
    const node = graph.nodes.get(key)!;
    if (!readFiles.includes(node.file)) readFiles.push(node.file);

    const parsed = graph.parsed.get(node.file.relPath)!;
    for (const requirement of parsed.requirements) {
      requirements.push({ ...requirement, constraint: node.constraint, development: !production.has(key) });
    }
  }

  log('read %d requirements from %d files, top level: %s', requirements.length, readFiles.length, roots.map((file) => file.relPath).join(', '));
  return createModel(readFiles, requirements, 'requirements', graph.problems, null);
}

function createModel(
  files: SourceFile[],
  requirements: Requirement[],
  source: RequirementsModel['source'],
  problems: ParseProblem[],
  lockFile: string | null,
): RequirementsModel {
  return {
    files,
    requirements,
    source,
    problems,
    lockFile,
    find(name: string): Requirement[] {
      const wanted = normalizeName(name);
      return requirements.filter((requirement) => requirement.name === wanted && !requirement.constraint && !requirement.development);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Which files are top level

/** Discovered requirements files named `requirements*` or placed in a `requirements/` folder; constraints files are only reached through `-c`. */
function topLevelCandidates(files: SourceFile[]): SourceFile[] {
  const named = files.filter((file) => {
    if (file.kind !== 'requirements') return false;
    const base = path.posix.basename(file.relPath).toLowerCase();
    const folder = path.posix.basename(path.posix.dirname(file.relPath)).toLowerCase();
    if (base.startsWith('constraints')) return false;
    return base.startsWith('requirements') || folder === 'requirements';
  });

  // pip-tools compiles `requirements.in` into `requirements.txt`; the compiled file is the one pip installs.
  const paths = new Set(named.map((file) => file.relPath));
  const installed = named.filter((file) => !(file.relPath.endsWith('.in') && paths.has(`${file.relPath.slice(0, -3)}.txt`)));

  return installed.sort((a, b) => rootRank(a.relPath) - rootRank(b.relPath) || compareText(a.relPath, b.relPath));
}

/** `requirements.txt` at the root first, then other root files, then nested ones. */
function rootRank(relPath: string): number {
  if (relPath.toLowerCase() === 'requirements.txt') return 0;
  return relPath.includes('/') ? 2 : 1;
}

const DEVELOPMENT_WORD = /^(dev|devel|develop|development|test|tests|testing|lint|linting|doc|docs|ci|local|typing|e2e)$/;

/**
 * True for files of development dependencies: a development word in the file name after
 * `requirements` (`requirements-dev.txt`, `requirements/test.txt`, `requirements_lint.in`) or as
 * a folder (`tests/requirements.txt`).
 */
export function isDevelopmentPath(relPath: string): boolean {
  const segments = relPath.toLowerCase().split('/');
  const stem = segments.pop()!.replace(/\.(txt|in)$/, '').replace(/^requirements/, '');
  const words = [...stem.split(/[-_.]+/), ...segments];
  return words.some((word) => DEVELOPMENT_WORD.test(word));
}

// ---------------------------------------------------------------------------------------------
// The include graph

function nodeKey(node: IncludeNode): string {
  return `${node.constraint ? 'c' : 'r'}:${node.file.relPath}`;
}

class IncludeGraph {
  readonly nodes = new Map<string, IncludeNode>();
  readonly parsed = new Map<string, ParsedRequirementsFile>();
  readonly edges = new Map<string, string[]>();
  readonly problems: ParseProblem[] = [];
  private readonly finished = new Set<string>();
  private readonly reachableCache = new Map<string, Set<string>>();

  constructor(private readonly load: FileLoader) {}

  /** Parses the node's file once and follows its includes depth first; `stack` contains the keys of the files that include it. */
  visit(node: IncludeNode, stack: string[]): void {
    const key = nodeKey(node);
    if (this.finished.has(key) || stack.includes(key)) return;

    this.nodes.set(key, node);
    const parsed = this.parse(node.file);
    const targets: string[] = [];
    this.edges.set(key, targets);

    for (const include of parsed.includes) {
      const target = this.resolve(node.file, include, stack.length + 1);
      if (!target) continue;

      const targetNode: IncludeNode = { file: target, constraint: include.kind === 'constraint' };
      const targetKey = nodeKey(targetNode);
      if (targetKey === key || stack.includes(targetKey)) {
        const cycle = [...stack, key, targetKey].map((entry) => entry.slice(2));
        const from = cycle.indexOf(target.relPath);
        this.problems.push({
          location: include.location,
          message: `\`${include.path}\` is included in a cycle (${cycle.slice(from).map((entry) => `\`${entry}\``).join(' -> ')}); pip fails on it with a recursion error.`,
        });
        continue;
      }

      targets.push(targetKey);
      this.visit(targetNode, [...stack, key]);
    }
    this.finished.add(key);
  }

  private parse(file: SourceFile): ParsedRequirementsFile {
    let parsed = this.parsed.get(file.relPath);
    if (!parsed) {
      parsed = parseRequirementsFile(file);
      this.parsed.set(file.relPath, parsed);
      this.problems.push(...parsed.problems);
    }
    return parsed;
  }

  /** Reads an included file relative to the including file's folder, as pip does; null after recording why not. */
  private resolve(from: SourceFile, include: RequirementsInclude, depth: number): SourceFile | null {
    const option = include.kind === 'constraint' ? '-c' : '-r';

    if (depth > MAX_INCLUDE_DEPTH) {
      this.problems.push({
        location: include.location,
        message: `\`${option} ${include.path}\` is more than ${MAX_INCLUDE_DEPTH} includes deep, so prodcheck does not follow it.`,
      });
      return null;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(include.path)) {
      this.problems.push({
        location: include.location,
        message: `\`${option} ${include.path}\` names a URL; prodcheck reads only files of the system, so the packages it declares are unknown.`,
      });
      return null;
    }

    const relPath = path.posix.normalize(path.posix.join(path.posix.dirname(from.relPath), include.path.replace(/\\/g, '/')));
    if (path.posix.isAbsolute(include.path) || relPath === '..' || relPath.startsWith('../')) {
      // A system checked as one of several under a folder may read files above its root, inside that folder.
      const outside = path.posix.isAbsolute(include.path) || relPath === '..' ? null : this.load(relPath, 'requirements');
      if (outside && 'text' in outside) return outside;

      this.problems.push({
        location: include.location,
        message: `\`${option} ${include.path}\` is outside the system folder, so prodcheck cannot read the packages it declares.`,
      });
      return null;
    }

    const loaded = this.load(relPath, 'requirements');
    if (!('text' in loaded)) {
      this.problems.push({ location: include.location, message: `\`${option} ${include.path}\` names \`${relPath}\`, which ${loaded.reason}.` });
      return null;
    }
    return loaded;
  }

  /** Returns the keys reachable from a node, itself included. */
  reachable(start: string): Set<string> {
    const cached = this.reachableCache.get(start);
    if (cached) return cached;

    const seen = new Set<string>();
    const pending = [start];
    while (pending.length > 0) {
      const key = pending.pop()!;
      if (seen.has(key) || !this.nodes.has(key)) continue;
      seen.add(key);
      pending.push(...(this.edges.get(key) ?? []));
    }
    this.reachableCache.set(start, seen);
    return seen;
  }

  /** Returns every node reachable from the roots, roots first, then includes in depth-first order. */
  order(roots: string[]): string[] {
    const ordered: string[] = [...roots];
    const seen = new Set(roots);
    const walk = (key: string): void => {
      for (const target of this.edges.get(key) ?? []) {
        if (seen.has(target)) continue;
        seen.add(target);
        ordered.push(target);
        walk(target);
      }
    };
    for (const root of roots) walk(root);
    return ordered;
  }
}

// ---------------------------------------------------------------------------------------------
// pyproject.toml

function buildFromPyproject(files: SourceFile[], load: FileLoader): RequirementsModel {
  const pyproject = files
    .filter((file) => file.kind === 'pyproject')
    .sort((a, b) => a.relPath.split('/').length - b.relPath.split('/').length || compareText(a.relPath, b.relPath))[0];
  if (!pyproject) return createModel([], [], 'none', [], null);

  const parsed = parsePyproject(pyproject);
  if (!parsed.declaresDependencies) return createModel([], [], 'none', parsed.problems, null);

  const folder = path.posix.dirname(pyproject.relPath);
  const lockFile =
    LOCK_FILES.map((name) => (folder === '.' ? name : `${folder}/${name}`)).find((relPath) => 'text' in load(relPath, 'pyproject')) ?? null;

  log('read %d dependencies from %s, lock file: %s', parsed.requirements.length, pyproject.relPath, lockFile ?? 'none');
  return createModel([pyproject], parsed.requirements, 'pyproject', parsed.problems, lockFile);
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
