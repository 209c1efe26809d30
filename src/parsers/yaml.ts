import * as yaml from 'js-yaml';
import type { ParseProblem, YamlEntry } from '../model/types';
import type { Location, SourceFile } from '../source';

/** A document with more alias nodes than this is not loaded; real configuration files use a handful. */
export const MAX_YAML_ALIASES = 1_000;
/**
 * A document whose value, with every alias expanded, has more nodes than this is not loaded: a
 * few nested aliases ("billion laughs") can otherwise stand for billions of nodes.
 */
export const MAX_YAML_EXPANDED_NODES = 100_000;
/** A document nested deeper than this once aliases are expanded is not loaded. */
export const MAX_YAML_EXPANDED_DEPTH = 500;

const MERGE_TAG = 'tag:yaml.org,2002:merge';
const STANDARD_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq', 'binary', 'omap', 'pairs', 'set', 'timestamp', 'merge'].map(
    (name) => `tag:yaml.org,2002:${name}`,
  ),
);

/**
 * js-yaml's default (safe) schema, plus a fallback for tags it does not know (`!Ref`,
 * `!!python/object:os.system`): such nodes load as their plain string, list or mapping instead
 * of stopping the load. Nothing is constructed from a tag, so no code runs.
 */
const SCHEMA = yaml.DEFAULT_SCHEMA.extend(
  (['scalar', 'sequence', 'mapping'] as const).map(
    (kind) => new yaml.Type('', { kind, multi: true, construct: (data: unknown) => data }),
  ),
);

export interface LoadedYamlDocument {
  data: unknown;
  entries: YamlEntry[];
}

export interface LoadedYamlFile {
  documents: LoadedYamlDocument[];
  problems: ParseProblem[];
}

/** One node as js-yaml's listener reports it: where reading started and stopped, and what it built. */
interface Frame {
  open: number;
  close: number;
  kind: string | null;
  tag: string | null;
  result: unknown;
  children: Frame[];
  closed: boolean;
}

/**
 * Loads every document of a YAML file safely and lists each node with the location of its key
 * and value. A syntax error keeps the documents before it. A document with too many aliases, or
 * one that expands too far through them, becomes a problem instead of data.
 */
export function loadYamlFile(file: SourceFile): LoadedYamlFile {
  const text = file.text;
  // js-yaml drops a leading byte order mark, so its offsets are one less than ours after one.
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const roots: Frame[] = [];
  const stack: Frame[] = [];
  const problems: ParseProblem[] = [];

  const listener = (event: yaml.EventType, state: yaml.State): void => {
    if (event === 'open') {
      const frame: Frame = { open: state.position + shift, close: -1, kind: null, tag: null, result: null, children: [], closed: false };
      (stack.length > 0 ? stack[stack.length - 1].children : roots).push(frame);
      stack.push(frame);
      return;
    }

    const frame = stack.pop();
    if (!frame) return;
    frame.close = state.position + shift;
    frame.kind = state.kind ?? null;
    frame.tag = (state as unknown as { tag: string | null }).tag ?? null;
    frame.result = state.result;
    frame.closed = true;
  };

  try {
    yaml.loadAll(text, null, { schema: SCHEMA, listener, filename: file.relPath });
  } catch (error) {
    problems.push(yamlProblem(file, error, shift));
  }

  const locator = new Locator(file);
  const documents: LoadedYamlDocument[] = [];
  for (const root of roots) {
    if (!root.closed) continue;

    const limit = checkLimits(root, locator);
    if (limit) {
      problems.push({ location: locator.range(root), message: limit });
      continue;
    }
    documents.push({ data: root.result, entries: locator.entries(root) });
  }
  return { documents, problems };
}

function yamlProblem(file: SourceFile, error: unknown, shift: number): ParseProblem {
  if (error instanceof yaml.YAMLException) {
    const position = Math.min(file.text.length, Math.max(0, (error.mark?.position ?? 0) + shift));
    return {
      location: { file, start: position, end: Math.min(file.text.length, position + 1) },
      message: `YAML syntax error: ${error.reason}.`,
    };
  }
  const reason = error instanceof Error ? error.message : String(error);
  return { location: { file, start: 0, end: 0 }, message: `YAML could not be loaded: ${reason}.` };
}

/** Returns why a document is not loaded (too many aliases, too large or self-referring once expanded), or null. */
function checkLimits(root: Frame, locator: Locator): string | null {
  let aliases = 0;
  const pending = [root];
  while (pending.length > 0) {
    const frame = pending.pop()!;
    // The alias node itself has no children; js-yaml may wrap it in a frame with the same result.
    if (frame.children.length === 0 && locator.isAlias(frame)) aliases++;
    pending.push(...frame.children);
  }
  if (aliases > MAX_YAML_ALIASES) {
    return `YAML document has ${aliases} aliases, more than the ${MAX_YAML_ALIASES} prodcheck expands, so it was not loaded.`;
  }

  const expanded = expandedSize(root.result);
  if (expanded === 'cycle') return 'YAML document refers to itself through an alias, so it was not loaded.';
  if (expanded === 'deep') {
    return `YAML document nests more than ${MAX_YAML_EXPANDED_DEPTH} levels deep once its aliases are expanded, so it was not loaded.`;
  }
  if (expanded > MAX_YAML_EXPANDED_NODES) {
    return `YAML document expands to more than ${MAX_YAML_EXPANDED_NODES} nodes through its aliases, so it was not loaded.`;
  }
  return null;
}

/** Counts the nodes of a value with shared (aliased) parts counted at each use; stops once over the limit. */
function expandedSize(value: unknown): number | 'cycle' | 'deep' {
  const sizes = new Map<object, number>();
  const active = new Set<object>();

  const size = (node: unknown, depth: number): number | 'cycle' | 'deep' => {
    if (node === null || typeof node !== 'object') return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (active.has(node)) return 'cycle';
    if (depth > MAX_YAML_EXPANDED_DEPTH) return 'deep';

    active.add(node);
    let total = 1;
    for (const child of childValues(node)) {
      const childSize = size(child, depth + 1);
      if (typeof childSize !== 'number') return childSize;
      total += childSize;
      if (total > MAX_YAML_EXPANDED_NODES) break;
    }
    active.delete(node);
    sizes.set(node, total);
    return total;
  };

  return size(value, 0);
}

function childValues(node: object): unknown[] {
  if (Array.isArray(node)) return node;
  if (isPlainObject(node)) return Object.values(node);
  return [];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

interface Pair {
  keyFrame: Frame;
  valueFrame: Frame | null;
}

/**
 * Turns listener frames into locations. Frames nest as js-yaml reads them: the children of a
 * mapping are its keys and values in order, and those of a sequence are its items. js-yaml also
 * wraps some nodes in a frame with the same result, and leaves an empty frame where it tried to
 * read a key and found none.
 */
class Locator {
  private readonly text: string;
  private readonly anchored = new Map<object, Frame>();
  private readonly pairCache = new Map<Frame, Map<string, Pair> | null>();

  constructor(private readonly file: SourceFile) {
    this.text = file.text;
  }

  /** Lists every node below the root with its path, value, and key and value locations. */
  entries(root: Frame): YamlEntry[] {
    this.indexCollections(root);
    const entries: YamlEntry[] = [];

    const visit = (frame: Frame | null, value: unknown, path: Array<string | number>, keyLocation: Location | null, fallback: Location): void => {
      const node = frame ? this.unwrap(frame) : null;
      const valueLocation = node ? this.range(node) : fallback;
      const tag = node ? this.customTag(node) : null;

      if (path.length > 0) {
        const entry: YamlEntry = { path, value, keyLocation, valueLocation };
        if (tag) entry.tag = tag;
        entries.push(entry);
      }

      // An alias's children are written where its anchor is.
      const source = node && this.isAlias(node) && value !== null && typeof value === 'object' ? this.anchored.get(value) ?? null : node;

      if (Array.isArray(value)) {
        const items = source ? this.sequenceItems(source) : null;
        value.forEach((item, index) => {
          const itemFrame = items?.[index] ?? null;
          visit(itemFrame, item, [...path, index], null, valueLocation);
        });
        return;
      }

      if (!isPlainObject(value)) return;
      const pairs = source ? this.mappingPairs(source) : null;
      for (const key of Object.keys(value)) {
        const pair = pairs?.get(key);
        const keyRange = pair ? this.range(this.unwrap(pair.keyFrame)) : null;
        const emptyValue = keyRange ? { file: this.file, start: keyRange.end, end: keyRange.end } : valueLocation;
        visit(pair?.valueFrame ?? null, value[key], [...path, key], keyRange, emptyValue);
      }
    };

    visit(root, root.result, [], null, this.range(root));
    return entries;
  }

  /** Records the frame that first built each mapping and sequence, so aliases can be followed to their anchor. */
  private indexCollections(root: Frame): void {
    const pending = [root];
    while (pending.length > 0) {
      const frame = pending.pop()!;
      if ((frame.kind === 'mapping' || frame.kind === 'sequence') && frame.result !== null && typeof frame.result === 'object') {
        const existing = this.anchored.get(frame.result);
        if (!existing || existing.open > frame.open) this.anchored.set(frame.result, frame);
      }
      pending.push(...frame.children);
    }
  }

  /** Skips the wrapping frames js-yaml leaves around a node that was first tried as a mapping key. */
  unwrap(frame: Frame): Frame {
    let current = frame;
    while (current.children.length === 1 && Object.is(current.children[0].result, current.result) && current.children[0].closed) {
      const child = current.children[0];
      if (child.kind === null && !this.isAlias(child) && current.kind !== null) break;
      current = child;
    }
    return current;
  }

  isAlias(frame: Frame): boolean {
    if (frame.kind !== null) return false;
    const start = this.contentStart(frame);
    return start < frame.close && this.text[start] === '*';
  }

  private isEmpty(frame: Frame): boolean {
    return frame.kind === null && !this.isAlias(frame);
  }

  /** Returns the tag of a node when it is not a standard YAML tag, or null. */
  private customTag(frame: Frame): string | null {
    const tag = frame.tag;
    if (!tag || tag === '?' || tag === '!' || STANDARD_TAGS.has(tag)) return null;
    return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
  }

  /** Returns the span of a node's text: a scalar as written (quotes included), `*alias`, or a whole collection. */
  range(frame: Frame): Location {
    const node = this.unwrap(frame);
    if (this.isEmpty(node)) return { file: this.file, start: node.open, end: node.open };
    return { file: this.file, start: this.contentStart(node), end: this.nodeEnd(node) };
  }

  private nodeEnd(frame: Frame): number {
    const start = this.contentStart(frame);
    if (this.isEmpty(frame)) return frame.open;

    if (this.isAlias(frame)) {
      let end = start + 1;
      while (end < this.text.length && !/[\s,[\]{}]/.test(this.text[end])) end++;
      return end;
    }

    const first = this.text[start];
    if (frame.kind === 'scalar' || first === '[' || first === '{') return this.trimEnd(start, frame.close);

    // A block collection ends where its last key, value or item ends.
    for (let index = frame.children.length - 1; index >= 0; index--) {
      const child = this.unwrap(frame.children[index]);
      if (!this.isEmpty(child)) return Math.max(start, this.nodeEnd(child));
      // An empty value (`key:`) starts right after its colon.
      if (this.text[child.open - 1] === ':') return Math.max(start, child.open);
    }
    return this.trimEnd(start, frame.close);
  }

  private trimEnd(start: number, end: number): number {
    let index = Math.min(end, this.text.length);
    while (index > start && /\s/.test(this.text[index - 1])) index--;
    return index;
  }

  /** Skips the space, comments and properties (`!tag`, `&anchor`) js-yaml reads before a node's content. */
  private contentStart(frame: Frame): number {
    let index = this.skipSeparation(frame.open);
    while (this.text[index] === '!' || this.text[index] === '&') {
      if (this.text.startsWith('!<', index)) {
        const close = this.text.indexOf('>', index);
        index = close === -1 ? frame.close : close + 1;
      } else {
        while (index < this.text.length && !/[\s,[\]{}]/.test(this.text[index])) index++;
      }
      index = this.skipSeparation(index);
    }
    return Math.max(frame.open, Math.min(index, frame.close));
  }

  private skipSeparation(from: number): number {
    let index = from;
    while (index < this.text.length) {
      const char = this.text[index];
      if (char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '\ufeff') {
        index++;
      } else if (char === '#') {
        while (index < this.text.length && this.text[index] !== '\n' && this.text[index] !== '\r') index++;
      } else {
        break;
      }
    }
    return index;
  }

  /** True when `:` follows a key node, across spaces, and across lines for explicit and flow keys. */
  private followedByColon(frame: Frame): boolean {
    const end = this.isEmpty(frame) ? frame.open : this.nodeEnd(frame);
    return this.text[this.skipSeparation(end)] === ':';
  }

  /**
   * Pairs each key of a mapping with its key and value frames, merged (`<<`) keys included.
   * Returns null when the frames do not line up with the loaded data, so nothing is located wrongly.
   */
  private mappingPairs(mapping: Frame): Map<string, Pair> | null {
    if (this.pairCache.has(mapping)) return this.pairCache.get(mapping)!;
    this.pairCache.set(mapping, null);

    const result = mapping.result;
    if (!isPlainObject(result)) return null;

    const pairs = new Map<string, Pair>();
    const mergeSources: Frame[] = [];
    const children = mapping.children;

    for (let index = 0; index < children.length; ) {
      const keyFrame = this.unwrap(children[index]);
      if (this.isEmpty(keyFrame) && !this.followedByColon(keyFrame)) {
        index++;
        continue;
      }

      const hasValue = this.followedByColon(keyFrame) && index + 1 < children.length;
      const valueFrame = hasValue ? children[index + 1] : null;
      index += hasValue ? 2 : 1;

      if (keyFrame.tag === MERGE_TAG) {
        if (valueFrame) mergeSources.push(...this.mergeFrames(valueFrame));
        continue;
      }

      const key = keyText(keyFrame.result);
      if (!Object.hasOwn(result, key)) return null;
      pairs.set(key, { keyFrame, valueFrame });
    }

    for (const source of mergeSources) {
      for (const [key, pair] of this.mappingPairs(source) ?? []) {
        if (!pairs.has(key)) pairs.set(key, pair);
      }
    }

    this.pairCache.set(mapping, pairs);
    return pairs;
  }

  /** Finds the mapping frames a `<<` value refers to: one alias or mapping, or a sequence of them. */
  private mergeFrames(valueFrame: Frame): Frame[] {
    const node = this.unwrap(valueFrame);
    const resolve = (frame: Frame): Frame | null => {
      const target = this.unwrap(frame);
      if (this.isAlias(target)) return target.result !== null && typeof target.result === 'object' ? this.anchored.get(target.result) ?? null : null;
      return target.kind === 'mapping' ? target : null;
    };

    if (node.kind === 'sequence') return node.children.map(resolve).filter((frame): frame is Frame => frame !== null);
    const single = resolve(node);
    return single ? [single] : [];
  }

  /** Matches each item of a sequence to its frame; an item js-yaml read as null without a node has none. */
  private sequenceItems(sequence: Frame): Array<Frame | null> | null {
    if (!Array.isArray(sequence.result)) return null;

    const items: Array<Frame | null> = [];
    let childIndex = 0;
    for (const item of sequence.result) {
      const child = sequence.children[childIndex];
      if (child && Object.is(this.unwrap(child).result, item)) {
        items.push(child);
        childIndex++;
      } else if (item === null) {
        items.push(null);
      } else {
        return null;
      }
    }
    return items;
  }
}

/** Returns the property name js-yaml gives a key node. */
function keyText(key: unknown): string {
  if (isPlainObject(key)) return '[object Object]';
  return String(key);
}
