import { escapeXmlAttribute, escapeXmlText, startTag } from '../../src/report/xml';
import { parseXml } from './parse-xml';

describe('xml escaping', () => {
  test.each([
    ['a & b < c > d', 'a &amp; b &lt; c &gt; d'],
    ['"quoted" \'single\'', '"quoted" \'single\''],
    [']]>', ']]&gt;'],
    ['line\r\nbreak', 'line&#13;\nbreak'],
    ['nul\u0000bell\u0007', 'nul\\u0000bell\\u0007'],
    ['lone \uD800 surrogate', 'lone \\uD800 surrogate'],
    ['non-character \uFFFE', 'non-character \\uFFFE'],
    ['emoji 😀 kept', 'emoji 😀 kept'],
  ])('text %j', (value, escaped) => {
    expect(escapeXmlText(value)).toBe(escaped);
  });

  test.each([
    ['a & "b" <c>', 'a &amp; &quot;b&quot; &lt;c&gt;'],
    ["it's", 'it&apos;s'],
    ['tab\tline\nreturn\r', 'tab&#9;line&#10;return&#13;'],
    ['escape \u001b[31m', 'escape \\u001B[31m'],
  ])('attribute %j', (value, escaped) => {
    expect(escapeXmlAttribute(value)).toBe(escaped);
  });

  test('start tag', () => {
    expect(startTag('error', [['line', 3], ['message', 'a "b"']], true)).toBe('<error line="3" message="a &quot;b&quot;"/>');
  });

  test('values survive a parser', () => {
    const value = 'a & b <c> "d" \'e\'\ttab\nline\r\nend ]]> 😀';
    const document = `<root value="${escapeXmlAttribute(value)}">${escapeXmlText(value)}</root>`;
    const { errors, root } = parseXml(document);

    expect(errors).toEqual([]);
    expect(root!.attributes.value).toBe(value);
    expect(root!.text).toBe(value);
  });

  test('invalid characters make well-formed xml', () => {
    const value = 'control \u0001\u0008\u000b\u000c\u001f, \uDC00, \uFFFF';
    const { errors, root } = parseXml(`<root value="${escapeXmlAttribute(value)}">${escapeXmlText(value)}</root>`);

    expect(errors).toEqual([]);
    expect(root!.text).toBe('control \\u0001\\u0008\\u000B\\u000C\\u001F, \\uDC00, \\uFFFF');
  });

  test('parser rejects raw control characters', () => {
    expect(parseXml('<root>\u0001</root>').errors).not.toEqual([]);
  });
});
