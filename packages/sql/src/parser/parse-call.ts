/**
 * Function calls, including the special argument syntaxes of the MySQL manual's "Functions and
 * Operators" chapter (CAST, CONVERT, EXTRACT, TRIM, SUBSTRING … FROM … FOR, POSITION … IN,
 * GROUP_CONCAT, COUNT(*), aggregates with DISTINCT) and window functions with OVER.
 */
import type { CallExpr, Expr, OrderItem, WindowFrame, FrameBound, WindowSpec } from './ast.js';
import type { Cursor } from './cursor.js';
import { TokenType } from './lexer.js';
import { parseDataType } from './parse-data-type.js';
import { parseBitOr, parseExpr, parseExprList } from './parse-expr.js';
import { parseIntervalUnit } from './parse-primary.js';

/** At a function name followed by `(`; `database` is set for `db.f(…)`. */
export function parseCall(c: Cursor, database?: string): Expr {
  const nameToken = c.advance();
  const name = nameToken.type === TokenType.Word ? nameToken.upper : nameToken.text.toUpperCase();
  const pos = nameToken.pos;
  c.expectOp('(');
  c.enter();
  const expr = database === undefined ? parseSpecial(c, name, pos) : undefined;
  const call: Expr = expr ?? parseArguments(c, name, pos, database);
  c.expectOp(')');
  c.leave();
  if (call.kind === 'call' && c.isWord('OVER')) {
    c.advance();
    const over = parseOver(c);
    const window = { kind: 'windowCall', name: call.name, args: call.args, over, pos } as const;
    if (call.distinct === true) return { ...window, distinct: true };
    if (call.star === true) return { ...window, star: true };
    return window;
  }
  return call;
}

function parseArguments(c: Cursor, name: string, pos: number, database?: string): CallExpr {
  const base =
    database === undefined
      ? ({ kind: 'call', name, pos } as const)
      : ({ kind: 'call', name, database, pos } as const);
  if (c.isOp(')')) return { ...base, args: [] };
  if (name === 'COUNT' && c.isOp('*')) {
    c.advance();
    return { ...base, args: [], star: true };
  }
  const distinct = c.acceptWord('DISTINCT') || c.acceptWord('DISTINCTROW');
  if (!distinct) c.acceptWord('ALL');
  if ((name === 'TIMESTAMPADD' || name === 'TIMESTAMPDIFF') && !distinct) {
    const unitPos = c.token.pos;
    const unit = parseIntervalUnit(c);
    const args: Expr[] = [{ kind: 'literal', type: 'string', value: unit, pos: unitPos }];
    while (c.acceptOp(',')) args.push(parseExpr(c));
    return { ...base, args };
  }
  const args = parseExprList(c);
  let call: CallExpr = distinct ? { ...base, args, distinct } : { ...base, args };
  if (name === 'GROUP_CONCAT' || name === 'JSON_ARRAYAGG') {
    if (c.acceptWords('ORDER', 'BY')) call = { ...call, orderBy: parseOrderList(c) };
    if (name === 'GROUP_CONCAT' && c.acceptWord('SEPARATOR'))
      call = { ...call, separator: c.string() };
  }
  return call;
}

/** Calls whose arguments are not a plain expression list; undefined for ordinary calls. */
function parseSpecial(c: Cursor, name: string, pos: number): Expr | undefined {
  switch (name) {
    case 'CAST': {
      const expr = parseExpr(c);
      c.expectWord('AS');
      return { kind: 'cast', expr, type: parseDataType(c, true), pos };
    }
    case 'CONVERT': {
      const expr = parseExpr(c);
      if (c.acceptWord('USING'))
        return { kind: 'convertUsing', expr, charset: c.identifierOrString(), pos };
      c.expectOp(',');
      return { kind: 'cast', expr, type: parseDataType(c, true), pos };
    }
    case 'CHAR': {
      const args = parseExprList(c);
      const call = { kind: 'call', name, args, pos } as const;
      if (!c.acceptWord('USING')) return call;
      return { kind: 'convertUsing', expr: call, charset: c.identifierOrString(), pos };
    }
    case 'GET_FORMAT':
      return parseGetFormat(c, pos);
    case 'EXTRACT': {
      const unit = parseIntervalUnit(c);
      c.expectWord('FROM');
      return { kind: 'extract', unit, expr: parseExpr(c), pos };
    }
    case 'TRIM':
      return parseTrim(c, pos);
    case 'SUBSTRING':
    case 'SUBSTR': {
      const expr = parseExpr(c);
      if (c.acceptOp(',')) return { kind: 'call', name, args: [expr, ...parseExprList(c)], pos };
      c.expectWord('FROM');
      const args = [expr, parseExpr(c)];
      if (c.acceptWord('FOR')) args.push(parseExpr(c));
      return { kind: 'call', name, args, pos };
    }
    case 'POSITION': {
      const needle = parseBitOr(c);
      c.expectWord('IN');
      return { kind: 'call', name, args: [needle, parseExpr(c)], pos };
    }
    default:
      return undefined;
  }
}

function parseTrim(c: Cursor, pos: number): Expr {
  const sideWord = c.acceptOneOf(['BOTH', 'LEADING', 'TRAILING']);
  const side = sideWord?.toLowerCase() as 'both' | 'leading' | 'trailing' | undefined;
  if (side !== undefined && c.acceptWord('FROM')) {
    return { kind: 'trim', side, expr: parseExpr(c), pos };
  }
  const first = parseExpr(c);
  if (c.acceptWord('FROM')) {
    const expr = parseExpr(c);
    return side === undefined
      ? { kind: 'trim', remove: first, expr, pos }
      : { kind: 'trim', side, remove: first, expr, pos };
  }
  if (side !== undefined) throw c.error();
  return { kind: 'trim', expr: first, pos };
}

/** ORDER BY items: `expr [ASC|DESC]`, comma separated. */
export function parseOrderList(c: Cursor): OrderItem[] {
  const items: OrderItem[] = [];
  do {
    const expr = parseExpr(c);
    const desc = c.acceptWord('DESC');
    if (!desc) c.acceptWord('ASC');
    if (c.acceptWords('NULLS', 'FIRST')) items.push({ expr, desc, nulls: 'first' });
    else if (c.acceptWords('NULLS', 'LAST')) items.push({ expr, desc, nulls: 'last' });
    else items.push({ expr, desc });
  } while (c.acceptOp(','));
  return items;
}

/** `OVER name` or `OVER ( [name] [PARTITION BY …] [ORDER BY …] [frame] )`. */
function parseOver(c: Cursor): WindowSpec {
  if (!c.isOp('(')) return { name: c.identifier(), partitionBy: [], orderBy: [] };
  c.advance();
  const spec = parseWindowSpecBody(c);
  c.expectOp(')');
  return spec;
}

/** The inside of a window specification's parentheses. */
export function parseWindowSpecBody(c: Cursor): WindowSpec {
  const name =
    c.isIdentifier() && !c.isWord('ROWS') && !c.isWord('RANGE') ? c.identifier() : undefined;
  const partitionBy = c.acceptWords('PARTITION', 'BY') ? parseExprList(c) : [];
  const orderBy = c.acceptWords('ORDER', 'BY') ? parseOrderList(c) : [];
  const unit = c.acceptOneOf(['ROWS', 'RANGE']);
  let spec: WindowSpec =
    name === undefined ? { partitionBy, orderBy } : { name, partitionBy, orderBy };
  if (unit !== undefined) {
    const frameUnit = unit === 'ROWS' ? 'rows' : 'range';
    let frame: WindowFrame;
    if (c.acceptWord('BETWEEN')) {
      const start = parseFrameBound(c);
      c.expectWord('AND');
      frame = { unit: frameUnit, start, end: parseFrameBound(c) };
    } else {
      frame = { unit: frameUnit, start: parseFrameBound(c) };
    }
    spec = { ...spec, frame };
  }
  return spec;
}

function parseFrameBound(c: Cursor): FrameBound {
  if (c.acceptWords('CURRENT', 'ROW')) return { kind: 'currentRow' };
  if (c.acceptWords('UNBOUNDED', 'PRECEDING')) return { kind: 'unboundedPreceding' };
  if (c.acceptWords('UNBOUNDED', 'FOLLOWING')) return { kind: 'unboundedFollowing' };
  const value = parseBitOr(c);
  if (c.acceptWord('PRECEDING')) return { kind: 'preceding', value };
  c.expectWord('FOLLOWING');
  return { kind: 'following', value };
}

/** GET_FORMAT's formats by type (DATE, TIME, DATETIME; TIMESTAMP is DATETIME) and standard. */
const GET_FORMATS: Record<string, Record<string, string>> = {
  DATE: { EUR: '%d.%m.%Y', USA: '%m.%d.%Y', JIS: '%Y-%m-%d', ISO: '%Y-%m-%d', INTERNAL: '%Y%m%d' },
  TIME: {
    EUR: '%H.%i.%s',
    USA: '%h:%i:%s %p',
    JIS: '%H:%i:%s',
    ISO: '%H:%i:%s',
    INTERNAL: '%H%i%s',
  },
  DATETIME: {
    EUR: '%Y-%m-%d %H.%i.%s',
    USA: '%Y-%m-%d %H.%i.%s',
    JIS: '%Y-%m-%d %H:%i:%s',
    ISO: '%Y-%m-%d %H:%i:%s',
    INTERNAL: '%Y%m%d%H%i%s',
  },
};

/**
 * `GET_FORMAT(DATE|TIME|DATETIME|TIMESTAMP, 'EUR'|'USA'|'JIS'|'ISO'|'INTERNAL')`: a CASE over
 * the standard's name (any case; NULL for another), so both engines answer it; a string literal
 * standard is its format.
 */
function parseGetFormat(c: Cursor, pos: number): Expr {
  const type = c.acceptOneOf(['DATE', 'TIME', 'DATETIME', 'TIMESTAMP']);
  if (type === undefined) throw c.error();
  c.expectOp(',');
  const standard = parseExpr(c);
  const formats = GET_FORMATS[type === 'TIMESTAMP' ? 'DATETIME' : type] ?? {};
  const text = (value: string): Expr => ({ kind: 'literal', type: 'string', value, pos });
  // A written standard is the format itself, so DATE_FORMAT(d, GET_FORMAT(…)) has a constant one.
  if (standard.kind === 'literal' && standard.type === 'string') {
    const format = formats[String(standard.value).toUpperCase()];
    return format === undefined
      ? { kind: 'literal', type: 'null', value: null, folded: true, pos }
      : { kind: 'literal', type: 'string', value: format, folded: true, pos };
  }
  return {
    kind: 'case',
    operand: { kind: 'call', name: 'UPPER', args: [standard], pos },
    whens: Object.entries(formats).map(([name, format]) => ({
      when: text(name),
      then: text(format),
    })),
    pos,
  };
}
