import * as fs from 'node:fs';
import * as path from 'node:path';

/** The addresses that SARIF links to: prodcheck's home page and the folder of its rule pages. */
export interface ProjectLinks {
  informationUri?: string;
  /** Ends in `/`; a rule's page is `<ruleDocsBaseUri><rule-id>.md`. */
  ruleDocsBaseUri?: string;
}

interface Manifest {
  homepage?: unknown;
  repository?: unknown;
}

/**
 * Derives the links from package.json: `homepage` is the home page, and the rule pages are the
 * `docs/rules` folder of `repository` on its default branch. Only GitHub and GitLab repositories
 * give rule page addresses, because the path of a file in the web view differs between hosts.
 * Fields that are missing or are not https addresses give no link.
 */
export function linksFromManifest(manifest: Manifest): ProjectLinks {
  const links: ProjectLinks = {};
  const repository = repositoryWebAddress(manifest.repository);
  const homepage = typeof manifest.homepage === 'string' && /^https:\/\//.test(manifest.homepage) ? manifest.homepage : repository?.address;
  if (homepage) links.informationUri = homepage;
  if (repository) links.ruleDocsBaseUri = `${repository.address}/${repository.host === 'gitlab.com' ? '-/blob' : 'blob'}/HEAD/docs/rules/`;
  return links;
}

let cachedLinks: ProjectLinks | null = null;

/** Returns the links from prodcheck's own package.json, found by walking up from this file. */
export function projectLinks(): ProjectLinks {
  if (cachedLinks) return cachedLinks;

  for (let folder = __dirname; ; folder = path.dirname(folder)) {
    const candidate = path.join(folder, 'package.json');
    if (fs.existsSync(candidate)) {
      const manifest = JSON.parse(fs.readFileSync(candidate, 'utf8')) as Manifest & { name?: string };
      if (manifest.name === 'prodcheck') return (cachedLinks = linksFromManifest(manifest));
    }
    if (path.dirname(folder) === folder) return (cachedLinks = {});
  }
}

/**
 * Returns the nearest folder at or above `folder` that contains `.git` (a folder, or the file a
 * worktree or submodule has), or `fallback` when there is none.
 */
export function findRepositoryRoot(folder: string, fallback: string): string {
  for (let current = path.resolve(folder); ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return fallback;
  }
}

function repositoryWebAddress(repository: unknown): { host: string; address: string } | undefined {
  let url: unknown = repository;
  if (typeof repository === 'object' && repository !== null) url = (repository as { url?: unknown }).url;
  if (typeof url !== 'string') return undefined;

  const shorthand = /^(github|gitlab):([\w.-]+\/[\w.-]+)$/.exec(url) ?? /^()([\w.-]+\/[\w.-]+)$/.exec(url);
  if (shorthand) {
    const host = shorthand[1] === 'gitlab' ? 'gitlab.com' : 'github.com';
    return { host, address: `https://${host}/${shorthand[2]}` };
  }

  const match = /^(?:git\+)?(?:https|ssh|git):\/\/(?:git@)?(github\.com|gitlab\.com)\/(.+?)(?:\.git)?\/?$/.exec(url);
  return match ? { host: match[1], address: `https://${match[1]}/${match[2]}` } : undefined;
}
