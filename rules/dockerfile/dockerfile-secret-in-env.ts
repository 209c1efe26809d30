import { globalArgs } from '../../src/model/docker';
import { defineRule } from '../../src/rule';

/** Name parts that mark a secret: `SECRET_KEY`, `DB_PASSWORD`, `GITHUB_TOKEN`, `STRIPE_API_KEY`, `AWS_SECRET_ACCESS_KEY`. */
const SECRET_NAME = /(^|_)(SECRETS?|PASSWORD|PASSWD|PASSPHRASE|PASS|PWD|TOKEN|CREDENTIALS?|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|AUTH_?KEY|KEY)(_|$)/i;
/** Suffixes that name something about a secret rather than the secret: a path, a length, an id. */
const METADATA_SUFFIX =
  /_(FILE|PATH|DIR|URL|URI|ENDPOINT|HOST|PORT|ENABLED|TTL|EXPIRY|EXPIRES|EXPIRATION|TIMEOUT|LENGTH|SIZE|AGE|HEADER|ALGORITHM|TYPE|ID|NAME|USER|USERNAME|PROVIDER|METHOD|MODE|FORMAT|VERSION|PREFIX)$/i;
/** Public halves of key pairs. */
const PUBLIC_KEY = /(PUBLIC|PUBLISHABLE)/i;
/** `scheme://user:password@host`, capturing the password. */
const URL_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^@\s]+)@/i;

export default defineRule({
  meta: {
    id: 'dockerfile-secret-in-env',
    area: 'dockerfile',
    description: 'ENV or ARG holds a literal secret or a URL with a password',
    severity: 'error',
    fixable: 'none',
    messages: {
      secretName: '`{{keyword}} {{name}}` sets a literal secret, which is baked into the image where anyone who can pull it can read it.',
      urlPassword: '`{{keyword}} {{name}}` holds a URL with a literal password, which is baked into the image where anyone who can pull it can read it.',
    },
    docs: {
      whatItDoes:
        'Checks every ENV and ARG of every stage of every Dockerfile, global ARGs included. It reports a literal value for a name that looks like a secret (password, token, API key, secret key, credentials), and any value that is a URL with a password (`postgresql://app:hunter2@db/app`). A `${VAR}` reference, an empty value and names for metadata such as `SECRET_KEY_FILE` or `TOKEN_TTL` are fine.',
      whyItMatters:
        'ENV values are stored in the image configuration and ARG values in its build history; `docker inspect` and `docker history` show them to anyone who can pull the image, and every registry mirror keeps a copy. A secret in the Dockerfile is also committed to the repository.',
      examples: {
        bad: {
          Dockerfile:
            'FROM python:3.12-slim\nENV SECRET_KEY=dev-secret-change-me\nENV DATABASE_URL=postgresql://app:hunter2@db:5432/app\nCMD ["gunicorn", "app:app"]\n',
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nARG SECRET_KEY_FILE=/run/secrets/secret_key\nENV SECRET_KEY_FILE=${SECRET_KEY_FILE}\nENV DATABASE_URL=\nCMD ["gunicorn", "app:app"]\n',
        },
      },
      useInstead:
        'Pass secrets at run time through the environment of the orchestrator (compose `environment`, Kubernetes `secretKeyRef`) or a mounted secret file; for build-time secrets use `RUN --mount=type=secret`.',
      knownLimitations: 'Secrets under names that do not look like secrets, other than URLs with a password, are not found.',
    },
  },
  check(model, context) {
    for (const dockerfile of model.docker.dockerfiles) {
      const globals = globalArgs(dockerfile).map((arg) => ({ ...arg, keyword: 'ARG' as const }));
      const entries = [...globals, ...dockerfile.stages.flatMap((stage) => stage.env)];

      for (const entry of entries) {
        const messageId = secretKind(entry.name, entry.raw);
        if (!messageId) continue;

        context.report({ messageId, data: { keyword: entry.keyword, name: entry.name }, location: entry.location });
      }
    }
  },
});

/** Returns the kind of literal secret in the value as written, or null when it is a reference, empty or not a secret. */
function secretKind(name: string, raw: string): 'secretName' | 'urlPassword' | null {
  const literal = raw.trim().replace(/^(["'])(.*)\1$/, '$2');
  if (literal === '') return null;

  const password = URL_PASSWORD.exec(literal)?.[1];
  if (password !== undefined) return password.includes('$') ? null : 'urlPassword';

  if (!isSecretName(name) || literal.includes('$')) return null;
  return 'secretName';
}

function isSecretName(name: string): boolean {
  if (name.toUpperCase() === 'PWD' || PUBLIC_KEY.test(name) || METADATA_SUFFIX.test(name)) return false;
  return SECRET_NAME.test(name);
}
