import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * JSON ↔ XML conventions (mediation/README.md):
 * - an element becomes a key; its attributes become `@name` keys, its text `#text` when it
 *   also has attributes or children, or the plain value when it has neither;
 * - repeated child elements become an array (and so do those listed in `arrays`);
 * - the document's root element is the single top-level key;
 * - DOCTYPE declarations are refused: no external or expanding entities are ever resolved.
 */
export const attributePrefix = '@';
export const textKey = '#text';

export interface XmlReadOptions {
  /** Turn numeric and boolean text into JSON numbers and booleans. */
  readonly inferTypes: boolean;
  /** Element names (or dotted paths such as `order.item`) that are always arrays. */
  readonly arrays: readonly string[];
  /** Drop namespace prefixes (`soap:Body` → `Body`). */
  readonly removeNamespacePrefix: boolean;
}

export type XmlReadResult =
  { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

const doctype = /<!DOCTYPE/i;

/** Parses an XML document into JSON by the conventions above. */
export function xmlToJson(text: string, options: XmlReadOptions): XmlReadResult {
  if (doctype.test(text)) return { ok: false, error: 'DOCTYPE declarations are not accepted' };
  if (text.trim().length === 0) return { ok: false, error: 'the body is empty' };
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    return {
      ok: false,
      error: `${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`,
    };
  const arrays = new Set(options.arrays);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: attributePrefix,
    textNodeName: textKey,
    parseTagValue: options.inferTypes,
    parseAttributeValue: options.inferTypes,
    removeNSPrefix: options.removeNamespacePrefix,
    ignoreDeclaration: true,
    ignorePiTags: true,
    trimValues: true,
    processEntities: true,
    htmlEntities: false,
    numberParseOptions: { hex: false, leadingZeros: false, eNotation: true },
    isArray: (name, path) => arrays.has(name) || arrays.has(String(path)),
  });
  const value = parser.parse(text) as unknown;
  if (typeof value !== 'object' || value === null || Object.keys(value).length === 0)
    return { ok: false, error: 'the document has no root element' };
  return { ok: true, value: value as Record<string, unknown> };
}

export interface XmlWriteOptions {
  /** The root element when the JSON value is not an object with exactly one element key. */
  readonly rootElement: string;
  /** The element for members of arrays that are not under a key (top-level or nested arrays). */
  readonly itemElement: string;
  readonly declaration: boolean;
}

export type XmlWriteResult = { ok: true; text: string } | { ok: false; error: string };

/** XML 1.0 names, restricted to ASCII letters and the usual punctuation (§2.3 Name). */
const elementName = /^[A-Za-z_][A-Za-z0-9._-]*(:[A-Za-z_][A-Za-z0-9._-]*)?$/;

/** Serialises a JSON value as XML by the conventions above. */
export function jsonToXml(value: unknown, options: XmlWriteOptions): XmlWriteResult {
  let document: Record<string, unknown>;
  try {
    const normalised = normalise(value, options.itemElement, '$');
    const keys =
      typeof normalised === 'object' && normalised !== null && !Array.isArray(normalised)
        ? Object.keys(normalised)
        : [];
    const single =
      keys.length === 1 &&
      !keys[0]!.startsWith(attributePrefix) &&
      keys[0] !== textKey &&
      !Array.isArray((normalised as Record<string, unknown>)[keys[0]!]);
    document = single
      ? (normalised as Record<string, unknown>)
      : {
          [options.rootElement]: Array.isArray(normalised)
            ? { [options.itemElement]: normalised }
            : normalised,
        };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: attributePrefix,
    textNodeName: textKey,
    suppressEmptyNode: false,
    suppressBooleanAttributes: false,
    processEntities: true,
    format: false,
  });
  const body = builder.build(document);
  return {
    ok: true,
    text: (options.declaration ? '<?xml version="1.0" encoding="UTF-8"?>' : '') + body,
  };
}

/** Checks names, turns null into an empty element and nested arrays into item elements. */
function normalise(value: unknown, itemElement: string, at: string): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value))
    return value.map((item, index) =>
      Array.isArray(item)
        ? { [itemElement]: normalise(item, itemElement, `${at}[${index}]`) }
        : normalise(item, itemElement, `${at}[${index}]`),
    );
  if (typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const bare = key.startsWith(attributePrefix) ? key.slice(attributePrefix.length) : key;
    if (key !== textKey && !elementName.test(bare))
      throw new Error(`the key '${key}' at ${at} is not a valid XML name`);
    if (key.startsWith(attributePrefix) && typeof child === 'object' && child !== null)
      throw new Error(`the attribute '${key}' at ${at} must be a string, number or boolean`);
    result[key] = normalise(child, itemElement, `${at}.${key}`);
  }
  return result;
}
