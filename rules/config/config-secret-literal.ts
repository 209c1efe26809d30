import { isPlaceholder, isSecretName, urlPassword } from '../../src/model/secrets';
import type { YamlEntry } from '../../src/model/types';
import { defineRule } from '../../src/rule';
import type { Location } from '../../src/source';
import { configDocuments, entryKey, entryPath, parseEnvReference } from './config-values';

export default defineRule({
  meta: {
    id: 'config-secret-literal',
    area: 'config',
    description: 'A configuration file holds a secret as a literal value',
    severity: 'error',
    fixable: 'unsafe',
    messages: {
      literal: '`{{key}}` holds a literal secret; reference an environment variable such as `{{reference}}` instead.',
      fallback: '`{{key}}` falls back to a literal secret when `{{variable}}` is unset; remove the default from `{{reference}}`.',
      urlPassword: '`{{key}}` holds a URL with a literal password; take the password (or the whole URL) from an environment variable such as `{{reference}}`.',
    },
    docs: {
      whatItDoes:
        'Looks through configuration YAML (files under `config/` or named like `*config*.yaml`) for keys that name a secret (`secret_key`, `password`, `api_key`, `token`, `private_key`, `credentials`) holding a literal instead of a `${VAR}` reference, for `${VAR:-default}` references whose default is a literal secret, and for URLs of any key with a password in them (`postgresql://app:hunter2@db/app`). Empty values, `null`, booleans, placeholders such as `<password>` and values with a custom tag (`!vault`, `!env`) are not secrets written in the file.',
      whyItMatters:
        'A secret in a configuration file is in every clone of the repository, every image built from it and every log that prints the configuration, and changing it needs a new commit and build. The environment keeps it out of the image and lets each deployment have its own.',
      examples: {
        bad: { 'config/system_config.yaml': 'database:\n  url: postgresql://app:hunter2@db:5432/orders\nsecret_key: dev-secret\n' },
        good: { 'config/system_config.yaml': 'database:\n  url: ${DATABASE_URL}\nsecret_key: ${SECRET_KEY}\n' },
      },
      fixSafety: 'Unsafe: the fix replaces the value with a quoted `${VAR}` reference named after the key path (`database.password` becomes `${DATABASE_PASSWORD}`), or drops the literal default of an existing reference. Whatever loads the file must expand the reference, and the variable must be set where the service runs. URLs with a password are not changed.',
      useInstead:
        'Write `${VAR}` for every secret (`secret_key: ${SECRET_KEY}`, `url: ${DATABASE_URL}`) and set the variables in the deployment, from a secret store where there is one.',
      knownLimitations:
        'Only the key names and URL forms above are recognised; a secret under an unrelated key (`value: hunter2`) is not seen.',
    },
  },
  check(model, context) {
    for (const document of configDocuments(model.yaml.documents)) {
      for (const entry of document.entries) {
        if (entry.tag || entry.value === null || typeof entry.value === 'object' || typeof entry.value === 'boolean') continue;

        const key = entryPath(entry);
        const value = String(entry.value);
        const envReference = parseEnvReference(value);
        // With `${VAR:-default}`, the default is the literal the service runs with when VAR is unset.
        const literal = envReference ? envReference.fallback : value;
        if (!literal || isPlaceholder(literal)) continue;

        const password = urlPassword(literal);
        const name = entryKey(entry);
        if (!password && !(name && isSecretName(name))) continue;

        const reference = `\${${envReference?.variable ?? suggestedVariable(entry)}}`;
        const fix = {
          title: `Reference \`${reference}\` instead of the literal`,
          safety: 'unsafe' as const,
          edits: [{ file: entry.valueLocation.file.relPath, start: entry.valueLocation.start, end: entry.valueLocation.end, text: `"${reference}"` }],
        };
        if (envReference) {
          context.report({ messageId: 'fallback', data: { key, variable: envReference.variable, reference }, location: entry.valueLocation, fix });
          continue;
        }
        if (password) {
          context.report({ messageId: 'urlPassword', data: { key, reference }, location: passwordLocation(entry.valueLocation, password) });
          continue;
        }

        context.report({ messageId: 'literal', data: { key, reference }, location: entry.valueLocation, fix });
      }
    }
  },
});

/** `database.password` suggests `DATABASE_PASSWORD`. */
function suggestedVariable(entry: YamlEntry): string {
  const names = entry.path.filter((part): part is string => typeof part === 'string');
  return names
    .join('_')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

/** Narrows a URL value's location to its password when the file writes it literally (plain or single-quoted scalar). */
function passwordLocation(location: Location, password: string): Location {
  const written = location.file.text.slice(location.start, location.end);
  const at = written.indexOf(`:${password}@`);
  if (at === -1) return location;
  const start = location.start + at + 1;
  return { file: location.file, start, end: start + password.length };
}
