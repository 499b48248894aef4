import { z } from 'zod';
import type { PolicyRequest, PolicyType, RequestPolicy } from '../policy.js';
import { singleHeader } from './header-value.js';
import { compileOrigins, isOriginPattern } from './origin-pattern.js';

const tokenPattern = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

export const corsSchema = z
  .strictObject({
    /** Exact origins, `https://*.example.com` wildcards, or `*` for any origin. */
    origins: z
      .array(
        z
          .string()
          .refine(
            isOriginPattern,
            'an origin like "https://app.example.com", a "https://*.example.com" wildcard, or "*"',
          ),
      )
      .min(1),
    methods: z
      .array(z.string().regex(tokenPattern, 'a method name'))
      .min(1)
      .default(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']),
    /** Request headers a page may send; `*` allows whatever the preflight asks for. */
    headers: z
      .array(z.string().regex(/^(\*|[A-Za-z0-9!#$%&'*+.^_`|~-]+)$/, 'a header name or "*"'))
      .default(['*']),
    /** Response headers a page may read beyond the CORS-safelisted ones. */
    exposeHeaders: z.array(z.string().regex(tokenPattern, 'a header name')).default([]),
    /** Whether pages may send cookies and HTTP authentication. */
    credentials: z.boolean().default(false),
    maxAgeSeconds: z.number().int().min(0).max(86_400).default(600),
  })
  .refine((config) => !(config.credentials && config.origins.includes('*')), {
    // Fetch §3.2.5: "*" cannot be combined with credentials; reflecting every origin instead
    // would hand any website the user's session.
    message: 'credentials: true needs explicit origins, not "*"',
    path: ['origins'],
  });

export type CorsConfig = z.output<typeof corsSchema>;

/**
 * Cross-origin resource sharing (Fetch standard §3.2). The gateway answers preflights itself and
 * decorates actual responses. A disallowed origin gets no Access-Control-* headers at all: the
 * browser then blocks the page from reading the response, which is the whole enforcement.
 * Access-Control-* headers from the upstream are dropped, so this policy alone decides.
 */
export function createCorsPolicy(config: CorsConfig): RequestPolicy {
  const origins = compileOrigins(config.origins);
  const methods = new Set(config.methods.map((method) => method.toUpperCase()));
  const anyHeader = config.headers.includes('*');
  const allowedHeaders = new Set(config.headers.map((header) => header.toLowerCase()));
  const varyOnOrigin = !origins.any || config.credentials;

  function allowedOrigin(request: PolicyRequest): string | undefined {
    const origin = singleHeader(request.headers, 'origin');
    if (origin === undefined || !origins.matches(origin)) return undefined;
    return origins.any && !config.credentials ? '*' : origin;
  }

  function originHeaders(allowOrigin: string): Record<string, string> {
    const headers: Record<string, string> = { 'access-control-allow-origin': allowOrigin };
    if (config.credentials) headers['access-control-allow-credentials'] = 'true';
    return headers;
  }

  return {
    name: 'cors',
    onRequest: () => undefined,

    respond(request) {
      const requestedMethod = singleHeader(request.headers, 'access-control-request-method');
      // A preflight is an OPTIONS request with Access-Control-Request-Method (Fetch §3.2.2);
      // any other OPTIONS request is an ordinary one for the upstream.
      if (request.method !== 'OPTIONS' || requestedMethod === undefined) return undefined;
      const vary = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';
      const allowOrigin = allowedOrigin(request);
      const requestedHeaders = (
        singleHeader(request.headers, 'access-control-request-headers') ?? ''
      )
        .split(',')
        .map((header) => header.trim().toLowerCase())
        .filter((header) => header !== '');
      const allowed =
        allowOrigin !== undefined &&
        methods.has(requestedMethod.toUpperCase()) &&
        (anyHeader || requestedHeaders.every((header) => allowedHeaders.has(header)));
      if (!allowed) return { status: 204, headers: { vary } };
      const headers: Record<string, string> = {
        ...originHeaders(allowOrigin),
        'access-control-allow-methods': [...methods].join(', '),
        'access-control-max-age': String(config.maxAgeSeconds),
        vary,
      };
      if (requestedHeaders.length > 0) {
        headers['access-control-allow-headers'] = anyHeader
          ? requestedHeaders.join(', ')
          : config.headers.join(', ');
      }
      return { status: 204, headers };
    },

    onResponseHeaders(request, headers) {
      for (const name of Object.keys(headers)) {
        if (name.toLowerCase().startsWith('access-control-')) delete headers[name];
      }
      if (varyOnOrigin) appendVary(headers, 'Origin');
      const allowOrigin = allowedOrigin(request);
      if (allowOrigin === undefined) return;
      Object.assign(headers, originHeaders(allowOrigin));
      if (config.exposeHeaders.length > 0) {
        headers['access-control-expose-headers'] = config.exposeHeaders.join(', ');
      }
    },
  };
}

/** Adds a field to Vary (RFC 9110 §12.5.5) so caches keep one response per origin. */
function appendVary(headers: Record<string, string | string[]>, field: string): void {
  const name = Object.keys(headers).find((key) => key.toLowerCase() === 'vary') ?? 'vary';
  const current = headers[name];
  const values = (Array.isArray(current) ? current.join(',') : (current ?? ''))
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (values.includes('*') || values.some((value) => value.toLowerCase() === field.toLowerCase())) {
    return;
  }
  headers[name] = [...values, field].join(', ');
}

export const corsPolicyType: PolicyType<typeof corsSchema> = {
  type: 'cors',
  schema: corsSchema,
  create: (config) => createCorsPolicy(config),
};
