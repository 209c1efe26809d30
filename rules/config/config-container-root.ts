import { defineRule } from '../../src/rule';
import { composeSettings, isRootUser, kubernetesSecuritySettings } from './containers';

export default defineRule({
  meta: {
    id: 'config-container-root',
    area: 'config',
    description: 'Compose or Kubernetes runs the container as root',
    severity: 'error',
    fixable: 'none',
    messages: {
      compose: '{{owner}} sets `user: {{user}}`, so the container runs as root whatever user the image names.',
      kubernetes: '{{owner}} has `runAsUser: 0`, so it runs as root whatever user the image names.',
    },
    docs: {
      whatItDoes:
        'Reports a compose service with `user: root` or `user: "0"` (with or without a group), and a Kubernetes container whose effective `securityContext.runAsUser` is 0: its own, or the pod\'s when the container sets none. Compose files for development (`docker-compose.override.yml`, `compose.dev.yaml`, `docker-compose.local.yml`) are not checked.',
      whyItMatters:
        'The user set by compose or Kubernetes replaces the image\'s `USER`, so a non-root image still runs as root. Code running as root in a container can modify the image\'s files, bind low ports and, through any kernel or runtime flaw, reach the host as root.',
      examples: {
        bad: { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    user: root\n' },
        good: { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    user: "10001:10001"\n' },
      },
      useInstead: 'Leave `user` unset so the image\'s non-root `USER` applies, or set a non-zero numeric UID (`user: "10001:10001"`, `runAsUser: 10001` with `runAsNonRoot: true`).',
      knownLimitations: 'A user given by a variable (`user: ${APP_UID}`) is not resolved. Containers are not matched to images, so an image that already runs as root is reported by `dockerfile-user-root`, not here.',
    },
  },
  check(model, context) {
    for (const setting of composeSettings(model, 'user')) {
      if (!isRootUser(setting.value)) continue;
      context.report({ messageId: 'compose', data: { owner: setting.owner, user: String(setting.value) }, location: setting.location });
    }

    for (const setting of kubernetesSecuritySettings(model, 'runAsUser', true)) {
      if (setting.value !== 0) continue;
      context.report({ messageId: 'kubernetes', data: { owner: setting.owner }, location: setting.location });
    }
  },
});
