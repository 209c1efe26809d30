import baseImages from '../../data/base-images.json';
import type { UserTool } from '../../src/fix/dockerfile-edits';

/** An image reference split into its parts; Docker Hub names are normalised to `python`, `user/app`. */
export interface ImageReference {
  /** Registry host, null for Docker Hub. */
  registry: string | null;
  /** Repository path with the registry: `python`, `gcr.io/distroless/python3-debian12`. */
  repository: string;
  tag: string | null;
  digest: string | null;
}

export interface ImageFacts {
  family: string;
  /** The probe tools, of `curl` and `wget`, that the image ships; null when not known. */
  tools: string[] | null;
  /** The user the image runs as without a USER instruction; null when not known. */
  defaultUser: string | null;
  /** The command that creates users in the image; null when the image has no shell or it is not known. */
  userTool: UserTool | null;
}

interface ImageEntry {
  family: string;
  repository?: string;
  repositoryPattern?: string;
  tagPattern?: string;
  tools: string[] | null;
  defaultUser: string | null;
  userTool: UserTool | null;
}

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Splits `registry/name:tag@digest`; null for an empty or blank reference. */
export function parseImageReference(text: string): ImageReference | null {
  const trimmed = text.trim();
  if (!trimmed || /\s/.test(trimmed)) return null;

  const at = trimmed.indexOf('@');
  const digest = at === -1 ? null : trimmed.slice(at + 1);
  const name = at === -1 ? trimmed : trimmed.slice(0, at);

  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > lastSlash ? name.slice(colon + 1) : null;
  const path = colon > lastSlash ? name.slice(0, colon) : name;

  const parts = path.split('/');
  const hasRegistry = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost');
  let registry = hasRegistry ? parts.shift()! : null;
  if (registry && DOCKER_HUB_HOSTS.has(registry)) registry = null;
  if (!registry && parts.length === 2 && parts[0] === 'library') parts.shift();

  const repository = registry ? `${registry}/${parts.join('/')}` : parts.join('/');
  return { registry, repository: repository.toLowerCase(), tag, digest };
}

/** Looks up a base image in the reference data; null for an image it does not list. */
export function imageFacts(reference: ImageReference): ImageFacts | null {
  const tag = reference.tag ?? 'latest';
  const entry = (baseImages.images as ImageEntry[]).find((candidate) => {
    if (candidate.repository && candidate.repository !== reference.repository) return false;
    if (candidate.repositoryPattern && !new RegExp(candidate.repositoryPattern).test(reference.repository)) return false;
    return !candidate.tagPattern || new RegExp(candidate.tagPattern).test(tag);
  });
  if (!entry) return null;
  return { family: entry.family, tools: entry.tools, defaultUser: entry.defaultUser, userTool: entry.userTool };
}

/** Returns the slim tag for a full `python` tag such as `3.12` or `3.12-bookworm`; null when there is none. */
export function slimTagFor(reference: ImageReference): string | null {
  const variants = baseImages.slimVariants as Record<string, { fullTag: string; slimTag: string } | string>;
  const variant = variants[reference.repository];
  if (!variant || typeof variant === 'string' || !reference.tag) return null;

  const pattern = new RegExp(variant.fullTag);
  if (!pattern.test(reference.tag)) return null;
  return reference.tag.replace(pattern, variant.slimTag);
}
