import type { FieldError } from '@exosphere/common';
import { zodDetails } from '@exosphere/common';
import { upstreamSchema, type GatewayConfig, type UpstreamConfig } from '../config/schema.js';
import { findPolicyType, knownPolicyTypes } from '../policies/registry.js';
import { unknownTierMessage } from '../policies/throttling/bind.js';
import { upstreamNameOf, type ApiEndpoint } from './model.js';

/**
 * What API validation needs from the running declarative configuration: its tiers and its
 * upstreams. APIs are checked against the configuration at the time of the change; a later
 * configuration that drops an upstream makes the API answer 503 rather than fail the reload.
 */
export interface ApimEnvironment {
  readonly config: GatewayConfig;
}

export function tierErrors(
  environment: ApimEnvironment,
  tiers: readonly (string | undefined)[],
  path: (index: number) => string,
): FieldError[] {
  const errors: FieldError[] = [];
  tiers.forEach((tier, index) => {
    if (tier === undefined) return;
    const message = unknownTierMessage(tier, environment.config.tiers);
    if (message !== undefined) errors.push({ path: path(index), errors: [message] });
  });
  return errors;
}

/** An inline endpoint as an upstream definition (defaults applied), or its errors. */
export function inlineUpstream(
  name: string,
  endpoint: ApiEndpoint,
): { upstream: UpstreamConfig } | { errors: FieldError[] } {
  const { basePath: _basePath, ...rest } = endpoint as Record<string, unknown>;
  const parsed = upstreamSchema.safeParse({ ...rest, name });
  if (parsed.success) return { upstream: parsed.data };
  return {
    errors: zodDetails(parsed.error).map((detail) => ({
      path: `/endpoint${detail.path === '/' ? '' : detail.path}`,
      errors: detail.errors,
    })),
  };
}

export function endpointErrors(environment: ApimEnvironment, endpoint: ApiEndpoint): FieldError[] {
  const upstreamName = upstreamNameOf(endpoint);
  if (upstreamName !== undefined) {
    const exists = environment.config.upstreams.some((upstream) => upstream.name === upstreamName);
    return exists
      ? []
      : [
          {
            path: '/endpoint/upstream',
            errors: [`no upstream named '${upstreamName}' in the gateway configuration`],
          },
        ];
  }
  const result = inlineUpstream('endpoint', endpoint);
  return 'errors' in result ? result.errors : [];
}

/** Policies attached to an API, checked like a route's (type, schema, tier). */
export function policyErrors(
  environment: ApimEnvironment,
  policies: ReadonlyArray<{ type: string } & Record<string, unknown>>,
): FieldError[] {
  const errors: FieldError[] = [];
  policies.forEach((policy, index) => {
    const at = `/policies/${index}`;
    const type = findPolicyType(policy.type);
    if (type === undefined) {
      errors.push({
        path: `${at}/type`,
        errors: [
          `unknown policy type '${policy.type}'; known types: ${knownPolicyTypes().join(', ')}`,
        ],
      });
      return;
    }
    const { type: _type, ...rest } = policy;
    const parsed = type.schema.safeParse(rest);
    if (!parsed.success)
      for (const detail of zodDetails(parsed.error))
        errors.push({ path: at + (detail.path === '/' ? '' : detail.path), errors: detail.errors });
    const tier = policy.type === 'rate-limit' ? policy.tier : undefined;
    if (typeof tier === 'string')
      errors.push(...tierErrors(environment, [tier], () => `${at}/tier`));
  });
  return errors;
}
