/**
 * The warnings of JSON functions over constants (4035–4046, 4051: a document or path that
 * does not read), computed with the engines' own implementation (dialect/json/) the way the
 * expression walk (`warnings-expressions.ts`) evaluates its arguments. A JSON function's text
 * answer is only passed on to the JSON functions around it: in any other context its value is
 * unknown to the walk (MariaDB reads it as a number without warnings).
 */
import type { Expr } from '../parser/ast.js';
import { jsonFunctionOf } from '../dialect/functions/json.js';
import { runJsonFunction } from '../dialect/json/functions.js';
import type { JsonArg } from '../dialect/json/call.js';
import type { Warning } from './context.js';
import { UNKNOWN, integer, type Value } from './warnings-values.js';

const COMPARISONS: ReadonlySet<string> = new Set([
  '=',
  '<>',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '<=>',
  'AND',
  'OR',
  'XOR',
]);

/** Expressions MariaDB writes into JSON as true/false. */
function isBoolean(expr: Expr): boolean {
  if (expr.kind === 'literal') return expr.type === 'bool';
  if (expr.kind === 'binary') return COMPARISONS.has(expr.op.toUpperCase());
  if (expr.kind === 'unary') return expr.op.toUpperCase() === 'NOT';
  return expr.kind === 'isNull' || expr.kind === 'like' || expr.kind === 'in';
}

type Evaluate = (expr: Expr) => Value;

interface Computed {
  readonly result: string | number | null;
  readonly json: boolean;
}

function textOf(value: Exclude<Value, typeof UNKNOWN>): string | null {
  if (value === null) return null;
  return value.kind === 'string' ? (value.text ?? '') : String(value.number);
}

/** A JSON call's answer, or undefined when an argument is unknown. */
function compute(
  name: string,
  args: readonly Expr[],
  evaluate: Evaluate,
  warnings: Warning[],
): Computed | undefined {
  const json = jsonFunctionOf(name);
  if (json === undefined) return undefined;
  const values: JsonArg[] = [];
  for (const [index, expr] of args.entries()) {
    const value = argValue(expr, evaluate, warnings);
    if (value === UNKNOWN) return undefined;
    // JSON_QUOTE of a number is NULL: it quotes strings only.
    if (name === 'JSON_QUOTE' && value.numeric) return { result: null, json: false };
    if (json.kind(index) === 'text' || value.text === null) values.push(value.text);
    else if (isBoolean(expr)) values.push(Number(value.text) !== 0 ? 'jtrue' : 'jfalse');
    else values.push(`${value.json ? 'j' : value.numeric ? 'n' : 's'}${value.text}`);
  }
  const result = runJsonFunction(json.fn, values, (warning) => warnings.push(warning));
  return { result, json: json.json };
}

interface ArgValue {
  readonly text: string | null;
  readonly json: boolean;
  readonly numeric: boolean;
}

function argValue(expr: Expr, evaluate: Evaluate, warnings: Warning[]): ArgValue | typeof UNKNOWN {
  if (expr.kind === 'call' && jsonFunctionOf(expr.name.toUpperCase()) !== undefined) {
    const nested = compute(expr.name.toUpperCase(), expr.args, evaluate, warnings);
    if (nested === undefined) return UNKNOWN;
    const text = nested.result === null ? null : String(nested.result);
    return { text, json: nested.json, numeric: typeof nested.result === 'number' };
  }
  const value = evaluate(expr);
  if (value === UNKNOWN) return UNKNOWN;
  return { text: textOf(value), json: false, numeric: value !== null && value.kind !== 'string' };
}

/** Evaluates a JSON call for its warnings; its value when it is a number. */
export function jsonCallValue(
  name: string,
  args: readonly Expr[],
  evaluate: Evaluate,
  warnings: Warning[],
): Value | undefined {
  const upper = name.toUpperCase();
  if (jsonFunctionOf(upper) === undefined) return undefined;
  const computed = compute(upper, args, evaluate, warnings);
  if (computed === undefined) return UNKNOWN;
  const { result } = computed;
  if (result === null) return null;
  return typeof result === 'number' ? integer(result) : UNKNOWN;
}
