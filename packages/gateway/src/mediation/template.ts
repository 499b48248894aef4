import { parseJsonPath, scalarText, valueAt, type JsonPath } from './json-path.js';

/**
 * Text with `{{ source }}` placeholders, for enrichment calls. A source is a JSON path into the
 * message body (`$.order.customerId`), `query.name` (a query parameter of the client's request)
 * or `header.name` (a request header). Inside a body template a value is inserted as JSON;
 * inside a path or URL it is percent-encoded (RFC 3986 §2.1).
 */
type Source =
  | { readonly kind: 'body'; readonly path: JsonPath }
  | { readonly kind: 'query' | 'header'; readonly name: string };

export interface Template {
  readonly parts: readonly (string | Source)[];
}

export type TemplateParse = { ok: true; template: Template } | { ok: false; error: string };

const placeholder = /\{\{\s*([^{}]*?)\s*\}\}/g;

export function parseTemplate(text: string): TemplateParse {
  const parts: (string | Source)[] = [];
  let last = 0;
  for (const match of text.matchAll(placeholder)) {
    parts.push(text.slice(last, match.index));
    last = match.index + match[0].length;
    const source = match[1]!;
    if (source.startsWith('$')) {
      const parsed = parseJsonPath(source);
      if (!parsed.ok) return { ok: false, error: `in {{${source}}}: ${parsed.error}` };
      parts.push({ kind: 'body', path: parsed.path });
    } else if (/^(query|header)\.[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(source)) {
      const dot = source.indexOf('.');
      parts.push({
        kind: source.slice(0, dot) as 'query' | 'header',
        name: source.slice(dot + 1),
      });
    } else
      return {
        ok: false,
        error: `unknown placeholder {{${source}}}: use {{$.path}}, {{query.name}} or {{header.name}}`,
      };
  }
  parts.push(text.slice(last));
  return { ok: true, template: { parts: parts.filter((part) => part !== '') } };
}

export interface TemplateValues {
  readonly body: unknown;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export function renderTemplate(
  template: Template,
  values: TemplateValues,
  encoding: 'json' | 'uri',
): string {
  let text = '';
  for (const part of template.parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    let value: unknown;
    if (part.kind === 'body') value = valueAt(values.body, part.path);
    else if (part.kind === 'query') value = values.query.get(part.name) ?? undefined;
    else {
      const header = values.headers[part.name.toLowerCase()];
      value = Array.isArray(header) ? header[0] : header;
    }
    if (encoding === 'json') text += JSON.stringify(value ?? null);
    else
      text += encodeURIComponent(
        value === undefined || value === null ? '' : (scalarText(value) ?? JSON.stringify(value)),
      );
  }
  return text;
}
