import { addRequirementEdit, declarationTarget, newRequirementsContent, type PinTable } from '../../src/fix/requirements-edits';
import type { SystemModel } from '../../src/model/types';
import type { Fix, FixSafety } from '../../src/rule';
import type { NeededPackage } from './needed-packages';

/** A distribution to declare with an exact version; `name` is spelled as its project publishes it. */
export interface Declaration {
  name: string;
  version: string;
}

/** Returns the declaration of a distribution at the version the pin table gives it, or null when the table has none. */
export function pinnedDeclaration(pins: PinTable, distribution: string): Declaration | null {
  const version = pins.version(distribution);
  return version === null ? null : { name: pins.spelling(distribution), version };
}

/** Returns the first distribution that meets the need and that the pin table knows, with its version. */
export function neededDeclaration(need: NeededPackage, pins: PinTable): Declaration | null {
  for (const name of need.accepts) {
    const declaration = pinnedDeclaration(pins, name);
    if (declaration) return declaration;
  }
  return null;
}

/**
 * Builds the fix that adds `declaration` to the production requirements. When the system has no
 * requirements file, the fix creates `requirements.txt` with every declaration of `whenCreating`,
 * so that whichever finding's fix applies first declares all of them. Returns undefined where no
 * edit is safe to offer (see `declarationTarget`).
 */
export function declarationFix(
  model: SystemModel,
  declaration: Declaration,
  safety: FixSafety,
  whenCreating: readonly Declaration[],
): Fix | undefined {
  const target = declarationTarget(model);

  if (target.kind === 'create') {
    const content = newRequirementsContent(whenCreating.length > 0 ? whenCreating : [declaration]);
    const listed = content.trimEnd().split('\n').map((line) => `\`${line}\``).join(', ');
    return { title: `Create \`${target.relPath}\` with ${listed}`, safety, edits: [], newFiles: [{ file: target.relPath, content }] };
  }
  if (target.kind === 'none') return undefined;

  const edit = addRequirementEdit(target.file, target.requirements, declaration.name, declaration.version);
  if (!edit) return undefined;

  const written = edit.text.trim();
  return { title: `Add \`${written}\` to \`${target.file.relPath}\``, safety, edits: [edit] };
}
