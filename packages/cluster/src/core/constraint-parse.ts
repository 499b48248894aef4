import type { FieldError } from '@exosphere/common';
import { fullMatchPattern } from './constraint-eval.js';
import { constraintOperators, type Constraint, type ConstraintOperator } from './constraints.js';

/** Limits on one constraint, so a request cannot hand placement a huge field or pattern. */
export const constraintFieldLengthMax = 256;
export const constraintValueLengthMax = 1024;

/** On failure, `errors` are sentences about the constraint at the given path (one per problem). */
export type ConstraintParseResult =
  | { readonly ok: true; readonly constraint: Constraint }
  | { readonly ok: false; readonly errors: readonly string[] };

export type ConstraintsParseResult =
  | { readonly ok: true; readonly constraints: readonly Constraint[] }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

const operatorsNeedingValue: ReadonlySet<ConstraintOperator> = new Set([
  'LIKE',
  'UNLIKE',
  'MAX_PER',
  'IS',
]);

/**
 * Validates one constraint in Marathon's JSON form, `[field, OPERATOR]` or
 * `[field, OPERATOR, value]`, e.g. `["hostname","UNIQUE"]`, `["rack","GROUP_BY","3"]`,
 * `["hostname","LIKE","a.*"]`. `_path` is the JSON path of the constraint (e.g. "/constraints/0");
 * the caller reports the errors under it, so the sentences name the element ("operator", "value")
 * rather than repeat the path. The parameter stays for call sites that read the same way as
 * `parseConstraints`.
 *
 * Rules: the operator is one of Marathon's seven, spelled in capitals; LIKE, UNLIKE, MAX_PER and
 * IS need a value; UNIQUE takes none; MAX_PER and GROUP_BY values are whole numbers of at least 1
 * (a JSON number is accepted too and kept as its string form); LIKE and UNLIKE values must be valid
 * JavaScript regular expressions (they match the whole field value).
 */
export function parseConstraint(raw: unknown, _path: string): ConstraintParseResult {
  const items = constraintItems(raw);
  if (items === undefined) {
    return {
      ok: false,
      errors: [
        'a constraint is [field, OPERATOR] or [field, OPERATOR, value] (or "field:OPERATOR[:value]")',
      ],
    };
  }
  const errors: string[] = [];
  const [field, operator, rawValue] = items;

  if (typeof field !== 'string' || field.length === 0) {
    errors.push('field (element 0) must be a non-empty string');
  } else if (field.length > constraintFieldLengthMax) {
    errors.push(`field (element 0) is longer than ${constraintFieldLengthMax} characters`);
  }

  const known = constraintOperators as readonly string[];
  if (typeof operator !== 'string' || !known.includes(operator)) {
    const hint =
      typeof operator === 'string' && known.includes(operator.toUpperCase())
        ? ` (operators are upper case: ${operator.toUpperCase()})`
        : '';
    errors.push(
      `operator (element 1) ${JSON.stringify(operator) ?? 'undefined'} is unknown; known: ${known.join(', ')}${hint}`,
    );
  }

  let value: string | undefined;
  if (typeof rawValue === 'string') value = rawValue;
  else if (typeof rawValue === 'number' && Number.isFinite(rawValue)) value = String(rawValue);
  else if (items.length === 3) {
    errors.push('value (element 2) must be a string');
  }

  if (errors.length === 0) {
    const valueError = checkValue(operator as ConstraintOperator, value);
    if (valueError !== undefined) errors.push(`value (element 2): ${valueError}`);
  }
  if (errors.length > 0) return { ok: false, errors };

  const constraint: Constraint =
    value === undefined
      ? { field: field as string, operator: operator as ConstraintOperator }
      : { field: field as string, operator: operator as ConstraintOperator, value };
  return { ok: true, constraint: Object.freeze(constraint) };
}

/** Validates an array of constraints (`path` is the array's path); collects every error. */
export function parseConstraints(raw: unknown, path: string): ConstraintsParseResult {
  if (!Array.isArray(raw)) {
    return { ok: false, errors: [{ path, errors: ['constraints must be an array'] }] };
  }
  const constraints: Constraint[] = [];
  const errors: FieldError[] = [];
  (raw as readonly unknown[]).forEach((item, index) => {
    const result = parseConstraint(item, `${path}/${index}`);
    if (result.ok) constraints.push(result.constraint);
    else errors.push({ path: `${path}/${index}`, errors: result.errors });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, constraints };
}

/**
 * The [field, operator, value?] items of a constraint in any of the forms Marathon users write:
 * the v2 array, the "field:OPERATOR[:value]" string of the Marathon 1.x command line and pods
 * (the value keeps any further colons), and the pods' `{fieldName, operator, value}` object.
 */
function constraintItems(raw: unknown): readonly unknown[] | undefined {
  if (Array.isArray(raw)) return raw.length >= 2 && raw.length <= 3 ? raw : undefined;
  if (typeof raw === 'string') {
    const first = raw.indexOf(':');
    if (first <= 0) return undefined;
    const second = raw.indexOf(':', first + 1);
    return second < 0
      ? [raw.slice(0, first), raw.slice(first + 1)]
      : [raw.slice(0, first), raw.slice(first + 1, second), raw.slice(second + 1)];
  }
  if (typeof raw === 'object' && raw !== null) {
    const { fieldName, operator, value } = raw as Record<string, unknown>;
    if (fieldName === undefined || operator === undefined) return undefined;
    return value === undefined ? [fieldName, operator] : [fieldName, operator, value];
  }
  return undefined;
}

function checkValue(operator: ConstraintOperator, value: string | undefined): string | undefined {
  if (value === undefined) {
    return operatorsNeedingValue.has(operator) ? `${operator} needs a value` : undefined;
  }
  if (value.length > constraintValueLengthMax) {
    return `longer than ${constraintValueLengthMax} characters`;
  }
  switch (operator) {
    case 'UNIQUE':
      return 'UNIQUE takes no value';
    case 'GROUP_BY':
      // An empty GROUP_BY value means "no expected count", as if it were left out.
      if (value === '') return undefined;
      return checkCount(operator, value);
    case 'MAX_PER':
      return checkCount(operator, value);
    case 'LIKE':
    case 'UNLIKE':
      try {
        fullMatchPattern(value);
        return undefined;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return `${operator} needs a valid regular expression: ${reason}`;
      }
    case 'IS':
    case 'CLUSTER':
      return undefined;
  }
}

function checkCount(operator: ConstraintOperator, value: string): string | undefined {
  return /^[1-9][0-9]{0,8}$/.test(value)
    ? undefined
    : `${operator} needs a whole number of at least 1, got ${JSON.stringify(value)}`;
}
