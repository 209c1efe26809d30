import packageDependencies from '../../data/package-dependencies.json';
import { parseShellCommands } from '../../src/model/shell';
import type { SystemModel } from '../../src/model/types';
import { normalizeName, parseRequirementText } from '../../src/parsers/requirements';

interface PackageInfo {
  requires: string[];
  extras?: Record<string, string[]>;
}

const DEPENDENCIES: Record<string, PackageInfo> = packageDependencies.packages;

/** Distributions the production image installs, as normalised names. */
export interface InstalledPackages {
  /** Declared by production requirements or `pip install` in the Dockerfile, with everything they bring. */
  names: Set<string>;
  /** Names only development files declare, with the file that declares each. */
  developmentOnly: Map<string, string>;
}

/**
 * Collects the production requirements, the packages the Dockerfile's target stage installs with
 * `pip install <name>`, and what those bring with them (Flask brings Werkzeug and Jinja2;
 * `flask[async]` brings asgiref), followed transitively.
 */
export function installedPackages(model: SystemModel): InstalledPackages {
  const declared: Array<{ name: string; extras: string[] }> = [];
  const developmentOnly = new Map<string, string>();

  for (const requirement of model.requirements.requirements) {
    if (requirement.constraint) continue;
    if (requirement.development) {
      if (!developmentOnly.has(requirement.name)) developmentOnly.set(requirement.name, requirement.location.file.relPath);
      continue;
    }
    declared.push({ name: requirement.name, extras: requirement.extras });
  }
  declared.push(...dockerfilePipInstalls(model));

  const names = closure(declared);
  for (const name of names) developmentOnly.delete(name);
  return { names, developmentOnly };
}

/** Follows each package's dependencies and those of its requested extras; each name is expanded once. */
/** Returns the direct dependencies of a package and of the extras requested. */
export function dependenciesOf(name: string, extras: string[]): string[] {
  const info = Object.hasOwn(DEPENDENCIES, name) ? DEPENDENCIES[name] : null;
  if (!info) return [];

  const fromExtras = extras.flatMap((extra) => (info.extras && Object.hasOwn(info.extras, extra) ? info.extras[extra] : []));
  return [...info.requires, ...fromExtras];
}

export function closure(declared: Array<{ name: string; extras: string[] }>): Set<string> {
  const names = new Set<string>();
  const expandedExtras = new Set<string>();
  const pending = [...declared];

  while (pending.length > 0) {
    const { name, extras } = pending.pop()!;
    const info = Object.hasOwn(DEPENDENCIES, name) ? DEPENDENCIES[name] : null;

    if (!names.has(name)) {
      names.add(name);
      for (const dependency of info?.requires ?? []) pending.push({ name: dependency, extras: [] });
    }
    for (const extra of extras) {
      const key = `${name}[${extra}]`;
      if (expandedExtras.has(key)) continue;
      expandedExtras.add(key);
      const brought = info?.extras && Object.hasOwn(info.extras, extra) ? info.extras[extra] : [];
      for (const dependency of brought) pending.push({ name: dependency, extras: [] });
    }
  }
  return names;
}

/** pip options that take a value, so the word after them is not a package. */
const PIP_VALUE_OPTIONS = new Set([
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url',
  '-f', '--find-links', '-t', '--target', '--prefix', '--root', '--trusted-host', '--platform', '--python-version',
  '--implementation', '--abi', '--progress-bar', '--cache-dir', '--src', '--upgrade-strategy', '--log', '--proxy',
  '--timeout', '--retries', '--exists-action', '--cert', '--client-cert', '--no-binary', '--only-binary',
  '--config-settings', '--global-option', '--report', '-C',
]);

/** Packages named on `pip install` command lines of the target stage's `RUN` instructions (inherited ones included). */
export function dockerfilePipInstalls(model: SystemModel): Array<{ name: string; extras: string[] }> {
  const target = model.docker.main?.target;
  const installs: Array<{ name: string; extras: string[] }> = [];
  if (!target) return installs;

  for (const instruction of target.instructions) {
    if (instruction.keyword !== 'RUN') continue;

    const scripts = [instruction.text, ...instruction.heredocs.map((heredoc) => heredoc.body)];
    for (const script of scripts) {
      for (const command of parseShellCommands(script)) {
        const words = command.words.map((word) => word.value);
        const install = pipInstallStart(words);
        if (install === -1) continue;
        installs.push(...pipInstallArguments(words.slice(install)));
      }
    }
  }
  return installs;
}

/** Returns the index after `pip install` (`pip3`, `python -m pip`, `uv pip`), or -1. */
function pipInstallStart(words: string[]): number {
  for (let index = 0; index + 1 < words.length; index++) {
    if (/(^|\/)pip[\d.]*$/.test(words[index]) && words[index + 1] === 'install') return index + 2;
  }
  return -1;
}

function pipInstallArguments(words: string[]): Array<{ name: string; extras: string[] }> {
  const packages: Array<{ name: string; extras: string[] }> = [];

  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    if (PIP_VALUE_OPTIONS.has(word)) {
      index++;
      continue;
    }
    if (word.startsWith('-') || word.includes('$')) continue;

    const parsed = parseRequirementText(word);
    if (parsed.ok && parsed.value.name) packages.push({ name: normalizeName(parsed.value.name), extras: parsed.value.extras.map(normalizeName) });
  }
  return packages;
}
