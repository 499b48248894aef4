/** String functions (MySQL 8.0 reference, "String Functions and Operators"). */
import type { TrimExpr } from '../../parser/ast-expr.js';
import { asValue, noCase, toNumber, toText } from '../coerce.js';
import { coerceTo } from '../case.js';
import { compareMode, prepareOperand } from '../compare.js';
import type { Context } from '../context.js';
import { translate } from '../expr.js';
import {
  bigintType,
  doubleType,
  formattedTextType,
  intType,
  isDecimal,
  isExact,
  isFloat,
  isNullLiteral,
  isNumeric,
  isString,
  isTemporal,
  varcharType,
  textType,
} from '../type-rules.js';
import type { MyType, Typed } from '../types.js';
import { arg, constantInt, constantString, define, type FunctionTable } from './handler.js';
import { findInSetType, setMemberPosition } from './find-in-set.js';

function text(context: Context, value: Typed): Typed {
  return toText(context, value);
}

function integer(context: Context, value: Typed): string {
  const v = toNumber(context, asValue(context, value));
  return context.dialect === 'duckdb' ? `CAST(${v.sql} AS BIGINT)` : `CAST(${v.sql} AS INTEGER)`;
}

function lengthOf(value: Typed): number {
  return value.type.length ?? 255;
}

function varchar(length: number): Typed['type'] {
  return length > 65_535 ? textType : varcharType(length);
}

function isBlob(value: Typed): boolean {
  return value.type.type === 'blob';
}

function concatBytes(context: Context, args: readonly Typed[]): Typed {
  const length = args.reduce((sum, a) => sum + lengthOf(a), 0);
  const type: Typed['type'] = { type: 'blob', length };
  const parts = args.map((a) => coerceTo(context, a, type).sql).join(' || ');
  // SQLite's || joins the bytes as text; the cast makes them a BLOB again.
  const sql = context.dialect === 'duckdb' ? `(${parts})` : `CAST((${parts}) AS BLOB)`;
  return { sql, type, binary: true };
}

/** LENGTH: bytes of the UTF-8 text, or of a binary string as it is. */
function byteLength(context: Context, value: Typed): string {
  const v = asValue(context, value);
  if (isBlob(v)) return `octet_length(${v.sql})`;
  const s = text(context, v).sql;
  return context.dialect === 'duckdb' ? `octet_length(encode(${s}))` : `octet_length(${s})`;
}

/** Characters are counted with char_length-style functions in both engines. */
function charLength(context: Context, sql: string): string {
  return context.dialect === 'duckdb' ? `length(${sql})` : `length(${sql})`;
}

/** The smaller of two numbers (SQLite's two-argument min is its least). */
function smaller(context: Context, a: string, b: string): string {
  return context.dialect === 'duckdb' ? `least(${a}, ${b})` : `min(${a}, ${b})`;
}

/** SUBSTRING with MySQL's positions: 1-based, negative from the end, 0 or out of range gives ''. */
function substring(context: Context, s: string, position: string, length?: string): string {
  const n = charLength(context, s);
  // Engines refuse offsets and lengths beyond 32 bits: a longer length takes the rest anyway.
  const take = length === undefined ? '' : `, ${smaller(context, length, n)}`;
  const guard = length === undefined ? '' : ` WHEN ${length} <= 0 THEN ''`;
  return `(CASE WHEN ${s} IS NULL OR ${position} IS NULL${length === undefined ? '' : ` OR ${length} IS NULL`} THEN NULL${guard} WHEN ${position} = 0 OR -(${position}) > ${n} OR ${position} > ${n} THEN '' WHEN ${position} > 0 THEN substr(${s}, ${position}${take}) ELSE substr(${s}, ${n} + ${position} + 1${take}) END)`;
}

function locate(context: Context, needle: string, haystack: string, position?: string): string {
  const find = (s: string): string => `instr(lower(${s}), lower(${needle}))`;
  if (position === undefined) return find(haystack);
  const rest = `substr(${haystack}, ${position})`;
  return `(CASE WHEN ${needle} IS NULL OR ${haystack} IS NULL OR ${position} IS NULL THEN NULL WHEN ${position} < 1 OR ${position} > ${charLength(context, haystack)} + 1 THEN 0 WHEN ${find(rest)} = 0 THEN 0 ELSE ${find(rest)} + ${position} - 1 END)`;
}

/**
 * UPPER/LOWER as MariaDB maps case (`string-shared.ts`): SQLite's own know only ASCII, and
 * DuckDB's are kept for text without the one letter they map otherwise ('ß' up, 'ẞ' down).
 * Binary strings (VARBINARY, BLOB, BINARY x) stay as they are.
 */
function changeCaseCall(upper: boolean): FunctionTable[string] {
  return define(1, 1, (context, args) => {
    const input = arg(args, 0);
    // Binary strings have no letter case: MariaDB gives them back unchanged.
    if (input.type.type === 'blob') return input;
    const s = text(context, input);
    const shared = `${upper ? 'exo_upper' : 'exo_lower'}(${s.sql})`;
    if (context.dialect === 'sqlite' || s.binary === true) {
      const own = `${upper ? 'upper' : 'lower'}(${s.sql})`;
      return { sql: s.binary === true ? own : shared, type: s.type };
    }
    const sql = `(CASE WHEN contains(${s.sql}, '${upper ? 'ß' : 'ẞ'}') THEN ${shared} ELSE ${upper ? 'upper' : 'lower'}(${s.sql}) END)`;
    return { sql, type: s.type };
  });
}

function escapeRegex(value: string): string {
  return value.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

export function translateTrim(context: Context, expr: TrimExpr): Typed {
  const value = text(context, translate(context, expr.expr));
  const side = expr.side ?? 'both';
  if (expr.remove === undefined) {
    const fn = side === 'leading' ? 'ltrim' : side === 'trailing' ? 'rtrim' : 'trim';
    return { sql: `${fn}(${value.sql}, ' ')`, type: value.type };
  }
  const remove = text(context, translate(context, expr.remove));
  if (context.dialect === 'sqlite')
    return { sql: `exo_trim(${value.sql}, ${remove.sql}, '${side}')`, type: value.type };
  const constant = constantString(remove);
  if (constant === undefined)
    return { sql: `exo_trim(${value.sql}, ${remove.sql}, '${side}')`, type: value.type };
  if (constant === '') return value;
  // MySQL removes whole repetitions of the string, not a set of characters.
  const unit = `(${escapeRegex(constant)})+`;
  const pattern =
    side === 'leading' ? `^${unit}` : side === 'trailing' ? `${unit}$` : `^${unit}|${unit}$`;
  return {
    sql: `regexp_replace(${value.sql}, '${pattern.replaceAll("'", "''")}', '', 'g')`,
    type: value.type,
  };
}

/** MariaDB's default max_allowed_packet: longer LPAD/RPAD results are NULL. */
const packetBytesMax = 16_777_216;

function pad(left: boolean): FunctionTable[string] {
  return define(3, 3, (context, args) => {
    const s = text(context, arg(args, 0)).sql;
    const n = integer(context, arg(args, 1));
    const filler = text(context, arg(args, 2)).sql;
    const length = constantInt(arg(args, 1)) ?? 255;
    const fn = left ? 'lpad' : 'rpad';
    if (context.dialect === 'sqlite')
      return { sql: `exo_${fn}(${s}, ${n}, ${filler})`, type: varchar(length) };
    // DuckDB's lpad/rpad take an INTEGER length.
    // A result longer than max_allowed_packet (16 MiB) is NULL in MariaDB.
    const sql = `(CASE WHEN ${n} < 0 OR ${n} > ${packetBytesMax} THEN NULL WHEN ${filler} = '' AND length(${s}) < ${n} THEN NULL ELSE ${fn}(${s}, CAST(${n} AS INTEGER), ${filler}) END)`;
    return { sql, type: varchar(length) };
  });
}

function hash(name: string, duck: string | undefined, length: number): FunctionTable[string] {
  return define(
    1,
    1,
    (context, args) => {
      // A binary string is hashed as its bytes.
      const value = asValue(context, arg(args, 0));
      const s = isBlob(value) ? value.sql : text(context, value).sql;
      return {
        sql:
          context.dialect === 'duckdb' && duck !== undefined
            ? `${duck}(${s})`
            : `exo_${name}(${s})`,
        type: varcharType(length),
      };
    },
    duck === undefined ? ['duckdb'] : undefined,
  );
}

/** MariaDB types string lengths and positions INT (MySQL 8: BIGINT); MariaDB's is kept. */
const lengthType: MyType = { type: 'int', length: 10 };
const positionType: MyType = { type: 'int', length: 11 };

export const stringFunctions: FunctionTable = {
  CONCAT: define(1, 1000, (context, args) => {
    // With a binary string among them, the bytes of each (text as UTF-8): a binary string.
    if (args.some((a) => isBlob(asValue(context, a)))) return concatBytes(context, args);
    const parts = args.map((a) => text(context, a));
    if (parts.some(isNullLiteral)) return { sql: 'NULL', type: varcharType(0) };
    return {
      sql: `(${parts.map((p) => p.sql).join(' || ')})`,
      type: varchar(parts.reduce((sum, p) => sum + lengthOf(p), 0)),
    };
  }),
  // QUOTE(s): a string literal that reads back as s (backslash and quote escaped); NULL gives the word NULL.
  QUOTE: define(1, 1, (context, args) => {
    const value = text(context, arg(args, 0));
    const escaped = `replace(replace(${value.sql}, '\\', '\\\\'), '''', '\\''')`;
    return {
      sql: `coalesce('''' || ${escaped} || '''', 'NULL')`,
      type: varchar(2 * lengthOf(value) + 2),
    };
  }),
  CONCAT_WS: define(2, 1000, (context, args) => {
    const parts = args.map((a) => text(context, a));
    return {
      sql: `concat_ws(${parts.map((p) => p.sql).join(', ')})`,
      type: varchar(parts.reduce((sum, p) => sum + lengthOf(p), 0)),
    };
  }),
  LENGTH: define(1, 1, (context, args) => ({
    sql: byteLength(context, arg(args, 0)),
    type: lengthType,
  })),
  OCTET_LENGTH: define(1, 1, (context, args) => ({
    sql: byteLength(context, arg(args, 0)),
    type: lengthType,
  })),
  CHAR_LENGTH: define(1, 1, (context, args) => ({
    // A binary string's characters are its bytes.
    sql: isBlob(arg(args, 0))
      ? byteLength(context, arg(args, 0))
      : charLength(context, text(context, arg(args, 0)).sql),
    type: lengthType,
  })),
  CHARACTER_LENGTH: define(1, 1, (context, args) => ({
    sql: charLength(context, text(context, arg(args, 0)).sql),
    type: lengthType,
  })),
  UPPER: changeCaseCall(true),
  UCASE: changeCaseCall(true),
  LOWER: changeCaseCall(false),
  LCASE: changeCaseCall(false),
  SUBSTRING: define(2, 3, substringCall),
  SUBSTR: define(2, 3, substringCall),
  MID: define(3, 3, substringCall),
  LEFT: define(2, 2, (context, args) => {
    const s = text(context, arg(args, 0));
    const n = integer(context, arg(args, 1));
    return {
      sql: `(CASE WHEN ${s.sql} IS NULL OR ${n} IS NULL THEN NULL WHEN ${n} <= 0 THEN '' ELSE substr(${s.sql}, 1, ${smaller(context, n, charLength(context, s.sql))}) END)`,
      type: s.type,
    };
  }),
  RIGHT: define(2, 2, (context, args) => {
    const s = text(context, arg(args, 0));
    const n = integer(context, arg(args, 1));
    const length = charLength(context, s.sql);
    return {
      sql: `(CASE WHEN ${s.sql} IS NULL OR ${n} IS NULL THEN NULL WHEN ${n} <= 0 THEN '' WHEN ${n} >= ${length} THEN ${s.sql} ELSE substr(${s.sql}, ${length} - ${n} + 1) END)`,
      type: s.type,
    };
  }),
  LOCATE: define(2, 3, (context, args) => {
    const position = args[2] === undefined ? undefined : integer(context, args[2]);
    return {
      sql: locate(
        context,
        text(context, arg(args, 0)).sql,
        text(context, arg(args, 1)).sql,
        position,
      ),
      type: positionType,
    };
  }),
  POSITION: define(2, 2, (context, args) => ({
    sql: locate(context, text(context, arg(args, 0)).sql, text(context, arg(args, 1)).sql),
    type: positionType,
  })),
  INSTR: define(2, 2, (context, args) => ({
    sql: locate(context, text(context, arg(args, 1)).sql, text(context, arg(args, 0)).sql),
    type: positionType,
  })),
  REPLACE: define(3, 3, (context, args) => {
    const [s, from, to] = [0, 1, 2].map((i) => text(context, arg(args, i)).sql);
    return { sql: `replace(${s}, ${from}, ${to})`, type: text(context, arg(args, 0)).type };
  }),
  LTRIM: define(1, 1, (context, args) => ({
    sql: `ltrim(${text(context, arg(args, 0)).sql}, ' ')`,
    type: text(context, arg(args, 0)).type,
  })),
  RTRIM: define(1, 1, (context, args) => ({
    sql: `rtrim(${text(context, arg(args, 0)).sql}, ' ')`,
    type: text(context, arg(args, 0)).type,
  })),
  LPAD: pad(true),
  RPAD: pad(false),
  REPEAT: define(2, 2, (context, args) => {
    const s = text(context, arg(args, 0)).sql;
    const n = integer(context, arg(args, 1));
    const sql =
      context.dialect === 'duckdb'
        ? `(CASE WHEN ${n} IS NULL THEN NULL ELSE repeat(${s}, greatest(${n}, 0)) END)`
        : `exo_repeat(${s}, ${n})`;
    return { sql, type: varchar(lengthOf(arg(args, 0)) * (constantInt(arg(args, 1)) ?? 16)) };
  }),
  REVERSE: define(1, 1, (context, args) => {
    const s = text(context, arg(args, 0));
    return {
      sql: context.dialect === 'duckdb' ? `reverse(${s.sql})` : `exo_reverse(${s.sql})`,
      type: s.type,
    };
  }),
  SPACE: define(1, 1, (context, args) => {
    const n = integer(context, arg(args, 0));
    return {
      sql:
        context.dialect === 'duckdb'
          ? `(CASE WHEN ${n} IS NULL THEN NULL ELSE repeat(' ', greatest(${n}, 0)) END)`
          : `exo_repeat(' ', ${n})`,
      type: varchar(constantInt(arg(args, 0)) ?? 255),
    };
  }),
  ASCII: define(1, 1, (context, args) => {
    // The first byte of the UTF-8 text (ASCII('ü') is 195), from the first code point.
    const s = text(context, arg(args, 0)).sql;
    const c = `unicode(${s})`;
    const sql = `(CASE WHEN ${s} = '' THEN 0 WHEN ${c} < 128 THEN ${c} WHEN ${c} < 2048 THEN 192 | (${c} >> 6) WHEN ${c} < 65536 THEN 224 | (${c} >> 12) ELSE 240 | (${c} >> 18) END)`;
    return { sql, type: { type: 'int', length: 3 } };
  }),
  ORD: define(1, 1, (context, args) => {
    // The UTF-8 bytes of the first character read as one big-endian number (ORD('é') is 50089).
    const s = text(context, arg(args, 0)).sql;
    const c = `CAST(unicode(${s}) AS BIGINT)`;
    const tail = (shift: number): string => `(128 | ((${c} >> ${shift}) & 63))`;
    const sql =
      `(CASE WHEN ${s} = '' THEN 0 WHEN ${c} < 128 THEN ${c}` +
      ` WHEN ${c} < 2048 THEN (192 | (${c} >> 6)) * 256 + ${tail(0)}` +
      ` WHEN ${c} < 65536 THEN (224 | (${c} >> 12)) * 65536 + ${tail(6)} * 256 + ${tail(0)}` +
      ` ELSE (240 | (${c} >> 18)) * 16777216 + ${tail(12)} * 65536 + ${tail(6)} * 256 + ${tail(0)} END)`;
    return { sql, type: { type: 'int', length: 7 } };
  }),
  CHAR: define(1, 1000, (context, args) => {
    // A binary string of each code's bytes, most significant first (CHAR(256) is 0x0100);
    // NULL codes are skipped.
    const hexes = args.map((a) => {
      // A code is taken as 32 bits: CHAR(-2) is 0xFFFFFFFE.
      const code = `(${integer(context, a)} & 4294967295)`;
      const digits =
        context.dialect === 'duckdb' ? `hex(CAST(${code} AS BIGINT))` : `printf('%X', ${code})`;
      return `COALESCE((CASE WHEN length(${digits}) % 2 = 1 THEN '0' ELSE '' END) || ${digits}, '')`;
    });
    return {
      sql: `unhex(${hexes.join(' || ')})`,
      type: { type: 'blob', length: args.length * 4 },
      binary: true,
    };
  }),
  HEX: define(1, 1, (context, args) => {
    // A date or time is hexed as its text ('12:30:00' is 31323A33303A3030).
    const given = asValue(context, arg(args, 0));
    const value = isTemporal(given.type) ? toText(context, given) : given;
    if (isString(value.type)) {
      // SQLite's hex(NULL) is ''.
      const hex =
        context.dialect === 'duckdb'
          ? `upper(hex(${value.sql}))`
          : `(CASE WHEN ${value.sql} IS NOT NULL THEN upper(hex(${value.sql})) END)`;
      return { sql: hex, type: formattedTextType(lengthOf(value) * 2) };
    }
    if (isDecimal(value.type) || isFloat(value.type))
      return {
        sql: `exo_hex_number(${toText(context, { sql: toNumber(context, value).sql, type: value.type.type === 'decimal' ? value.type : doubleType }).sql})`,
        type: formattedTextType(16),
      };
    const n = integer(context, value);
    return {
      sql: context.dialect === 'duckdb' ? `upper(hex(${n}))` : `printf('%X', ${n})`,
      type: formattedTextType(16),
    };
  }),
  UNHEX: define(1, 1, (context, args) => {
    // A binary string, as in MySQL; invalid hex digits give NULL.
    const s = text(context, arg(args, 0)).sql;
    const sql =
      context.dialect === 'duckdb'
        ? `(CASE WHEN regexp_full_match(${s}, '([0-9A-Fa-f][0-9A-Fa-f])*') THEN unhex(${s}) END)`
        : `unhex(${s})`;
    return {
      sql,
      type: { type: 'blob', length: Math.ceil(lengthOf(arg(args, 0)) / 2) },
      binary: true,
    };
  }),
  FORMAT: define(2, 3, (context, args) => {
    // format-number.ts: an exact number goes as its text, anything else as a DOUBLE.
    const value = asValue(context, arg(args, 0));
    const number = isExact(value.type)
      ? `('e' || ${toText(context, value).sql})`
      : `('f' || ${toText(context, { sql: toNumber(context, value).sql, type: doubleType }).sql})`;
    const locale = args[2] === undefined ? 'NULL' : text(context, args[2]).sql;
    const digits = toText(context, { sql: integer(context, arg(args, 1)), type: bigintType }).sql;
    return {
      sql: isNullLiteral(value) ? 'NULL' : `exo_format(${number}, ${digits}, ${locale})`,
      type: varcharType(64),
    };
  }),
  INSERT: define(4, 4, (context, args) => {
    const s = text(context, arg(args, 0)).sql;
    const position = integer(context, arg(args, 1));
    const length = integer(context, arg(args, 2));
    const replacement = text(context, arg(args, 3)).sql;
    const n = charLength(context, s);
    const sql = `(CASE WHEN ${s} IS NULL OR ${position} IS NULL OR ${length} IS NULL OR ${replacement} IS NULL THEN NULL WHEN ${position} < 1 OR ${position} > ${n} THEN ${s} ELSE substr(${s}, 1, ${position} - 1) || ${replacement} || (CASE WHEN ${length} < 0 THEN '' ELSE substr(${s}, ${position} + ${length}) END) END)`;
    return { sql, type: varchar(lengthOf(arg(args, 0)) + lengthOf(arg(args, 3))) };
  }),
  FIELD: define(2, 1000, (context, args) => {
    // Strings (dates and times are strings here) compare as strings, numbers as numbers, and a
    // mix of the two as DOUBLEs (MySQL reference, FIELD()).
    const present = args.filter((a) => !isNullLiteral(a) && a.type.type !== 'null');
    const textual = present.every((a) => isString(a.type) || isTemporal(a.type));
    const operands = textual
      ? args.map((a) => (isTemporal(a.type) ? toText(context, a) : a))
      : args;
    const mode =
      textual || present.every((a) => isNumeric(a.type)) ? compareMode(operands) : 'number';
    const [first, ...rest] = operands.map((a) => prepareOperand(context, a, mode, operands[0]));
    const whens = rest.map((r, i) => `WHEN ${first} = ${r} THEN ${i + 1}`);
    return { sql: `(CASE ${whens.join(' ')} ELSE 0 END)`, type: intType };
  }),
  FIND_IN_SET: define(2, 2, (context, args, call) => {
    const member = setMemberPosition(arg(args, 0), arg(args, 1), call.args[1]?.kind === 'column');
    if (member !== undefined) return { sql: member, type: findInSetType };
    const s = text(context, arg(args, 0)).sql;
    const list = text(context, arg(args, 1)).sql;
    if (context.dialect === 'sqlite')
      return { sql: `exo_find_in_set(${s}, ${list})`, type: findInSetType };
    const sql = `(CASE WHEN ${s} IS NULL OR ${list} IS NULL THEN NULL WHEN ${list} = '' OR instr(${s}, ',') > 0 THEN 0 ELSE coalesce(list_position(string_split(lower(${list}), ','), lower(${s})), 0) END)`;
    return { sql, type: findInSetType };
  }),
  ELT: define(2, 1000, (context, args) => {
    const n = integer(context, arg(args, 0));
    const values = args.slice(1).map((a) => text(context, a));
    const whens = values.map((v, i) => `WHEN ${i + 1} THEN ${v.sql}`);
    return {
      sql: `(CASE ${n} ${whens.join(' ')} END)`,
      type: varchar(Math.max(...values.map(lengthOf))),
    };
  }),
  SUBSTRING_INDEX: define(3, 3, (context, args) => {
    const s = text(context, arg(args, 0));
    const delimiter = text(context, arg(args, 1)).sql;
    const count = integer(context, arg(args, 2));
    if (context.dialect === 'sqlite' || constantString(arg(args, 1)) === undefined) {
      const countText = context.dialect === 'duckdb' ? `CAST(${count} AS VARCHAR)` : count;
      return { sql: `exo_substring_index(${s.sql}, ${delimiter}, ${countText})`, type: s.type };
    }
    const parts = `string_split(${s.sql}, ${delimiter})`;
    const sql = `(CASE WHEN ${count} = 0 OR ${delimiter} = '' THEN '' WHEN ${count} > 0 THEN array_to_string(${parts}[1:${count}], ${delimiter}) ELSE array_to_string(${parts}[${count}:], ${delimiter}) END)`;
    return {
      sql: `(CASE WHEN ${s.sql} IS NULL OR ${delimiter} IS NULL OR ${count} IS NULL THEN NULL ELSE ${sql} END)`,
      type: s.type,
    };
  }),
  STRCMP: define(2, 2, (context, args) => {
    // The collation's comparison: case and trailing spaces do not count (PAD SPACE).
    const a = noCase(`rtrim(${text(context, arg(args, 0)).sql}, ' ')`);
    const b = `rtrim(${text(context, arg(args, 1)).sql}, ' ')`;
    return {
      sql: `(CASE WHEN ${a} IS NULL OR ${b} IS NULL THEN NULL WHEN ${a} = ${b} THEN 0 WHEN ${a} < ${b} THEN -1 ELSE 1 END)`,
      type: intType,
    };
  }),
  MD5: hash('md5', 'md5', 32),
  SHA1: hash('sha1', 'sha1', 40),
  SHA: hash('sha1', 'sha1', 40),
  SHA2: define(2, 2, (context, args) => {
    const value = asValue(context, arg(args, 0));
    const s = isBlob(value) ? value.sql : text(context, value).sql;
    const bits = constantInt(arg(args, 1));
    if (context.dialect === 'duckdb' && (bits === 256 || bits === 0))
      return { sql: `sha256(${s})`, type: varcharType(64) };
    const n = integer(context, arg(args, 1));
    const bitsText = context.dialect === 'duckdb' ? `CAST(${n} AS VARCHAR)` : n;
    return { sql: `exo_sha2(${s}, ${bitsText})`, type: varcharType(128) };
  }),
  UUID: define(0, 0, (context) => ({
    sql: context.dialect === 'duckdb' ? 'CAST(uuid() AS VARCHAR)' : 'exo_uuid()',
    type: varcharType(36),
  })),
  REGEXP_LIKE: define(2, 3, (context, args) => {
    const s = text(context, arg(args, 0)).sql;
    const p = text(context, arg(args, 1)).sql;
    return {
      sql:
        context.dialect === 'duckdb' ? `regexp_matches(${s}, ${p}, 'i')` : `exo_regexp(${s}, ${p})`,
      type: intType,
      bool: true,
    };
  }),
  REGEXP_REPLACE: define(3, 3, (context, args) => {
    const [s, p, r] = [0, 1, 2].map((i) => text(context, arg(args, i)).sql);
    return {
      sql:
        context.dialect === 'duckdb'
          ? `regexp_replace(${s}, ${p}, ${r}, 'gi')`
          : `exo_regexp_replace(${s}, ${p}, ${r})`,
      type: text(context, arg(args, 0)).type,
    };
  }),
  REGEXP_SUBSTR: define(2, 2, (context, args) => {
    const [s, p] = [0, 1].map((i) => text(context, arg(args, i)).sql);
    return {
      sql:
        context.dialect === 'duckdb'
          ? `regexp_extract(${s}, ${p}, 0, 'i')`
          : `exo_regexp_substr(${s}, ${p})`,
      type: text(context, arg(args, 0)).type,
    };
  }),
};

function substringCall(context: Context, args: readonly Typed[]): Typed {
  const s = text(context, arg(args, 0));
  // Constant positions from the start (SUBSTRING(phone, 1, 2)) mean the engines' substr as it
  // is: the general form's CASE costs planning and a pass per row.
  const from = positiveLiteral(arg(args, 1));
  const take = args[2] === undefined ? undefined : positiveLiteral(args[2]);
  if (from !== undefined && (args[2] === undefined || take !== undefined))
    return {
      sql: `substr(${s.sql}, ${from}${take === undefined ? '' : `, ${take}`})`,
      type: s.type,
    };
  const position = integer(context, arg(args, 1));
  const length = args[2] === undefined ? undefined : integer(context, args[2]);
  return { sql: substring(context, s.sql, position, length), type: s.type };
}

/** An integer literal from 1 to 2^31 - 1 (the engines refuse offsets beyond 32 bits). */
function positiveLiteral(value: Typed): number | undefined {
  const literal = value.constant;
  if (literal?.type !== 'int') return undefined;
  const n = Number(literal.value);
  return Number.isSafeInteger(n) && n >= 1 && n <= 2_147_483_647 ? n : undefined;
}
