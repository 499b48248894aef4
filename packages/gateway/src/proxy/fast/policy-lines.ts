import type { PolicyRequest, RequestPolicy } from '../../policies/policy.js';

/** The response fields of a route's policies when every one of them offers field lines. */
interface LinePlan {
  readonly policies: readonly RequestPolicy[];
}

/** By a route's policy list (a runtime's lists never change); null: the record path. */
const plans = new WeakMap<readonly RequestPolicy[], LinePlan | null>();

/** Response field lines of policies (RequestPolicy.responseFieldLines) and their names. */
export interface PolicyLines {
  readonly lines: string;
  /** Names of the fields in `lines`: an upstream's fields of these names are dropped. */
  readonly names: readonly string[];
}

const noLines: PolicyLines = { lines: '', names: [] };

/**
 * The response fields `policies` add to an answer, as field lines, or undefined when one of
 * them adds fields only through a record (`onResponseHeaders`), or two may set the same
 * field (a later one replaces an earlier one's value there): then the caller takes the
 * record path (forward.ts `policyHeaders`).
 */
export function policyFieldLines(
  policies: readonly RequestPolicy[],
  request: PolicyRequest,
): PolicyLines | undefined {
  let plan = plans.get(policies);
  if (plan === undefined) {
    plan = linePlan(policies);
    plans.set(policies, plan);
  }
  if (plan === null) return undefined;
  let result = noLines;
  for (const policy of plan.policies) {
    const lines = policy.responseFieldLines!(request);
    if (lines === '') continue;
    const names = policy.responseFieldNames!;
    result =
      result === noLines
        ? { lines, names }
        : { lines: result.lines + lines, names: [...result.names, ...names] };
  }
  return result;
}

function linePlan(policies: readonly RequestPolicy[]): LinePlan | null {
  const withLines: RequestPolicy[] = [];
  const names = new Set<string>();
  for (const policy of policies) {
    if (policy.onResponseHeaders === undefined) continue;
    const own = policy.responseFieldNames;
    if (policy.responseFieldLines === undefined || own === undefined) return null;
    for (const name of own) {
      if (names.has(name)) return null;
      names.add(name);
    }
    withLines.push(policy);
  }
  return { policies: withLines };
}
