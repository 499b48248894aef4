/** The shape of one MySQL function's translation. */
import type { CallExpr } from '../../parser/ast-expr.js';
import type { Context } from '../context.js';
import type { Typed } from '../types.js';

export interface FunctionDefinition {
  readonly min: number;
  readonly max: number;
  /** Dialects the function cannot be written in. */
  readonly unsupported?: readonly ('duckdb' | 'sqlite')[];
  readonly run: (context: Context, args: readonly Typed[], call: CallExpr) => Typed;
}

export type FunctionTable = Readonly<Record<string, FunctionDefinition>>;

export function define(
  min: number,
  max: number,
  run: FunctionDefinition['run'],
  unsupported?: FunctionDefinition['unsupported'],
): FunctionDefinition {
  return unsupported === undefined ? { min, max, run } : { min, max, run, unsupported };
}

/** The n-th argument; the arity was checked before the call. */
export function arg(args: readonly Typed[], index: number): Typed {
  const value = args[index];
  if (value === undefined) throw new Error(`missing argument ${index}`);
  return value;
}

/** An argument's integer constant, when it is one. */
export function constantInt(value: Typed | undefined): number | undefined {
  const literal = value?.constant;
  if (literal === undefined) return undefined;
  if (literal.type === 'int' || literal.type === 'decimal' || literal.type === 'double')
    return Math.trunc(Number(literal.value));
  return undefined;
}

export function constantString(value: Typed | undefined): string | undefined {
  const literal = value?.constant;
  return literal?.type === 'string' ? String(literal.value) : undefined;
}
