/** Finds a MySQL function's translation and checks its arity and dialect support. */
import { zeroDateCall } from './zero-date-calls.js';
import type { CallExpr, Expr, WindowCallExpr } from '../../parser/ast-expr.js';
import { sqlError } from '../../errors.js';
import { notSupported, type Context } from '../context.js';
import { asValue } from '../coerce.js';
import { translate, translateValue } from '../expr.js';
import { translateLiteral } from '../literals.js';
import { bigintType, doubleType, nullType } from '../type-rules.js';
import type { Typed } from '../types.js';
import { aggregateFunctions } from './aggregates.js';
import { periodFunctions } from './periods.js';
import { controlFunctions } from './control.js';
import { datePartFunctions } from './date-parts.js';
import { dateFunctions } from './dates.js';
import type { FunctionDefinition } from './handler.js';
import { jsonFunctions } from './json.js';
import { charsetFunctions } from './charsets.js';
import { extraFunctions } from './extras.js';
import { inetFunctions } from './inet.js';
import { compatFunctions } from './compat.js';
import { writeCheckFunctions } from './write-checks.js';
import { mathFunctions } from './math.js';
import { stringFunctions } from './strings.js';
import { setFunctions } from './sets.js';
import { timeArithmeticFunctions } from './time-arithmetic.js';
import { groupingFunctions } from './grouping.js';
import { uuidFunctions } from './uuids.js';
import { translateWindowSpec } from './window-spec.js';

const functions: ReadonlyMap<string, FunctionDefinition> = new Map(
  Object.entries({
    ...mathFunctions,
    ...stringFunctions,
    ...setFunctions,
    ...dateFunctions,
    ...timeArithmeticFunctions,
    ...datePartFunctions,
    ...periodFunctions,
    ...controlFunctions,
    ...jsonFunctions,
    ...extraFunctions,
    ...inetFunctions,
    ...charsetFunctions,
    ...compatFunctions,
    ...writeCheckFunctions,
    ...groupingFunctions,
    ...uuidFunctions,
    ...aggregateFunctions,
  }),
);

/** Functions whose first argument is a unit keyword rather than a value. */
const unitFirst = new Set(['TIMESTAMPDIFF', 'TIMESTAMPADD']);

export function findFunction(name: string): FunctionDefinition | undefined {
  return functions.get(name.toUpperCase());
}

function translateArgument(context: Context, name: string, expr: Expr, index: number): Typed {
  if (index === 0 && unitFirst.has(name)) {
    const unit =
      expr.kind === 'column' ? expr.column : expr.kind === 'literal' ? String(expr.value) : '';
    return translateLiteral(context, {
      kind: 'literal',
      type: 'string',
      value: unit.toUpperCase(),
    });
  }
  if (expr.kind === 'interval')
    return { ...translateValue(context, expr.value), intervalUnit: expr.unit.toUpperCase() };
  return translate(context, expr);
}

const bigintCounters: ReadonlySet<string> = new Set(['LAST_INSERT_ID', 'ROW_COUNT', 'FOUND_ROWS']);

export function translateCall(context: Context, call: CallExpr): Typed {
  const name = call.name.toUpperCase();
  const resolved = context.options.resolveSystemCall?.(name, call.args);
  if (resolved !== undefined) {
    context.options.onVolatile?.();
    const literal = translateLiteral(context, resolved);
    // MySQL types these counters BIGINT whatever their value (LAST_INSERT_ID(expr) included).
    // LAST_INSERT_ID is BIGINT UNSIGNED (LAST_INSERT_ID(-3) is 18446744073709551613).
    return bigintCounters.has(name) && literal.type.type !== 'null'
      ? {
          ...literal,
          type: {
            ...bigintType,
            nullable: false,
            ...(name === 'LAST_INSERT_ID' ? { unsigned: true } : {}),
          },
        }
      : literal;
  }
  const definition = findFunction(name);
  if (definition === undefined || call.database !== undefined) {
    // Named as MariaDB names the stored function it looked for: in the current database.
    const database = call.database ?? context.options.database;
    throw sqlError(
      'UNKNOWN_FUNCTION',
      `FUNCTION ${database === undefined ? '' : `${database}.`}${name} does not exist`,
    );
  }
  const count = call.star === true ? 0 : call.args.length;
  if (count < definition.min || count > definition.max) {
    throw sqlError(
      'WRONG_PARAMCOUNT_TO_FUNCTION',
      `Incorrect parameter count in the call to native function '${name}'`,
    );
  }
  if (definition.unsupported?.includes(context.dialect) === true)
    return notSupported(`${name}()`, context.dialect);
  // A window's OVER belongs to the aggregate's own calls, not to its arguments'.
  const { over: _over, ...outside } = context;
  // An aggregate (not a window) may stand neither in WHERE nor inside another aggregate: 1111.
  const grouping = context.over === undefined && aggregateFunctions[name] !== undefined;
  if (grouping && (context.clause === 'where' || context.clause === 'aggregate'))
    throw sqlError('INVALID_GROUP_FUNC_USE', 'Invalid use of group function');
  const inner = grouping ? { ...outside, clause: 'aggregate' as const } : outside;
  const args = call.args.map((a, i) => translateArgument(inner, name, a, i));
  return zeroDateCall(context, name, args, definition.run(context, args, call));
}

const rankingTypes: Readonly<Record<string, Typed['type']>> = {
  ROW_NUMBER: bigintType,
  RANK: bigintType,
  DENSE_RANK: bigintType,
  NTILE: bigintType,
  // MariaDB fixes their decimals at 10 (0.5000000000), 17 wide.
  PERCENT_RANK: { ...doubleType, length: 17, scale: 10 },
  CUME_DIST: { ...doubleType, length: 17, scale: 10 },
};

const valueWindows = new Set(['LAG', 'LEAD', 'FIRST_VALUE', 'LAST_VALUE', 'NTH_VALUE']);

export function translateWindowCall(context: Context, call: WindowCallExpr): Typed {
  const name = call.name.toUpperCase();
  const over = `OVER ${translateWindowSpec(context, call.over)}`;
  const ranking = rankingTypes[name];
  if (ranking !== undefined) {
    const args = call.args.map((a) => translateValue(context, a).sql).join(', ');
    return { sql: `${name.toLowerCase()}(${args}) ${over}`, type: ranking };
  }
  if (valueWindows.has(name)) {
    const args = call.args.map((a) => asValue(context, translate(context, a)));
    const first = args[0];
    return {
      sql: `${name.toLowerCase()}(${args.map((a) => a.sql).join(', ')}) ${over}`,
      type: first === undefined ? nullType : { ...first.type, nullable: true },
    };
  }
  const aggregate = aggregateFunctions[name];
  if (aggregate === undefined)
    throw sqlError('UNKNOWN_FUNCTION', `FUNCTION ${name} does not exist`);
  const plain: CallExpr = {
    kind: 'call',
    name,
    args: call.args,
    ...(call.distinct === undefined ? {} : { distinct: call.distinct }),
    ...(call.star === undefined ? {} : { star: call.star }),
  };
  // Each engine aggregate call the translation makes carries the window (`Context.over`).
  return translateCall({ ...context, over }, plain);
}

/** Whether an expression calls an aggregate outside a window (makes a SELECT an aggregation). */
export function isAggregateName(name: string): boolean {
  return aggregateFunctions[name.toUpperCase()] !== undefined;
}
