import type { FieldError } from '@exosphere/common';
import { zodDetails } from '@exosphere/common';
import { findPolicyType, knownPolicyTypes } from '../policies/registry.js';
import { unknownTierMessage } from '../policies/throttling/bind.js';
import { gatewayConfigSchema, type GatewayConfig } from './schema.js';
import { templateParameters } from '../routing/path-pattern.js';

export type ValidationResult =
  | { readonly ok: true; readonly config: GatewayConfig }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** What validation needs to know from outside the document. */
export interface ValidationContext {
  /** A master is given by flags or environment, so `app` upstreams need no `master` section. */
  readonly defaultMaster?: boolean;
}

/**
 * Validates a whole configuration and reports every error with its JSON-pointer path (RFC 6901),
 * e.g. `/routes/3/match/paths/0`. Three passes: the shape (zod), each policy against its
 * registered type's schema, then references between objects (names unique, upstreams exist,
 * rewrite parameters defined by every path of the route, a master for `app` upstreams).
 */
export function validateConfig(input: unknown, context: ValidationContext = {}): ValidationResult {
  const parsed = gatewayConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const errors = zodDetails(parsed.error);
    // The shape is wrong, but policies can still be checked where the route parsed far enough.
    errors.push(...policyErrorsOfRaw(input));
    return { ok: false, errors };
  }
  const config = parsed.data;
  const errors: FieldError[] = [];
  const upstreamNames = new Set<string>();
  config.upstreams.forEach((upstream, index) => {
    if (upstreamNames.has(upstream.name))
      errors.push({
        path: `/upstreams/${index}/name`,
        errors: [`duplicate upstream name '${upstream.name}'`],
      });
    upstreamNames.add(upstream.name);
    if (upstream.app !== undefined && !config.master && !context.defaultMaster)
      errors.push({
        path: `/upstreams/${index}/app`,
        errors: [
          `upstream '${upstream.name}' follows app ${upstream.app} but no master is configured: add master: {url} to the configuration or start the gateway with --master-url (EXO_MASTER_URL)`,
        ],
      });
  });
  const routeNames = new Set<string>();
  config.routes.forEach((route, index) => {
    const at = `/routes/${index}`;
    if (routeNames.has(route.name))
      errors.push({ path: `${at}/name`, errors: [`duplicate route name '${route.name}'`] });
    routeNames.add(route.name);
    if (!upstreamNames.has(route.upstream))
      errors.push({ path: `${at}/upstream`, errors: [`no upstream named '${route.upstream}'`] });
    if (route.rewrite && 'path' in route.rewrite) {
      const wanted = templateParameters(route.rewrite.path);
      route.match.paths.forEach((path, pathIndex) => {
        const defined = new Set(templateParameters(path));
        const missing = wanted.filter((parameter) => !defined.has(parameter));
        if (missing.length)
          errors.push({
            path: `${at}/match/paths/${pathIndex}`,
            errors: [`the rewrite uses {${missing.join('}, {')}} which this path does not define`],
          });
      });
    }
    if (route.rewrite && 'stripPrefix' in route.rewrite) {
      route.match.paths.forEach((path, pathIndex) => {
        if (!path.endsWith('/*'))
          errors.push({
            path: `${at}/match/paths/${pathIndex}`,
            errors: ['stripPrefix needs prefix paths ending in "/*"'],
          });
      });
    }
    route.policies.forEach((policy, policyIndex) => {
      errors.push(...policyErrors(policy, `${at}/policies/${policyIndex}`));
      errors.push(...policyUpstreamErrors(policy, `${at}/policies/${policyIndex}`, upstreamNames));
      const tier = policy.type === 'rate-limit' ? policy['tier'] : undefined;
      const unknownTier =
        typeof tier === 'string' ? unknownTierMessage(tier, config.tiers) : undefined;
      if (unknownTier !== undefined)
        errors.push({ path: `${at}/policies/${policyIndex}/tier`, errors: [unknownTier] });
    });
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, config: deepFreeze(config) };
}

function policyErrors(policy: { type: string }, path: string): FieldError[] {
  const type = findPolicyType(policy.type);
  if (!type) {
    const known = knownPolicyTypes();
    return [
      {
        path: `${path}/type`,
        errors: [
          `unknown policy type '${policy.type}'; known types: ${known.length ? known.join(', ') : '(none registered)'}`,
        ],
      },
    ];
  }
  const { type: _type, ...rest } = policy;
  const result = type.schema.safeParse(rest);
  if (result.success) return [];
  return zodDetails(result.error).map((detail) => ({
    path: path + detail.path.replace(/^\/$/, ''),
    errors: detail.errors,
  }));
}

/** Upstreams a policy sends to (content-based routing, enrichment) must exist. */
function policyUpstreamErrors(
  policy: { type: string },
  path: string,
  upstreamNames: ReadonlySet<string>,
): FieldError[] {
  const type = findPolicyType(policy.type);
  if (!type?.upstreamReferences) return [];
  const { type: _type, ...rest } = policy;
  const result = type.schema.safeParse(rest);
  if (!result.success) return [];
  return type
    .upstreamReferences(result.data)
    .filter((reference) => !upstreamNames.has(reference.upstream))
    .map((reference) => ({
      path: `${path}/${reference.path.map((segment) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
      errors: [`no upstream named '${reference.upstream}'`],
    }));
}

function policyErrorsOfRaw(input: unknown): FieldError[] {
  const routes = (input as { routes?: unknown } | null)?.routes;
  if (!Array.isArray(routes)) return [];
  const errors: FieldError[] = [];
  routes.forEach((route: unknown, index) => {
    const policies = (route as { policies?: unknown } | null)?.policies;
    if (!Array.isArray(policies)) return;
    policies.forEach((policy: unknown, policyIndex) => {
      const type = (policy as { type?: unknown } | null)?.type;
      if (typeof type === 'string' && type.length > 0)
        errors.push(
          ...policyErrors(policy as { type: string }, `/routes/${index}/policies/${policyIndex}`),
        );
    });
  });
  return errors;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
