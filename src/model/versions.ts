import type { SystemModel } from './types';

/** Compares two release versions numerically by their leading numeric parts: `2.10` is after `2.9`. */
export function compareVersions(a: string, b: string): number {
  const partsA = a.split(/[.+-]/).map((part) => parseInt(part, 10));
  const partsB = b.split(/[.+-]/).map((part) => parseInt(part, 10));
  for (let index = 0; index < Math.max(partsA.length, partsB.length); index++) {
    const left = Number.isNaN(partsA[index] ?? 0) ? 0 : (partsA[index] ?? 0);
    const right = Number.isNaN(partsB[index] ?? 0) ? 0 : (partsB[index] ?? 0);
    if (left !== right) return left - right;
  }
  return 0;
}

/** Returns the exact version a production requirement pins for a package, or null when it pins none. */
export function pinnedVersion(model: SystemModel, name: string): string | null {
  return model.requirements.find(name).find((requirement) => requirement.pinnedVersion)?.pinnedVersion ?? null;
}

/** True when the system pins the package to a version below `version`. */
export function pinnedBelow(model: SystemModel, name: string, version: string): boolean {
  const pinned = pinnedVersion(model, name);
  return pinned !== null && compareVersions(pinned, version) < 0;
}
