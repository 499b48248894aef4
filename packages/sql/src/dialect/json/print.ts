/**
 * JSON written as MariaDB writes it: the loose form of its answers (", " and ": "), the
 * compact and detailed forms of JSON_COMPACT and JSON_DETAILED, the normal form of
 * JSON_NORMALIZE, and string escaping both ways.
 */
import type { JsonNode } from './scan.js';

/** ", " between items and ": " after keys; scalars and keys as written. */
export function looseJson(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return `{${node.members.map((m) => `"${m.key}": ${looseJson(m.value)}`).join(', ')}}`;
    case 'array':
      return `[${node.items.map(looseJson).join(', ')}]`;
    default:
      return scalarText(node);
  }
}

export function compactJson(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return `{${node.members.map((m) => `"${m.key}":${compactJson(m.value)}`).join(',')}}`;
    case 'array':
      return `[${node.items.map(compactJson).join(',')}]`;
    default:
      return scalarText(node);
  }
}

export function scalarText(node: JsonNode): string {
  switch (node.kind) {
    case 'string':
      return `"${node.raw}"`;
    case 'number':
      return node.raw;
    case 'object':
    case 'array':
      return looseJson(node);
    default:
      return node.kind;
  }
}

function isScalar(node: JsonNode): boolean {
  return node.kind !== 'object' && node.kind !== 'array';
}

/**
 * JSON_DETAILED: one item per line indented by `tab` spaces a level; a container after a key
 * starts on a line of its own, an array of one scalar stays on one line, an empty object
 * closes on the next line.
 */
export function detailedJson(node: JsonNode, tab: number): string {
  const indent = (depth: number): string => `\n${' '.repeat(tab * depth)}`;
  const write = (value: JsonNode, depth: number): string => {
    if (value.kind === 'array') {
      if (value.items.length === 0) return '[]';
      const only = value.items[0];
      if (value.items.length === 1 && only !== undefined && isScalar(only))
        return `[${scalarText(only)}]`;
      const items = value.items.map((item) => `${indent(depth + 1)}${write(item, depth + 1)}`);
      return `[${items.join(',')}${indent(depth)}]`;
    }
    if (value.kind === 'object') {
      const members = value.members.map((m) => {
        const inner = isScalar(m.value)
          ? scalarText(m.value)
          : `${indent(depth + 1)}${write(m.value, depth + 1)}`;
        return `${indent(depth + 1)}"${m.key}": ${inner}`;
      });
      return `{${members.join(',')}${indent(depth)}}`;
    }
    return scalarText(value);
  };
  return write(node, 0);
}

/** A number as JSON_NORMALIZE writes it: d.dddE±n from its decimal digits (0 is 0.0E0). */
export function normalNumber(raw: string): string {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([-+]*)(\d*))?$/.exec(raw);
  if (match === null) return raw;
  const [, sign = '', whole = '', fraction = '', expSigns = '', expDigits = ''] = match;
  const exponent = (expSigns.includes('-') ? -1 : 1) * Number(expDigits || '0');
  let digits = `${whole}${fraction}`;
  let power = exponent + whole.length - 1;
  const leading = /^0*/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(leading).replace(/0+$/, '');
  power -= leading;
  if (digits === '') return '0.0E0';
  return `${sign}${digits[0] ?? '0'}.${digits.slice(1) || '0'}E${power}`;
}

/** JSON_NORMALIZE: compact, object members sorted by key then value, numbers normalized. */
export function normalJson(node: JsonNode): string {
  switch (node.kind) {
    case 'object': {
      const members = node.members
        .map((m) => ({ key: m.key, text: normalJson(m.value) }))
        .sort((a, b) => compareText(a.key, b.key) || compareText(a.text, b.text));
      return `{${members.map((m) => `"${m.key}":${m.text}`).join(',')}}`;
    }
    case 'array':
      return `[${node.items.map(normalJson).join(',')}]`;
    case 'number':
      return normalNumber(node.raw);
    default:
      return scalarText(node);
  }
}

function compareText(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** Text as the inside of a JSON string (MariaDB's json_escape). */
export function escapeJson(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/["\\\u0000-\u001f]/g, (c) => {
    const short = SHORT_ESCAPES[c];
    if (short !== undefined) return short;
    return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

const UNESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** The inside of a JSON string as text: escapes resolved, any other escaped character kept. */
export function unescapeJson(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\(u[0-9a-fA-F]{4}|[\s\S])/g, (_match, escaped: string) => {
    if (escaped.length === 5) return String.fromCharCode(Number.parseInt(escaped.slice(1), 16));
    return UNESCAPES[escaped] ?? escaped;
  });
}
