import type { Constraint } from './constraints.js';

/**
 * Constraint semantics (Marathon's, see its constraints documentation):
 *
 * - The field `hostname` (or `@hostname`) is the agent's hostname; `@region` and `@zone` are the
 *   attributes `region` and `zone`; any other field is an agent attribute.
 * - An agent that lacks the attribute fails every operator except UNLIKE, which it passes. This is
 *   what Marathon does (an offer without the attribute only meets UNLIKE), and it keeps the rule
 *   simple: an instance never lands on an agent whose value for the field is unknown, so UNIQUE,
 *   MAX_PER, CLUSTER and GROUP_BY never have to invent a bucket for "no value".
 * - LIKE and UNLIKE match the whole value (the pattern is anchored at both ends), as Java's
 *   `String.matches` does in Marathon. Patterns use JavaScript regular expression syntax.
 * - CLUSTER with an empty value behaves like CLUSTER without a value.
 */

/** The agent fields a constraint can read. */
export interface ConstraintSubject {
  readonly hostname: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** The value of `field` on the agent, or undefined when the agent lacks that attribute. */
export function fieldValue(agent: ConstraintSubject, field: string): string | undefined {
  // Marathon 1.6+ spells agent properties with "@": @hostname is the hostname; @region and
  // @zone (fault domains) read the agent attributes "region" and "zone".
  if (field === 'hostname' || field === '@hostname') return agent.hostname;
  const name = field === '@region' || field === '@zone' ? field.slice(1) : field;
  return Object.hasOwn(agent.attributes, name) ? agent.attributes[name] : undefined;
}

/** The key used in diagnoses and metrics: "field:OPERATOR[:value]". */
export function constraintKey(constraint: Constraint): string {
  const { field, operator, value } = constraint;
  return value === undefined || value === ''
    ? `${field}:${operator}`
    : `${field}:${operator}:${value}`;
}

/**
 * Builds the anchored regular expression for LIKE/UNLIKE; throws SyntaxError on a bad pattern.
 * The pattern is compiled alone first: wrapping an unbalanced pattern such as `a)|(.*` in `^(?:…)$`
 * would otherwise yield a valid expression that is no longer anchored.
 */
export function fullMatchPattern(pattern: string): RegExp {
  new RegExp(pattern);
  return new RegExp(`^(?:${pattern})$`);
}

/** The anchored expression, or undefined for an invalid pattern (validation should stop those). */
function tryFullMatchPattern(pattern: string): RegExp | undefined {
  try {
    return fullMatchPattern(pattern);
  } catch {
    return undefined;
  }
}

/**
 * How placement treats a constraint:
 * - `static`: decided by the agent's own value alone (LIKE, UNLIKE, IS, CLUSTER with a value);
 * - `perValueMax`: at most `limit` instances per distinct value (UNIQUE is 1, MAX_PER is n);
 * - `cluster`: every instance on the value of the first one (CLUSTER without a value);
 * - `groupBy`: spread evenly across values (GROUP_BY).
 */
export type ConstraintKind = 'static' | 'perValueMax' | 'cluster' | 'groupBy';

/** A constraint prepared once per placement request. */
export interface CompiledConstraint {
  readonly constraint: Constraint;
  readonly key: string;
  readonly kind: ConstraintKind;
  /** For `perValueMax`: instances allowed per value. */
  readonly limit: number;
  /** Whether an agent's own value admits it, ignoring counts (memoised per value). */
  readonly admitsValue: (value: string | undefined) => boolean;
}

export function compileConstraint(constraint: Constraint): CompiledConstraint {
  const key = constraintKey(constraint);
  const value = constraint.value ?? '';
  const presentOnly = (candidate: string | undefined): boolean => candidate !== undefined;
  switch (constraint.operator) {
    // An invalid pattern that slipped past validation admits no agent rather than throwing.
    case 'LIKE': {
      const pattern = tryFullMatchPattern(value);
      return staticConstraint(constraint, key, (candidate) => pattern?.test(candidate) ?? false);
    }
    case 'UNLIKE': {
      const pattern = tryFullMatchPattern(value);
      if (pattern === undefined) return staticConstraint(constraint, key, () => false);
      // UNLIKE is the one operator a missing attribute passes (see the file comment).
      const memo = memoise((candidate: string) => !pattern.test(candidate));
      return {
        constraint,
        key,
        kind: 'static',
        limit: 0,
        admitsValue: (candidate) => candidate === undefined || memo(candidate),
      };
    }
    case 'IS':
      return staticConstraint(constraint, key, (candidate) => candidate === value);
    case 'CLUSTER':
      if (value !== '') {
        return staticConstraint(constraint, key, (candidate) => candidate === value);
      }
      return { constraint, key, kind: 'cluster', limit: 0, admitsValue: presentOnly };
    case 'UNIQUE':
      return { constraint, key, kind: 'perValueMax', limit: 1, admitsValue: presentOnly };
    case 'MAX_PER': {
      // Validation rejects a non-numeric MAX_PER; should one slip through, it admits nothing
      // rather than everything.
      const limit = Number(value);
      return {
        constraint,
        key,
        kind: 'perValueMax',
        limit: Number.isFinite(limit) ? limit : 0,
        admitsValue: presentOnly,
      };
    }
    case 'GROUP_BY':
      return { constraint, key, kind: 'groupBy', limit: 0, admitsValue: presentOnly };
  }
}

function staticConstraint(
  constraint: Constraint,
  key: string,
  test: (value: string) => boolean,
): CompiledConstraint {
  const memo = memoise(test);
  return {
    constraint,
    key,
    kind: 'static',
    limit: 0,
    admitsValue: (candidate) => candidate !== undefined && memo(candidate),
  };
}

/**
 * Agents share few distinct attribute values (racks, zones), so caching the answer per value
 * turns 10,000 regular-expression tests into a handful.
 */
function memoise(test: (value: string) => boolean): (value: string) => boolean {
  const cache = new Map<string, boolean>();
  return (value) => {
    let answer = cache.get(value);
    if (answer === undefined) {
      answer = test(value);
      cache.set(value, answer);
    }
    return answer;
  };
}
