import { SaxesParser } from 'saxes';

/** An element of a parsed XML document: its name, attributes and the text directly inside it. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: XmlElement[];
}

/**
 * Parses XML with saxes, a parser that reports every well-formedness error of XML 1.0, and
 * returns the errors and the root element.
 */
export function parseXml(xml: string): { errors: string[]; root: XmlElement | null } {
  const parser = new SaxesParser();
  const errors: string[] = [];
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;

  parser.on('error', (error) => errors.push(error.message));
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: { ...(tag.attributes as Record<string, string>) }, text: '', children: [] };
    if (stack.length > 0) stack[stack.length - 1].children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('text', (text) => {
    if (stack.length > 0) stack[stack.length - 1].text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  return { errors, root };
}

/** Returns every element below `element` with the given name, in document order. */
export function elementsNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...elementsNamed(child, name)]);
}
