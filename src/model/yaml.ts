import * as path from 'node:path';
import { createLogger } from '../log';
import { loadYamlFile } from '../parsers/yaml';
import type { SourceFile } from '../source';
import type { ParseProblem, YamlDocument, YamlModel } from './types';

const log = createLogger('yaml');

/** Loads every YAML file of the system safely and records where each entry is. */
export function buildYamlModel(files: SourceFile[]): YamlModel {
  const documents: YamlDocument[] = [];
  const problems: ParseProblem[] = [];

  for (const file of files) {
    if (file.kind !== 'yaml' && file.kind !== 'compose') continue;

    const loaded = loadYamlFile(file);
    problems.push(...loaded.problems);
    for (const document of loaded.documents) {
      documents.push({ file, data: document.data, entries: document.entries, role: documentRole(file, document.data) });
    }
  }

  log('loaded %d YAML documents with %d problems', documents.length, problems.length);
  return { documents, problems };
}

/**
 * Returns the role of a document. Compose files are known by their kind and Kubernetes manifests
 * by `apiVersion` and `kind`. Configuration files sit in a `config/` folder or have `config` in
 * their name, except dot files such as `.pre-commit-config.yaml`, which configure tools.
 */
export function documentRole(file: SourceFile, data: unknown): YamlDocument['role'] {
  if (file.kind === 'compose') return 'compose';
  if (isKubernetesObject(data)) return 'kubernetes';

  const base = path.posix.basename(file.relPath).toLowerCase();
  const folders = file.relPath.toLowerCase().split('/').slice(0, -1);
  if (base.startsWith('.')) return 'other';
  if (folders.includes('config') || base.includes('config')) return 'config';
  return 'other';
}

function isKubernetesObject(data: unknown): boolean {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  const record = data as Record<string, unknown>;
  return typeof record['apiVersion'] === 'string' && typeof record['kind'] === 'string';
}
