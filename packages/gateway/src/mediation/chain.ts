import type { FieldError } from '@exosphere/common';
import { zodDetails } from '@exosphere/common';
import type { MediationPhases, PolicyFactoryContext, RequestPolicy } from '../policies/policy.js';
import { findPolicyType, knownPolicyTypes } from '../policies/registry.js';

/** A chain's mediation steps per phase, in configuration order. */
export interface MediationChain {
  readonly request: readonly MediationPhases[];
  readonly response: readonly MediationPhases[];
  readonly fault: readonly MediationPhases[];
  /** Some request-phase policy needs the request body: it is buffered (within the limit). */
  readonly requestBody: boolean;
  /** Some response- or fault-phase policy needs the response body. */
  readonly responseBody: boolean;
}

/**
 * The mediation part of a policy chain, or undefined when no policy mediates: such a route
 * keeps the plain streaming proxy path.
 */
export function compileMediationChain(
  policies: readonly RequestPolicy[],
): MediationChain | undefined {
  const phases = policies.flatMap((policy) => (policy.mediation ? [policy.mediation] : []));
  if (phases.length === 0) return undefined;
  return Object.freeze({
    request: phases.filter((phase) => phase.onRequest !== undefined),
    response: phases.filter((phase) => phase.onResponse !== undefined),
    fault: phases.filter((phase) => phase.onFault !== undefined),
    requestBody: phases.some((phase) => phase.requestBody && phase.onRequest !== undefined),
    responseBody: phases.some(
      (phase) => phase.responseBody && (phase.onResponse ?? phase.onFault) !== undefined,
    ),
  });
}

export type PolicyChainResult =
  | {
      readonly ok: true;
      readonly policies: readonly RequestPolicy[];
      readonly mediation: MediationChain | undefined;
    }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * Builds an ordered policy chain from policy configurations (`{type, ...}`), for a route, an
 * API or one operation of an API. Every entry is validated whole against its type's schema
 * and every error is reported with its path under `basePath` (e.g. `/apis/0/policies/2/expression`);
 * nothing is built unless all are valid. Upstream names the policies refer to are checked
 * against `upstreamNames` when it is given.
 */
export function buildPolicyChain(options: {
  readonly entries: readonly { readonly type: string; readonly [key: string]: unknown }[];
  readonly context: PolicyFactoryContext;
  readonly basePath?: string;
  readonly upstreamNames?: ReadonlySet<string>;
}): PolicyChainResult {
  const basePath = options.basePath ?? '';
  const errors: FieldError[] = [];
  const parsed: { create: () => RequestPolicy }[] = [];
  options.entries.forEach((entry, index) => {
    const at = `${basePath}/${index}`;
    const type = findPolicyType(entry.type);
    if (!type) {
      errors.push({
        path: `${at}/type`,
        errors: [
          `unknown policy type '${entry.type}'; known types: ${knownPolicyTypes().join(', ')}`,
        ],
      });
      return;
    }
    const { type: _type, ...rest } = entry;
    const result = type.schema.safeParse(rest);
    if (!result.success) {
      for (const detail of zodDetails(result.error))
        errors.push({ path: at + detail.path.replace(/^\/$/, ''), errors: detail.errors });
      return;
    }
    const config: unknown = result.data;
    if (options.upstreamNames)
      for (const reference of type.upstreamReferences?.(config) ?? [])
        if (!options.upstreamNames.has(reference.upstream))
          errors.push({
            path: `${at}/${reference.path.map((segment) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
            errors: [`no upstream named '${reference.upstream}'`],
          });
    parsed.push({ create: () => type.create(config, options.context) });
  });
  if (errors.length > 0) return { ok: false, errors };
  const policies = parsed.map((entry) => entry.create());
  return { ok: true, policies, mediation: compileMediationChain(policies) };
}
