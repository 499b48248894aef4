/** Marathon constraint operators. `hostname` is the agent's hostname; any other field is an attribute. */
export const constraintOperators = [
  'UNIQUE',
  'CLUSTER',
  'GROUP_BY',
  'LIKE',
  'UNLIKE',
  'MAX_PER',
  'IS',
] as const;
export type ConstraintOperator = (typeof constraintOperators)[number];

export interface Constraint {
  readonly field: string;
  readonly operator: ConstraintOperator;
  readonly value?: string | undefined;
}
