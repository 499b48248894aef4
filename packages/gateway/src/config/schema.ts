import { z } from 'zod';
import { analyticsSettingsSchema } from '../analytics/settings.js';
import { rateLimitSettingsSchema } from '../policies/throttling/settings.js';
import { tiersSchema } from '../policies/throttling/tiers.js';

/**
 * The declarative gateway configuration: one model with two faces, a YAML file and the admin
 * API (`GET/PUT /config`). Every object is strict, so a misspelt key is an error with its path
 * rather than a silently ignored setting. Defaults are applied here, once.
 */
const name = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
    'a name: letters, digits, ".", "_" or "-", at most 128',
  );

/** `api.example.com` or a leading wildcard `*.example.com` (one or more labels). */
const host = z
  .string()
  .regex(
    /^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/,
    'a host name, optionally with a leading "*." wildcard',
  );

/**
 * A path pattern: `/exact`, a prefix `/api/*`, or a template `/users/{id}` whose last segment
 * may take the rest of the path: `/files/{rest*}`.
 */
const pathPattern = z
  .string()
  .regex(
    /^\/([A-Za-z0-9._~!$&'()+,;=:@%-]+|\{[A-Za-z_][A-Za-z0-9_]*\*?\}|\*)?(\/([A-Za-z0-9._~!$&'()+,;=:@%-]+|\{[A-Za-z_][A-Za-z0-9_]*\*?\}|\*))*\/?$/,
    'a path starting with "/": literal segments, {parameter} segments, and "*" only at the end',
  )
  .refine((path) => !path.slice(0, -1).includes('*') || /\{[A-Za-z0-9_]+\*\}$|\/\*$/.test(path), {
    message: '"*" (or {name*}) may only be the last segment',
  });

const method = z.enum([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'CONNECT',
]);

/** Policies are validated in a second pass against the schema of the registered type. */
export const policyEntrySchema = z.looseObject({ type: z.string().min(1) });

const rewriteSchema = z.union([
  z.strictObject({ stripPrefix: z.literal(true) }),
  z.strictObject({ path: z.string().startsWith('/') }),
]);

export const routeSchema = z.strictObject({
  name,
  match: z.strictObject({
    hosts: z.array(host).max(256).optional(),
    paths: z.array(pathPattern).min(1).max(256).default(['/*']),
    methods: z.array(method).max(9).optional(),
    /** Header name → exact value (names are case-insensitive). */
    headers: z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/), z.string()).optional(),
  }),
  rewrite: rewriteSchema.optional(),
  upstream: name,
  /** Send the client's Host header upstream instead of the target's (RFC 9110 §7.2). */
  preserveHost: z.boolean().default(false),
  policies: z.array(policyEntrySchema).max(64).default([]),
});

const targetSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .refine((url) => !/[?#]/.test(url), 'a target URL has no query or fragment'),
  weight: z.int().min(0).max(1000).default(1),
});

const activeHealthSchema = z.strictObject({
  path: z.string().startsWith('/').default('/health'),
  intervalMs: z.int().min(100).max(3_600_000).default(5000),
  timeoutMs: z.int().min(10).max(60_000).default(1000),
  healthyThreshold: z.int().min(1).max(100).default(2),
  unhealthyThreshold: z.int().min(1).max(100).default(2),
});

const passiveHealthSchema = z.strictObject({
  failuresMax: z.int().min(1).max(1000).default(5),
  ejectMs: z.int().min(10).max(3_600_000).default(30_000),
});

/**
 * An absolute compute-plane app id, `/group/app`: segments as Marathon allows them (lowercase
 * letters, digits, "-" and "." inside).
 */
const appId = z
  .string()
  .max(512)
  .regex(
    /^(\/(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9]))+$/,
    'an absolute app id such as "/web" or "/shop/api": lowercase letters, digits, "-" and "."',
  );

export const upstreamSchema = z
  .strictObject({
    name,
    /** Static targets; or, exclusively, `app`. */
    targets: z.array(targetSchema).max(1024).default([]),
    /** A compute-plane app whose healthy tasks are the targets (resolved through the master). */
    app: appId.optional(),
    /** Which of the task's ports to send to (`ports[portIndex]`); 0 when absent. */
    portIndex: z.int().min(0).max(99).optional(),
    loadBalancing: z
      .enum(['round-robin', 'least-connections', 'consistent-hash'])
      .default('round-robin'),
    hashOn: z
      .string()
      .regex(/^(ip|path|header:[A-Za-z0-9!#$%&'*+.^_`|~-]+)$/, 'ip, path or header:<name>')
      .default('ip'),
    timeouts: z
      .strictObject({
        connectMs: z.int().min(1).max(600_000).default(5000),
        /** From sending the request until the response headers arrive. */
        requestMs: z.int().min(1).max(3_600_000).default(60_000),
      })
      .prefault({}),
    retries: z.strictObject({ count: z.int().min(0).max(10).default(1) }).prefault({}),
    /** Upper bound on open connections per target (the keep-alive agent's maxSockets). */
    socketsMax: z.int().min(1).max(65_536).default(1024),
    healthCheck: z
      .strictObject({
        active: activeHealthSchema.optional(),
        passive: passiveHealthSchema.optional(),
      })
      .optional(),
    circuitBreaker: z
      .strictObject({
        failureRatio: z.number().gt(0).max(1).default(0.5),
        minimumRequests: z.int().min(1).max(1_000_000).default(20),
        windowMs: z.int().min(100).max(3_600_000).default(10_000),
        openMs: z.int().min(10).max(3_600_000).default(10_000),
      })
      .optional(),
  })
  .superRefine((upstream, context) => {
    if (upstream.app !== undefined) {
      if (upstream.targets.length > 0)
        context.addIssue({
          code: 'custom',
          path: ['targets'],
          message:
            'targets and app are mutually exclusive: an app upstream gets its targets from the master',
        });
      return;
    }
    if (upstream.portIndex !== undefined)
      context.addIssue({ code: 'custom', path: ['portIndex'], message: 'portIndex needs app' });
    if (upstream.targets.length === 0)
      context.addIssue({
        code: 'custom',
        path: ['targets'],
        message: 'an upstream needs targets, or app to follow a compute-plane app',
      });
    else if (!upstream.targets.some((target) => target.weight > 0))
      context.addIssue({
        code: 'custom',
        path: ['targets'],
        message: 'at least one target needs a weight above 0',
      });
  });

/**
 * The compute-plane master that resolves `app` upstreams; its token (when the master asks for
 * one) is read from a file or an environment variable, never written in this file.
 */
export const masterSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .refine((url) => !/[?#]/.test(url), 'a master URL has no query or fragment'),
  token: z
    .union([
      z.strictObject({ file: z.string().min(1).max(4096) }),
      z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/) }),
    ])
    .optional(),
});

export const gatewayConfigSchema = z.strictObject({
  limits: z
    .strictObject({
      bodyBytesMax: z
        .int()
        .min(0)
        .max(1024 ** 4)
        .default(10 * 1024 * 1024),
    })
    .prefault({}),
  routes: z.array(routeSchema).max(100_000).default([]),
  upstreams: z.array(upstreamSchema).max(10_000).default([]),
  /** Without it, `app` upstreams use the master given by --master-url / EXO_MASTER_URL. */
  master: masterSchema.optional(),
  /** Throttling tiers for `rate-limit` policies, beside the built-in Bronze/Silver/Gold/Unlimited. */
  tiers: tiersSchema.default({}),
  /** Where rate-limit counters live and how the fleet shares them (policies/throttling/README.md). */
  rateLimit: rateLimitSettingsSchema.prefault({}),
  /** Call records: the queue, per-minute rollups and the optional SQL sink (analytics/README.md). */
  analytics: analyticsSettingsSchema.prefault({}),
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
export type RouteConfig = z.output<typeof routeSchema>;
export type UpstreamConfig = z.output<typeof upstreamSchema>;
export type PolicyEntry = z.output<typeof policyEntrySchema>;
export type MasterConfig = z.output<typeof masterSchema>;
