import type { PolicyType } from './policy.js';
import { mediationPolicyTypes } from '../mediation/policy-types.js';
import { securityPolicyTypes } from './security/index.js';
import { throttlingPolicyTypes } from './throttling/index.js';

/**
 * Every policy type the configuration may name, keyed by `type`. Policy families add one import
 * line and one spread here (e.g. `...securityPolicyTypes`); nothing else changes.
 */
const registeredPolicyTypes: readonly PolicyType[] = [
  ...securityPolicyTypes,
  ...throttlingPolicyTypes,
  ...mediationPolicyTypes,
];

const byType = new Map<string, PolicyType>(
  registeredPolicyTypes.map((policy) => [policy.type, policy]),
);

export function findPolicyType(type: string): PolicyType | undefined {
  return byType.get(type);
}

export function knownPolicyTypes(): string[] {
  return [...byType.keys()].sort();
}

/** For tests and embedders: adds a type at run time (a duplicate type name is a bug). */
export function registerPolicyType(policy: PolicyType): void {
  if (byType.has(policy.type))
    throw new Error(`policy type '${policy.type}' is already registered`);
  byType.set(policy.type, policy);
}
