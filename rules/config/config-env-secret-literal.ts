import { runtimeEnvironment } from '../../src/model/environment';
import { isRecord, kubernetesContainers, locationAt } from '../../src/model/orchestration';
import { isPlaceholder, isSecretName, urlPassword } from '../../src/model/secrets';
import type { SystemModel } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import type { Location } from '../../src/source';
import { parseEnvReference } from './config-values';
import { isDevelopmentCompose } from './containers';

/** An environment variable that compose or Kubernetes sets for a container, as written. */
interface DeployedVariable {
  name: string;
  value: string;
  location: Location;
  /** The span of the value: the scalar of a mapping entry, or the whole `NAME=value` item of a compose list. */
  valueLocation: Location;
  origin: 'compose' | 'kubernetes';
  /** True for a compose list item, where the name and value are one scalar. */
  listItem: boolean;
}

export default defineRule({
  meta: {
    id: 'config-env-secret-literal',
    area: 'config',
    description: 'Compose or Kubernetes sets a secret environment variable to a literal',
    severity: 'error',
    fixable: 'unsafe',
    messages: {
      literal: '`{{name}}` is set to a literal secret in {{place}}, so every clone of the repository holds it.',
      fallback: '`{{name}}` falls back to a literal secret in {{place}} when `{{variable}}` is unset.',
      urlPassword: '`{{name}}` holds a URL with a literal password in {{place}}, so every clone of the repository holds it.',
    },
    docs: {
      whatItDoes:
        'Checks the `environment` of each compose service (mapping and `NAME=value` list forms) and the `env` of each Kubernetes container for variables whose name marks a secret (`SECRET_KEY`, `DB_PASSWORD`, `API_TOKEN`) set to a literal, for `${VAR:-default}` whose default is a literal secret, and for URLs with a password in any variable. `${VAR}` references, Kubernetes `valueFrom`, empty values and placeholders such as `<password>` are not literals. Compose files for development (`docker-compose.override.yml`, `compose.dev.yaml`) are not checked.',
      whyItMatters:
        'Deployment files are committed with the code, so a secret in them is in every clone, fork and backup of the repository, and rotating it needs a commit. Compose reads `${VAR}` from the shell or an uncommitted `.env` file, and Kubernetes reads secrets from Secret objects, so neither needs the value in the file.',
      examples: {
        bad: { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    environment:\n      SECRET_KEY: 3f9a7c1e5b\n' },
        good: { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    environment:\n      SECRET_KEY: ${SECRET_KEY}\n' },
      },
      fixSafety:
        'Unsafe: in a compose file the fix writes `${NAME}` in place of the value (or drops the literal default of an existing reference), so compose takes it from the shell or a `.env` file, which must then set it. Kubernetes values get no fix: they belong in a Secret read through `valueFrom.secretKeyRef`.',
      useInstead: 'Write `SECRET_KEY: ${SECRET_KEY}` in compose and keep the value in an uncommitted `.env` file or the deployment\'s secret store; in Kubernetes use `valueFrom: {secretKeyRef: {name: app-secrets, key: secret-key}}`.',
      knownLimitations: 'Secrets under names that do not look like secrets, other than URLs with a password, are not found. `env_file` and Kubernetes ConfigMaps are not read.',
    },
  },
  check(model, context) {
    for (const variable of deployedVariables(model)) {
      const place = `\`${variable.location.file.relPath}\``;
      const reference = parseEnvReference(variable.value);
      const literal = reference ? reference.fallback : variable.value;
      if (literal === null || isPlaceholder(literal) || (!reference && literal.includes('$'))) continue;

      const password = urlPassword(literal);
      if (!password && !isSecretName(variable.name)) continue;

      const fix = composeFix(variable, reference?.variable ?? variable.name);
      if (reference) {
        context.report({ messageId: 'fallback', data: { name: variable.name, place, variable: reference.variable }, location: variable.valueLocation, fix });
        continue;
      }

      const messageId = password ? 'urlPassword' : 'literal';
      context.report({ messageId, data: { name: variable.name, place }, location: variable.valueLocation, fix });
    }
  },
});

/** Lists the variables set by production compose services and by Kubernetes containers' `env` entries with a `value`. */
function deployedVariables(model: SystemModel): DeployedVariable[] {
  const variables: DeployedVariable[] = [];
  for (const setting of runtimeEnvironment(model)) {
    if (setting.origin !== 'compose' || setting.value === null || isDevelopmentCompose(setting.location.file.relPath)) continue;

    const listItem = setting.location === setting.valueLocation;
    variables.push({ name: setting.name, value: setting.value, location: setting.location, valueLocation: setting.valueLocation, origin: 'compose', listItem });
  }

  for (const container of kubernetesContainers(model)) {
    if (!Array.isArray(container.data.env)) continue;
    container.data.env.forEach((entry, index) => {
      if (!isRecord(entry) || typeof entry.name !== 'string' || (typeof entry.value !== 'string' && typeof entry.value !== 'number')) return;

      const valueLocation = locationAt(container.document, [...container.path, 'env', index, 'value']);
      variables.push({ name: entry.name, value: String(entry.value), location: valueLocation, valueLocation, origin: 'kubernetes', listItem: false });
    });
  }
  return variables;
}

/** Replaces a compose value with a `${VAR}` reference; Kubernetes values get no fix. */
function composeFix(variable: DeployedVariable, name: string): Fix | undefined {
  if (variable.origin !== 'compose') return undefined;

  const text = variable.listItem ? `"${variable.name}=\${${name}}"` : `"\${${name}}"`;
  return {
    title: `Take \`${variable.name}\` from \`\${${name}}\``,
    safety: 'unsafe',
    edits: [{ file: variable.valueLocation.file.relPath, start: variable.valueLocation.start, end: variable.valueLocation.end, text }],
  };
}
