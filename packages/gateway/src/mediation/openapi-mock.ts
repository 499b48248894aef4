/**
 * Mock answers from an OpenAPI 3 document: the operation is found by method and path template
 * (OpenAPI 3.1 §4.8.8), the status is the configured one or the first 2xx, the media type is
 * negotiated against Accept (RFC 9110 §12.5.1), and the example is the media type's `example`,
 * its first `examples` entry, or its schema's `example` (local `$ref`s are followed).
 */
type Json = Record<string, unknown>;

interface Operation {
  readonly method: string;
  readonly pattern: RegExp;
  readonly literalLength: number;
  readonly responses: Json;
}

export interface MockDocument {
  readonly document: Json;
  readonly operations: readonly Operation[];
  /** The path of the first server URL, stripped from request paths that start with it. */
  readonly basePath: string;
}

export interface MockAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Checks the parts of the document a mock needs; the error says what is missing. */
export function compileMockDocument(
  document: unknown,
  basePath: string | undefined,
): MockDocument | string {
  if (typeof document !== 'object' || document === null)
    return 'the OpenAPI document is not an object';
  const root = document as Json;
  if (typeof root['openapi'] !== 'string' || !root['openapi'].startsWith('3.'))
    return 'only OpenAPI 3.x documents are supported (the "openapi" field)';
  const paths = root['paths'];
  if (typeof paths !== 'object' || paths === null) return 'the OpenAPI document has no "paths"';
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(paths as Json)) {
    if (!template.startsWith('/') || typeof item !== 'object' || item === null) continue;
    for (const method of methods) {
      const operation = (item as Json)[method];
      if (typeof operation !== 'object' || operation === null) continue;
      const responses = (operation as Json)['responses'];
      if (typeof responses !== 'object' || responses === null) continue;
      const literal = template.replace(/\{[^}]*\}/g, '');
      operations.push({
        method: method.toUpperCase(),
        pattern: templatePattern(template),
        literalLength: literal.length,
        responses: responses as Json,
      });
    }
  }
  if (operations.length === 0) return 'the OpenAPI document has no operation with responses';
  // Literal segments first: /pets/mine before /pets/{id} (OpenAPI 3.1 §4.8.8.2).
  operations.sort((a, b) => b.literalLength - a.literalLength);
  return { document: root, operations, basePath: basePath ?? serverPath(root) };
}

function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]*\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`);
}

function serverPath(root: Json): string {
  const servers = root['servers'];
  const url = Array.isArray(servers) ? (servers[0] as Json | undefined)?.['url'] : undefined;
  if (typeof url !== 'string') return '';
  try {
    return new URL(url, 'http://base.invalid').pathname.replace(/\/$/, '');
  } catch {
    return '';
  }
}

export type MockResult = { ok: true; answer: MockAnswer } | { ok: false; reason: string };

export function mockAnswer(options: {
  mock: MockDocument;
  method: string;
  path: string;
  accept: string | undefined;
  status: number | undefined;
}): MockResult {
  const { mock } = options;
  const candidates = [options.path];
  if (mock.basePath && options.path.startsWith(`${mock.basePath}/`))
    candidates.push(options.path.slice(mock.basePath.length));
  const method = options.method === 'HEAD' ? 'GET' : options.method;
  const operation = mock.operations.find(
    (entry) => entry.method === method && candidates.some((path) => entry.pattern.test(path)),
  );
  if (!operation)
    return { ok: false, reason: `no operation for ${options.method} ${options.path}` };
  const status =
    options.status === undefined
      ? Object.keys(operation.responses)
          .filter((code) => /^2\d\d$/.test(code))
          .sort()[0]
      : String(options.status);
  const response =
    status === undefined ? undefined : resolve(mock.document, operation.responses[status]);
  if (status === undefined || typeof response !== 'object' || response === null)
    return {
      ok: false,
      reason: `no ${options.status ?? '2xx'} response for ${method} ${options.path}`,
    };
  const content = resolve(mock.document, (response as Json)['content']);
  if (typeof content !== 'object' || content === null)
    return { ok: true, answer: { status: Number(status), contentType: '', body: Buffer.alloc(0) } };
  const contentType = negotiate(Object.keys(content), options.accept);
  if (contentType === undefined)
    return { ok: false, reason: `no media type of ${method} ${options.path} matches Accept` };
  const example = exampleOf(mock.document, (content as Json)[contentType]);
  if (example === undefined)
    return {
      ok: false,
      reason: `no example for ${status} ${contentType} of ${method} ${options.path}`,
    };
  const body =
    typeof example === 'string' && !/json/i.test(contentType) ? example : JSON.stringify(example);
  return { ok: true, answer: { status: Number(status), contentType, body: Buffer.from(body) } };
}

function exampleOf(document: Json, media: unknown): unknown {
  const resolved = resolve(document, media);
  if (typeof resolved !== 'object' || resolved === null) return undefined;
  const entry = resolved as Json;
  if (entry['example'] !== undefined) return entry['example'];
  const examples = resolve(document, entry['examples']);
  if (typeof examples === 'object' && examples !== null) {
    const first = resolve(document, Object.values(examples as Json)[0]);
    if (typeof first === 'object' && first !== null && (first as Json)['value'] !== undefined)
      return (first as Json)['value'];
  }
  const schema = resolve(document, entry['schema']);
  if (typeof schema === 'object' && schema !== null) return (schema as Json)['example'];
  return undefined;
}

/** Follows local references (`#/components/...`, RFC 6901 pointers), at most 16 hops. */
function resolve(document: Json, value: unknown): unknown {
  let current = value;
  for (let hop = 0; hop < 16; hop++) {
    if (typeof current !== 'object' || current === null) return current;
    const reference = (current as Json)['$ref'];
    if (typeof reference !== 'string') return current;
    if (!reference.startsWith('#/')) return undefined;
    current = reference
      .slice(2)
      .split('/')
      .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>(
        (node, token) =>
          typeof node === 'object' && node !== null ? (node as Json)[token] : undefined,
        document,
      );
  }
  return undefined;
}

/** The offered media type the Accept header prefers (highest q, then the document's order). */
export function negotiate(
  offered: readonly string[],
  accept: string | undefined,
): string | undefined {
  if (offered.length === 0) return undefined;
  if (!accept) return offered[0];
  let best: { type: string; quality: number } | undefined;
  const ranges = accept.split(',').map((part) => {
    const [range, ...parameters] = part.trim().toLowerCase().split(';');
    const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { range: range ?? '', quality: q ? Number(q.slice(2)) : 1 };
  });
  for (const type of offered) {
    const lower = type.toLowerCase().split(';')[0]!.trim();
    for (const { range, quality } of ranges) {
      const matches =
        range === lower ||
        range === '*/*' ||
        (range.endsWith('/*') && lower.startsWith(range.slice(0, -1)));
      if (matches && quality > 0 && (!best || quality > best.quality)) best = { type, quality };
    }
  }
  return best?.type;
}
