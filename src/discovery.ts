import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { decodeBytes } from './decode';
import { createSourceFile, type FileKind, type SourceFile } from './source';
import { createLogger } from './log';

const log = createLogger('discovery');

/** Files larger than this are skipped with a message: source and configuration files of a service are far smaller. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Folders deeper than this below the root are not entered. */
export const MAX_DEPTH = 32;
/** The walk stops after this many files of the kinds prodcheck reads. */
export const MAX_FILES = 50_000;

const SKIPPED_FOLDERS = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'site-packages',
]);

/** A file that could not be read, with the reason in words. */
export interface SkippedFile {
  relPath: string;
  reason: string;
}

/** A file found by `listTree`, not yet read. */
export interface ListedFile {
  relPath: string;
  kind: FileKind;
  /** True when the path passes through a symbolic link, so reading it must check where the link leads. */
  linked: boolean;
}

/** The files of a folder tree that prodcheck reads, and the entries it could not list or will not read. */
export interface TreeListing {
  root: string;
  files: ListedFile[];
  skipped: SkippedFile[];
}

export interface DiscoveredSystem {
  root: string;
  files: SourceFile[];
  skipped: SkippedFile[];
}

/** Returns the kind of a file from its path relative to the root, or null when prodcheck does not read it. */
export function classifyPath(relPath: string): FileKind | null {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();

  if (/^(gunicorn[._-]?conf(ig)?|gunicorn_config|gunicorn\.config)\.py$/.test(lower)) return 'gunicorn-config';
  if (lower.endsWith('.py')) return 'python';
  if (lower === 'dockerfile' || lower === 'containerfile') return 'dockerfile';
  if (lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile')) return 'dockerfile';
  if (/^(requirements|constraints)([._-][\w.-]*)?\.(txt|in)$/.test(lower)) return 'requirements';
  if (/(^|\/)requirements\/[^/]+\.(txt|in)$/.test(relPath.toLowerCase())) return 'requirements';
  if (lower === 'pyproject.toml') return 'pyproject';
  if (/^(docker-)?compose([._-][\w.-]*)?\.ya?ml$/.test(lower)) return 'compose';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) {
    // prodcheck's own configuration is not part of the service. Files in a `templates` folder
    // (Helm charts, Go templates) are YAML only once rendered, so they do not parse before.
    if (lower === '.prodcheck.yaml' || lower === '.prodcheck.yml') return null;
    if (/(^|\/)templates\//.test(relPath.toLowerCase())) return null;
    return 'yaml';
  }
  if (lower.endsWith('.sh') || /^(docker-)?entrypoint$/.test(lower)) return 'shell';
  return null;
}

/**
 * Reads one file of the system. Returns the decoded file or the reason it was skipped. Never
 * follows a symbolic link that leads outside `boundary`. The boundary is `root` unless the caller
 * allows a wider folder, such as the checked folder for a file that a system includes from above
 * its root (`-r ../requirements-common.txt`).
 */
export function readSystemFile(root: string, relPath: string, kind: FileKind, boundary: string = root): SourceFile | SkippedFile {
  const absolute = path.join(root, relPath);
  let real: string;
  let stat: fs.Stats;
  try {
    real = fs.realpathSync.native(absolute);
    stat = fs.statSync(real);
  } catch (error) {
    return { relPath, reason: `cannot be read: ${describeError(error)}` };
  }

  if (!isInside(realBoundary(boundary), real)) return { relPath, reason: 'is a symbolic link to a file outside the system, so it was not read' };
  if (stat.isDirectory()) return { relPath, reason: 'is a folder, not a file' };
  if (!stat.isFile()) return { relPath, reason: 'is not a regular file' };
  if (stat.size > MAX_FILE_BYTES) return tooLarge(relPath, stat.size);

  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(real);
  } catch (error) {
    return { relPath, reason: `cannot be read: ${describeError(error)}` };
  }
  return decodeFile(relPath, kind, bytes);
}

/**
 * Reads a file found by `listTree`. A path that passed through no symbolic link when it was
 * listed is opened without resolving links, and a file that has become a link since then is read
 * with the checks of `readSystemFile`. The size limit is checked on the open file, before its
 * bytes are read.
 */
export function readListedFile(root: string, file: ListedFile): SourceFile | SkippedFile {
  if (file.linked) return readSystemFile(root, file.relPath, file.kind);

  let descriptor: number;
  try {
    descriptor = fs.openSync(path.join(root, file.relPath), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOOP') return readSystemFile(root, file.relPath, file.kind);
    return { relPath: file.relPath, reason: `cannot be read: ${describeError(error)}` };
  }

  try {
    const stat = fs.fstatSync(descriptor);
    if (!stat.isFile()) return { relPath: file.relPath, reason: 'is not a regular file' };
    if (stat.size > MAX_FILE_BYTES) return tooLarge(file.relPath, stat.size);
    return decodeFile(file.relPath, file.kind, readOpenFile(descriptor, stat.size));
  } catch (error) {
    return { relPath: file.relPath, reason: `cannot be read: ${describeError(error)}` };
  } finally {
    fs.closeSync(descriptor);
  }
}

/**
 * The buffer that `readOpenFile` reads into, grown to the largest file read so far (at most
 * `MAX_FILE_BYTES`). In a CPU profile of the benchmark corpus, allocating a new buffer for each file
 * took more time than reading the files.
 */
let readBuffer = Buffer.alloc(0);

/**
 * Reads an open file of `size` bytes, as `fstat` gave it, or less when it shrank since. The bytes
 * returned are overwritten by the next read, so callers decode them at once.
 */
function readOpenFile(descriptor: number, size: number): Buffer {
  if (readBuffer.length < size) readBuffer = Buffer.allocUnsafe(Math.max(size, 64 * 1024));

  let length = 0;
  while (length < size) {
    const read = fs.readSync(descriptor, readBuffer, length, size - length, null);
    if (read === 0) break;
    length += read;
  }
  return readBuffer.subarray(0, length);
}

function decodeFile(relPath: string, kind: FileKind, bytes: Buffer): SourceFile | SkippedFile {
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return { relPath, reason: decoded.reason };

  return createSourceFile(relPath, kind, decoded.value.text, decoded.value.encoding, decoded.value.bom);
}

function tooLarge(relPath: string, size: number): SkippedFile {
  return { relPath, reason: `is ${formatBytes(size)}, over the ${formatBytes(MAX_FILE_BYTES)} limit, so it was not read` };
}

/** The resolved boundary folder of the last read; a run reads thousands of files under one root. */
let lastBoundary: { folder: string; real: string } | null = null;

function realBoundary(folder: string): string {
  if (lastBoundary?.folder !== folder) lastBoundary = { folder, real: fs.realpathSync.native(folder) };
  return lastBoundary.real;
}

/** Walks `root` and reads every file of a kind prodcheck checks. */
export function discoverSystem(root: string): DiscoveredSystem {
  const listing = listTree(root);
  const files: SourceFile[] = [];
  const skipped: SkippedFile[] = [...listing.skipped];

  for (const listed of listing.files) {
    const read = readListedFile(root, listed);
    if ('text' in read) files.push(read);
    else skipped.push(read);
  }
  skipped.sort((a, b) => compareText(a.relPath, b.relPath));
  log('discovered %d files and skipped %d under %s', files.length, skipped.length, root);
  return { root, files, skipped };
}

/**
 * Walks `root` and lists every file of a kind prodcheck checks, without reading any. Skips what
 * `.gitignore` files exclude, hidden folders, virtual environments and links that lead outside
 * `root`. Folders and files that cannot be listed or read are returned as skipped. Files come in
 * depth-first order, the entries of each folder sorted by name.
 */
export function listTree(root: string, maxFiles: number = MAX_FILES): TreeListing {
  const files: ListedFile[] = [];
  const skipped: SkippedFile[] = [];
  const realRoot = fs.realpathSync(root);
  const visited = new Set<string>([realRoot]);

  // `realFolder` is the folder's path with links resolved. Each real folder is listed once, at the
  // first path that reaches it, so a folder that a link also leads to is not listed twice.
  const walk = (relFolder: string, realFolder: string, depth: number, ignores: Array<{ base: string; matcher: Ignore }>, linked: boolean): boolean => {
    const absoluteFolder = path.join(root, relFolder);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(absoluteFolder, { withFileTypes: true });
    } catch (error) {
      skipped.push({ relPath: relFolder || '.', reason: `cannot be listed: ${describeError(error)}` });
      return true;
    }

    const ownIgnore = entries.some((entry) => entry.name === '.gitignore') ? loadGitignore(absoluteFolder) : null;
    const activeIgnores = ownIgnore ? [...ignores, { base: relFolder, matcher: ownIgnore }] : ignores;
    entries.sort((a, b) => compareText(a.name, b.name));

    for (const entry of entries) {
      const relPath = relFolder ? `${relFolder}/${entry.name}` : entry.name;
      let isFolder = entry.isDirectory();
      let isFile = entry.isFile();
      const isLink = entry.isSymbolicLink();
      let realPath = path.join(realFolder, entry.name);

      if (isLink) {
        const target = resolveLink(path.join(root, relPath));
        if (!target) continue;
        if (!isInside(realRoot, target.real)) {
          if (classifyPath(relPath)) skipped.push({ relPath, reason: 'is a symbolic link to a file outside the system, so it was not read' });
          continue;
        }
        isFolder = target.stat.isDirectory();
        isFile = target.stat.isFile();
        realPath = target.real;
        // A link to a folder that contains it (`up -> ..`) would list that folder's files again under
        // a second path, so the same finding would be reported, and fixed, twice.
        if (isFolder && isInside(target.real, realFolder)) continue;
      }
      if (isFolder && visited.has(realPath)) continue;

      if (activeIgnores.length > 0 && isIgnored(activeIgnores, relPath, isFolder)) continue;

      if (isFolder) {
        if (SKIPPED_FOLDERS.has(entry.name) || entry.name.startsWith('.')) continue;
        if (classifyPath(relPath) && !relPath.endsWith('.py')) skipped.push({ relPath, reason: 'is a folder, not a file' });
        if (depth >= MAX_DEPTH) {
          skipped.push({ relPath, reason: `is more than ${MAX_DEPTH} folders deep, so it was not searched` });
          continue;
        }
        if (fs.existsSync(path.join(root, relPath, 'pyvenv.cfg'))) continue;
        visited.add(realPath);
        if (!walk(relPath, realPath, depth + 1, activeIgnores, linked || isLink)) return false;
        continue;
      }

      const kind = classifyPath(relPath);
      if (!kind) continue;
      if (!isFile) {
        skipped.push({ relPath, reason: 'is not a regular file' });
        continue;
      }

      files.push({ relPath, kind, linked: linked || isLink });
      if (files.length >= maxFiles) {
        skipped.push({ relPath, reason: `is past the ${maxFiles} file limit; the rest of the tree was not read` });
        return false;
      }
    }
    return true;
  };

  walk('', realRoot, 0, [], false);
  log('listed %d files and skipped %d under %s', files.length, skipped.length, root);
  return { root, files, skipped };
}

function loadGitignore(folder: string): Ignore | null {
  const file = path.join(folder, '.gitignore');
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return null;
    return ignore().add(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function isIgnored(ignores: Array<{ base: string; matcher: Ignore }>, relPath: string, isFolder: boolean): boolean {
  for (const { base, matcher } of ignores) {
    const relative = base ? relPath.slice(base.length + 1) : relPath;
    if (matcher.ignores(isFolder ? `${relative}/` : relative)) return true;
  }
  return false;
}

function resolveLink(absolute: string): { real: string; stat: fs.Stats } | null {
  try {
    const real = fs.realpathSync(absolute);
    return { real, stat: fs.statSync(real) };
  } catch {
    return null;
  }
}

export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export function describeError(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = String((error as { code: unknown }).code);
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'ENOENT') return 'no such file';
    if (code === 'ELOOP') return 'too many levels of symbolic links';
    if (code === 'EISDIR') return 'is a folder';
    return code;
  }
  return error instanceof Error ? error.message : String(error);
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
