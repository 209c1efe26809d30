/** A Gunicorn WSGI target split into its parts: `main:app`, `main:create_app()`, `main`. */
export interface ParsedTarget {
  module: string;
  /** The attribute, `application` when the target names only a module. */
  attribute: string;
  /** The text inside the parentheses of a factory call, or null when the target is not a call. */
  callArguments: string | null;
  /** True when the attribute is not a single name or a call of one (`main:app.wsgi_app`). */
  complexAttribute: boolean;
}

export function parseGunicornTarget(target: string): ParsedTarget | null {
  const trimmed = target.trim();
  const colon = trimmed.indexOf(':');
  const module = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const rest = colon < 0 ? 'application' : trimmed.slice(colon + 1).trim();
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(module)) return null;

  const call = /^([A-Za-z_]\w*)\s*\(([\s\S]*)\)$/.exec(rest);
  if (call) return { module, attribute: call[1], callArguments: call[2], complexAttribute: false };
  return { module, attribute: rest, callArguments: null, complexAttribute: !/^[A-Za-z_]\w*$/.test(rest) };
}

/**
 * True when the arguments of a factory target are literals only, as Gunicorn requires:
 * strings, numbers, True/False/None, and `name=literal` keywords.
 */
export function hasLiteralArguments(text: string): boolean {
  const literal = String.raw`(?:'[^'\\]*(?:\\.[^'\\]*)*'|"[^"\\]*(?:\\.[^"\\]*)*"|-?\d+(?:\.\d+)?|True|False|None)`;
  const argument = String.raw`(?:[A-Za-z_]\w*\s*=\s*)?${literal}`;
  const list = new RegExp(String.raw`^\s*(?:${argument}(?:\s*,\s*${argument})*\s*,?)?\s*$`);
  return list.test(text);
}
