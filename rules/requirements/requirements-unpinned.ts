import { pinTable, replaceSpecifierEdit, specifierAllows, type PinTable } from '../../src/fix/requirements-edits';
import type { Requirement } from '../../src/model/types';
import { urlReference } from '../../src/parsers/requirements';
import { defineRule, type Fix } from '../../src/rule';
import { PINS_OPTION } from './pins-option';

export default defineRule({
  meta: {
    id: 'requirements-unpinned',
    area: 'requirements',
    description: 'A production requirement is not pinned to an exact version',
    severity: 'warning',
    fixable: 'unsafe',
    messages: {
      unpinned: '`{{requirement}}` is not pinned to an exact version, so each build can install a different release.',
      unpinnedUrl: '`{{name}}` comes from `{{url}}`, which names neither a commit nor a version, so each build can install different code.',
    },
    docs: {
      whatItDoes:
        'Checks every production requirement (development files such as `requirements-dev.txt` are skipped) for an exact pin: `==1.2.3` or `===1.2.3` (not a `==1.*` wildcard), a `--hash` option, or a pin in a constraints file included with `-c`. A URL or `-e` requirement is pinned when it names a commit (`@<sha>`), a version tag (`@v1.2.3`), a versioned archive or a `#sha256=` hash. With `pyproject.toml`, a `poetry.lock`, `uv.lock` or `pdm.lock` beside it counts as the pin.',
      whyItMatters:
        'An unpinned requirement installs whatever is newest when the image is built, so two builds of the same commit can differ, and a new major release of a dependency can break the service without any change to its code.',
      examples: {
        bad: { 'requirements.txt': 'flask>=2.3\ngunicorn==22.0.0\n' },
        good: { 'requirements.txt': 'flask==3.0.3\ngunicorn==22.0.0\n' },
      },
      fixSafety:
        'Unsafe: the fix replaces the specifier with `==` and the version of a built-in table of current releases (the `pins` option overrides it), so the build may install another release than it does today. It keeps extras, markers and comments, and is offered only when the pinned version satisfies the existing specifier (`>=`, `>`, `<=`, `<`, `~=`, `!=` and `==x.*` clauses are checked), for packages the table knows, in requirements files; URL, `-e` and `pyproject.toml` requirements get no fix.',
      options: '`pins`: a map of distribution name to the exact version the fix writes, such as `{ "flask": "3.0.3" }`; entries override the built-in table.',
      useInstead:
        'Pin every requirement with `==` (for example with `pip freeze` or `pip-compile`), or keep ranges in `requirements.in` and install the compiled, pinned `requirements.txt`.',
      knownLimitations:
        'A constraints file passed on the `pip install` command line (`-c constraints.txt`) rather than included from the requirements file is not seen, so requirements it pins are reported.',
    },
    optionsSchema: { pins: PINS_OPTION },
  },
  check(model, context) {
    if (model.requirements.source === 'pyproject' && model.requirements.lockFile) return;

    const pins = pinTable(context.options);

    const production = model.requirements.requirements.filter((requirement) => !requirement.development);
    const constraintPins = new Set(production.filter((entry) => entry.constraint && isPinned(entry)).map((entry) => entry.name));

    for (const requirement of production) {
      if (requirement.constraint || isPinned(requirement) || constraintPins.has(requirement.name)) continue;

      if (requirement.url) {
        context.report({ messageId: 'unpinnedUrl', data: { name: requirement.rawName, url: requirement.url }, location: requirement.location });
        continue;
      }
      const written = `${requirement.rawName}${requirement.extras.length > 0 ? `[${requirement.extras.join(',')}]` : ''}${requirement.specifier}`;
      context.report({ messageId: 'unpinned', data: { requirement: written }, location: requirement.location, fix: pinFix(requirement, pins) });
    }
  },
});

/** Builds the fix that pins the requirement to the table's version, when that version satisfies its specifier. */
function pinFix(requirement: Requirement, pins: PinTable): Fix | undefined {
  const version = pins.version(requirement.name);
  if (version === null || specifierAllows(requirement.specifier, version) !== true) return undefined;

  const edit = replaceSpecifierEdit(requirement, `==${version}`);
  if (!edit) return undefined;
  return { title: `Pin \`${requirement.rawName}\` to \`==${version}\``, safety: 'unsafe', edits: [edit] };
}

function isPinned(requirement: Requirement): boolean {
  if (requirement.pinnedVersion !== null || requirement.hashes.length > 0) return true;
  if (!requirement.url) return false;

  const reference = urlReference(requirement.url);
  return reference.commit !== null || reference.version !== null || reference.hash;
}
