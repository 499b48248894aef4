import type { Constraint } from '../../core/constraints.js';

/** Marathon's array form of a constraint: [field, OPERATOR] or [field, OPERATOR, value]. */
export function constraintJson(constraint: Constraint): string[] {
  return constraint.value === undefined
    ? [constraint.field, constraint.operator]
    : [constraint.field, constraint.operator, constraint.value];
}
