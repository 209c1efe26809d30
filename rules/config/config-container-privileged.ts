import { isRecord } from '../../src/model/orchestration';
import { defineRule } from '../../src/rule';
import { composeSettings, kubernetesSecuritySettings } from './containers';

/** Capabilities that give a container the host's kernel in all but name. */
const HOST_CAPABILITIES = new Set(['ALL', 'SYS_ADMIN', 'CAP_SYS_ADMIN']);

export default defineRule({
  meta: {
    id: 'config-container-privileged',
    area: 'config',
    description: 'Compose or Kubernetes runs the container privileged',
    severity: 'error',
    fixable: 'none',
    messages: {
      privileged: '{{owner}} runs privileged: the container has every capability and every host device.',
      capability: '{{owner}} adds the `{{capability}}` capability, which gives it nearly everything `privileged` does.',
    },
    docs: {
      whatItDoes:
        'Reports `privileged: true` on a compose service or in a Kubernetes container\'s `securityContext`, and `ALL` or `SYS_ADMIN` in compose `cap_add` or Kubernetes `securityContext.capabilities.add`. Compose files for development (`docker-compose.override.yml`, `compose.dev.yaml`) are not checked.',
      whyItMatters:
        'A privileged container sees all host devices and holds every kernel capability, so escaping to the host is a matter of mounting its disk. `SYS_ADMIN` alone allows mounts and most of the same. A Flask service needs none of it.',
      examples: {
        bad: { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    privileged: true\n' },
        good: { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    cap_drop:\n      - ALL\n' },
      },
      useInstead: 'Remove `privileged` and the added capabilities; drop all capabilities (`cap_drop: [ALL]`, `capabilities: {drop: [ALL]}`) and add back only one the service shows it needs.',
      knownLimitations: 'Values given by variables are not resolved. Other dangerous settings (`pid: host`, `network_mode: host`, host path mounts) are not checked.',
    },
  },
  check(model, context) {
    const privileged = [...composeSettings(model, 'privileged'), ...kubernetesSecuritySettings(model, 'privileged', false)];
    for (const setting of privileged) {
      if (setting.value !== true) continue;
      context.report({ messageId: 'privileged', data: { owner: setting.owner }, location: setting.location });
    }

    for (const setting of [...composeSettings(model, 'cap_add'), ...kubernetesSecuritySettings(model, 'capabilities', false)]) {
      const capability = addedCapabilities(setting.value).find((item) => HOST_CAPABILITIES.has(item));
      if (!capability) continue;

      context.report({ messageId: 'capability', data: { owner: setting.owner, capability }, location: setting.location });
    }
  },
});

/** Returns the capabilities a compose `cap_add` list or a Kubernetes `capabilities` mapping adds, upper-cased. */
function addedCapabilities(value: unknown): string[] {
  let added: unknown = value;
  if (isRecord(value)) added = value.add;
  if (!Array.isArray(added)) return [];
  return added.map((item) => String(item).toUpperCase());
}
