import type { Requirement, SystemModel } from '../../src/model/types';
import { defineRule } from '../../src/rule';
import type { SourceFile } from '../../src/source';
import { dependenciesOf } from './installed-packages';

const REQUIRE_HASHES_LINE = /^[ \t]*--require-hashes\b/m;

export default defineRule({
  meta: {
    id: 'requirements-hashes-incomplete',
    area: 'requirements',
    description: 'Hash-checked requirements leave a package without a pin or a hash, so pip rejects the install',
    severity: 'error',
    fixable: 'none',
    messages: {
      hashMissing: '`{{name}}` has no `--hash`, but {{reason}}, so `pip install` stops before installing anything.',
      notPinned: '`{{requirement}}` has a hash but no `==` pin; pip installs nothing in hash-checking mode until every requirement is pinned with `==`.',
      dependencyMissing:
        '`{{name}}` installs `{{dependency}}`, which no requirement lists with a pin and a hash; in hash-checking mode pip stops at the first dependency without one.',
    },
    docs: {
      whatItDoes:
        'When a production requirement carries `--hash` or a production requirements file has `--require-hashes`, pip checks hashes for everything it installs. The rule then reports production requirements without a hash, hashed requirements not pinned with `==` (URLs excepted), and dependencies of hashed packages (from a built-in table: Flask installs Werkzeug, Jinja2, itsdangerous, click, blinker and MarkupSafe) that no requirement lists.',
      whyItMatters:
        'In hash-checking mode pip refuses the whole install when one requirement or one dependency lacks an exact pin and a hash. The image build then fails, or, worse, a hand-edited lock file passes review and only fails in the release pipeline.',
      examples: {
        bad: {
          'requirements.txt':
            'gunicorn==22.0.0 \\\n    --hash=sha256:350679f91b24062c86e386e198a15438d53a7a8207235a78ba1b53df4c4378d9\npackaging==24.1 \\\n    --hash=sha256:5b8f2217dbdbd2f7f384c41c628544e6d52f2d0f53c6d0c3ea61aa5d1d7ff124\nflask==3.0.3\n',
        },
        good: {
          'requirements.txt':
            'gunicorn==22.0.0 \\\n    --hash=sha256:350679f91b24062c86e386e198a15438d53a7a8207235a78ba1b53df4c4378d9\npackaging==24.1 \\\n    --hash=sha256:5b8f2217dbdbd2f7f384c41c628544e6d52f2d0f53c6d0c3ea61aa5d1d7ff124\n',
        },
      },
      useInstead: 'Generate the whole file with a locking tool (`pip-compile --generate-hashes`, `uv pip compile --generate-hashes`) instead of adding lines by hand, so every package and dependency gets its pin and hashes.',
      knownLimitations:
        'Dependencies come from a built-in table of common packages and their recent releases; a dependency that only an older release needs, or one of a package outside the table, is not checked. All production requirements files are treated as one `pip install`.',
    },
  },
  check(model, context) {
    const production = model.requirements.requirements.filter((requirement) => !requirement.development && !requirement.constraint);
    const hashed = production.filter((requirement) => requirement.hashes.length > 0);
    const switchFile = requireHashesFile(model);
    if (hashed.length === 0 && !switchFile) return;

    const reason = hashed.length > 0 ? `\`${hashed[0].rawName}\` has one, which turns on hash checking` : `\`${switchFile!.relPath}\` has \`--require-hashes\``;
    for (const requirement of production) {
      if (requirement.hashes.length === 0) {
        context.report({ messageId: 'hashMissing', data: { name: requirement.rawName, reason }, location: requirement.location });
      } else if (!requirement.url && !requirement.pinnedVersion) {
        context.report({ messageId: 'notPinned', data: { requirement: requirementText(requirement) }, location: requirement.location });
      }
    }

    const listed = new Set(production.map((requirement) => requirement.name));
    for (const [dependency, requirement] of missingDependencies(hashed, listed)) {
      context.report({ messageId: 'dependencyMissing', data: { name: requirement.rawName, dependency }, location: requirement.location });
    }
  },
});

/** Returns the production requirements file with a `--require-hashes` line, or null. */
function requireHashesFile(model: SystemModel): SourceFile | null {
  const productionFiles = new Set(model.requirements.requirements.filter((requirement) => !requirement.development).map((requirement) => requirement.location.file));
  return model.requirements.files.find((file) => productionFiles.has(file) && file.kind === 'requirements' && REQUIRE_HASHES_LINE.test(file.text)) ?? null;
}

/**
 * Follows the dependencies of the hashed requirements through the built-in table and returns each
 * one that no requirement lists, with the hashed requirement that brings it in.
 */
function missingDependencies(hashed: readonly Requirement[], listed: ReadonlySet<string>): Map<string, Requirement> {
  const missing = new Map<string, Requirement>();
  const seen = new Set<string>();
  const pending = hashed.map((requirement) => ({ name: requirement.name, extras: requirement.extras, origin: requirement }));

  while (pending.length > 0) {
    const { name, extras, origin } = pending.shift()!;
    for (const dependency of dependenciesOf(name, extras)) {
      if (seen.has(dependency)) continue;
      seen.add(dependency);

      if (!listed.has(dependency)) missing.set(dependency, origin);
      pending.push({ name: dependency, extras: [], origin });
    }
  }
  return missing;
}

function requirementText(requirement: Requirement): string {
  return `${requirement.rawName}${requirement.specifier}`;
}
