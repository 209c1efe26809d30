/**
 * Names that hold credentials: `SECRET_KEY`, `DB_PASSWORD`, `API_TOKEN`, `STRIPE_API_KEY`, `client_secret`.
 * Names that only describe a credential (`TOKEN_HEADER`, `PASSWORD_MIN_LENGTH`, `SECRET_KEY_FILE`) are excluded.
 */
const SECRET_NAME = /(^|[_\-.])(secret|secret[_-]?key|password|passwd|pwd|pass|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key|auth[_-]?key|signing[_-]?key|encryption[_-]?key|credentials?)($|[_\-.])/i;
const DESCRIPTIVE_SUFFIX = /([_\-.])(file|path|dir|name|header|field|prefix|length|len|min|max|ttl|expiry|expires?|expiration|timeout|type|id|url|uri|env|var|variable|hash|algorithm|rounds)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !DESCRIPTIVE_SUFFIX.test(name);
}

/** Matches a URL with a password in its user info: `postgresql://app:hunter2@db:5432/app`. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s/]+)@/i;

/** Returns the password of a URL with credentials, or null when it has none or only a placeholder. */
export function urlPassword(value: string): string | null {
  const match = URL_WITH_PASSWORD.exec(value.trim());
  if (!match) return null;

  const password = match[1];
  if (isPlaceholder(password)) return null;
  return password;
}

/** True for values that are references to be filled in elsewhere: `${VAR}`, `$VAR`, `{password}`, `%(password)s`, `<password>`, `***`. */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  return (
    trimmed === '' ||
    /^\$\{[^}]+\}$/.test(trimmed) ||
    /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(trimmed) ||
    /^\{[^}]*\}$/.test(trimmed) ||
    /^%\([^)]+\)s$/.test(trimmed) ||
    /^<[^>]+>$/.test(trimmed) ||
    /^\*+$/.test(trimmed)
  );
}
