/** The declaration that starts every XML report prodcheck writes. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * Escapes text for XML element content. Characters that XML 1.0 does not allow at all (control
 * characters other than tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF)
 * are written as the text `\uXXXX`, because not even a character reference may name them.
 * Carriage returns become `&#13;`, so that parsers do not fold `\r\n` into `\n`.
 */
export function escapeXmlText(value: string): string {
  return replaceInvalidCharacters(value).replace(/[&<>\r]/g, (character) => TEXT_ESCAPES[character]);
}

/**
 * Escapes text for a double-quoted XML attribute value. Besides what `escapeXmlText` escapes, it
 * writes quotes, tabs and line breaks as references, because parsers turn literal whitespace in
 * attributes into spaces.
 */
export function escapeXmlAttribute(value: string): string {
  return replaceInvalidCharacters(value).replace(/[&<>"'\t\n\r]/g, (character) => ATTRIBUTE_ESCAPES[character]);
}

/** Returns `<name a="b" ...>` (or `<name .../>` when `selfClosing`), with the attributes escaped in the order given. */
export function startTag(name: string, attributes: ReadonlyArray<[string, string | number]>, selfClosing = false): string {
  const encoded = attributes.map(([key, value]) => ` ${key}="${escapeXmlAttribute(String(value))}"`).join('');
  return `<${name}${encoded}${selfClosing ? '/>' : '>'}`;
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

const ATTRIBUTE_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
};

/** Everything outside the `Char` production of XML 1.0; with the `u` flag a lone surrogate is one code point and matches too. */
const INVALID_XML_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function replaceInvalidCharacters(value: string): string {
  return value.replace(INVALID_XML_CHARACTER, (character) => `\\u${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
}
