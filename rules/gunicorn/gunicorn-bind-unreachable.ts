import { bindExpression, bindLine } from '../../src/fix/gunicorn-config';
import { defineRule } from '../../src/rule';
import { addressPort, DEFAULT_PORT, servicePort } from './service-port';
import { appendSettings, replaceSettingValue, settingFix } from './setting-fixes';
import { environmentSets, missingSettingLocation, resolveEnv, runsInContainer, stringOf } from './setting-values';

export default defineRule({
  meta: {
    id: 'gunicorn-bind-unreachable',
    area: 'gunicorn',
    description: 'Gunicorn binds only a loopback address inside a container',
    severity: 'error',
    fixable: 'unsafe',
    messages: {
      defaultBind: 'Gunicorn binds its default `127.0.0.1:8000`, which is unreachable from outside the container.',
      loopback: 'Gunicorn binds only `{{address}}`, a loopback address that is unreachable from outside the container.',
    },
    docs: {
      whatItDoes:
        'Reads `bind` from the config file, GUNICORN_CMD_ARGS and `-b`/`--bind`, resolves environment lookups (the image ENV, a compose `environment`, else the fallback) and reports when every address is a loopback one (`127.0.0.0/8`, `::1`, `localhost`) or when nothing sets `bind` and no `PORT` variable is set. It runs only when Gunicorn runs in a container, that is when the system has a Dockerfile or a compose file.',
      whyItMatters:
        'Inside a container, loopback is the container itself: Docker port publishing, other containers and Kubernetes probes connect to the container\'s network interface and get "connection refused". Gunicorn\'s default is `127.0.0.1:8000` unless the `PORT` variable is set, in which case it binds `0.0.0.0:$PORT`.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n',
          'gunicorn.conf.py': 'bind = "127.0.0.1:8000"\n',
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n',
          'gunicorn.conf.py': 'import os\n\nbind = f"0.0.0.0:{os.environ.get(\'PORT\', \'8000\')}"\n',
        },
      },
      useInstead: 'Bind all interfaces: `bind = "0.0.0.0:8000"`, `[::]:8000`, or `f"0.0.0.0:{os.environ.get(\'PORT\', \'8000\')}"`.',
      fixSafety:
        'Unsafe: in the config file the fix sets `bind = f"0.0.0.0:{os.environ.get(\'PORT\', \'<port>\')}"`, keeping the port already in use (from the address, `EXPOSE`, the HEALTHCHECK URL, compose `ports` or `app.run`, else 8000) and adding `import os` when needed. A `--bind` flag in the Dockerfile gets `0.0.0.0` with the same port. The service then accepts connections from every network the container is on, which is the point but changes who can reach it.',
      knownLimitations:
        'Unix sockets (`unix:/path`) and addresses that cannot be evaluated are not judged. Variables set only by the orchestrator at run time (outside the Dockerfile and compose files) are not seen, so an environment lookup falls back to its default.',
    },
  },
  check(model, context) {
    const bind = model.gunicorn.settings.get('bind');
    if (!model.gunicorn.used || !bind || !runsInContainer(model)) return;

    if (bind.source === 'default') {
      const location = missingSettingLocation(model);
      if (environmentSets(model, 'PORT') || !location) return;
      const edits = appendSettings(model, [bindLine(servicePort(model))], ['os']);
      context.report({ messageId: 'defaultBind', location, fix: settingFix('Bind all interfaces', 'unsafe', edits) });
      return;
    }

    const resolved = resolveEnv(bind.value, model);
    const addresses = (resolved.kind === 'list' ? resolved.items : [resolved]).map(stringOf);
    if (!bind.location || addresses.length === 0) return;
    if (addresses.some((address) => address === null || !isLoopbackAddress(address))) return;

    // Gunicorn serves an address without a port on 8000.
    const port = addressPort(addresses[0] ?? '') ?? DEFAULT_PORT;
    const repeatedFlag = bind.source !== 'config' && addresses.length > 1;
    const edits = repeatedFlag ? null : replaceSettingValue(model, bind, bindExpression(port), `0.0.0.0:${port}`, ['os']);
    context.report({
      messageId: 'loopback',
      data: { address: addresses.join('`, `') },
      location: bind.location,
      fix: settingFix(`Bind all interfaces on port ${port}`, 'unsafe', edits),
    });
  },
});

/** True for a TCP address whose host is a loopback name or address; Unix sockets and descriptors are not. */
export function isLoopbackAddress(address: string): boolean {
  const trimmed = address.trim().replace(/^tcp:\/\//, '');
  if (trimmed.startsWith('unix:') || trimmed.startsWith('fd://')) return false;

  const host = hostOf(trimmed).toLowerCase();
  return host === 'localhost' || host === 'ip6-localhost' || host === 'ip6-loopback' || /^127\.\d+\.\d+\.\d+$/.test(host) || /^(0+:){7}0*1$|^::1$/.test(host);
}

function hostOf(address: string): string {
  if (address.startsWith('[')) return address.slice(1, address.indexOf(']') < 0 ? undefined : address.indexOf(']'));
  const colons = address.split(':').length - 1;
  if (colons === 1) return address.slice(0, address.indexOf(':'));
  return address;
}
