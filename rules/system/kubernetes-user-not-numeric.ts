import { isRecord, kubernetesContainers, locationAt } from '../../src/model/orchestration';
import { defineRule } from '../../src/rule';

export default defineRule({
  meta: {
    id: 'kubernetes-user-not-numeric',
    area: 'system',
    description: 'Kubernetes requires a non-root user but the image names its user',
    severity: 'error',
    fixable: 'none',
    spansFiles: true,
    messages: {
      named:
        '`runAsNonRoot: true` with no `runAsUser`, and the image runs as `{{user}}`, a name: the kubelet cannot verify it is not root and refuses to start container {{container}}.',
    },
    docs: {
      whatItDoes:
        'For each Kubernetes container with `securityContext.runAsNonRoot: true` (its own or the pod\'s) and no `runAsUser`, checks that the Dockerfile\'s final USER is a numeric UID.',
      whyItMatters:
        'The kubelet only knows the user from the image\'s metadata. With a user name it cannot tell whether the UID is 0, so the pod fails with CreateContainerConfigError ("image has non-numeric user") on every start.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nRUN useradd --uid 10001 app\nUSER app\nCMD ["gunicorn", "main:app"]\n',
          'deploy/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: api\n      image: api:1.0\n',
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nRUN useradd --uid 10001 app\nUSER 10001\nCMD ["gunicorn", "main:app"]\n',
          'deploy/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: api\n      image: api:1.0\n',
        },
      },
      useInstead: 'Use a numeric `USER 10001` in the Dockerfile, or set `runAsUser` in the security context.',
      knownLimitations: 'Containers are not matched to images: every workload of the system is compared with the main Dockerfile.',
    },
  },
  check(model, context) {
    const user = model.docker.main?.target?.user;
    const resolved = user?.resolved?.split(':')[0];
    if (!resolved || /^\d+$/.test(resolved)) return;

    for (const container of kubernetesContainers(model)) {
      const own = isRecord(container.data.securityContext) ? container.data.securityContext : {};
      const pod = isRecord(container.podSpec.securityContext) ? container.podSpec.securityContext : {};
      const nonRoot = own.runAsNonRoot ?? pod.runAsNonRoot;
      const runAsUser = own.runAsUser ?? pod.runAsUser;
      if (nonRoot !== true || runAsUser !== undefined) continue;

      const path = own.runAsNonRoot !== undefined ? [...container.path, 'securityContext', 'runAsNonRoot'] : [...container.podSpecPath, 'securityContext', 'runAsNonRoot'];
      context.report({ messageId: 'named', data: { user: resolved, container: container.name }, location: locationAt(container.document, path) });
    }
  },
});
