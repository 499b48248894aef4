/**
 * CREATE / ALTER / DROP VIEW (MySQL 8.0 manual, "CREATE VIEW Statement", "ALTER VIEW
 * Statement", "DROP VIEW Statement"; MariaDB's `CREATE VIEW IF NOT EXISTS`).
 */
import type { CreateViewStatement, Statement, UserSpec, ViewAlgorithm } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseUserSpec } from './parse-account.js';
import { parseIfExists, parseIfNotExists, parseTableNames } from './parse-ddl.js';
import { parseQuery } from './parse-select.js';
import { parseParenthesizedNames, parseTableName } from './parse-table-ref.js';

/** The clauses written between CREATE [OR REPLACE] / ALTER and VIEW. */
export interface ViewOptions {
  readonly algorithm?: ViewAlgorithm;
  readonly definer?: UserSpec;
  readonly security?: 'DEFINER' | 'INVOKER';
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const ALGORITHMS: readonly ViewAlgorithm[] = ['UNDEFINED', 'MERGE', 'TEMPTABLE'];

/** True when the next word starts the view clauses or VIEW itself. */
export function atViewOptions(c: Cursor): boolean {
  return (
    c.isWord('VIEW') ||
    c.isWord('ALGORITHM') ||
    c.isWord('DEFINER') ||
    (c.isWord('SQL') && c.isWordAt(1, 'SECURITY'))
  );
}

/** `[ALGORITHM = x] [DEFINER = user] [SQL SECURITY {DEFINER|INVOKER}]`, each at most once. */
export function parseViewOptions(c: Cursor): ViewOptions {
  const options: Mutable<ViewOptions> = {};
  for (;;) {
    if (options.algorithm === undefined && c.acceptWord('ALGORITHM')) {
      c.expectOp('=');
      const word = c.token.upper as ViewAlgorithm;
      if (!ALGORITHMS.includes(word)) throw c.error();
      c.advance();
      options.algorithm = word;
    } else if (options.definer === undefined && c.acceptWord('DEFINER')) {
      c.expectOp('=');
      options.definer = parseUserSpec(c);
    } else if (options.security === undefined && c.acceptWords('SQL', 'SECURITY')) {
      if (c.acceptWord('DEFINER')) options.security = 'DEFINER';
      else {
        c.expectWord('INVOKER');
        options.security = 'INVOKER';
      }
    } else {
      return options;
    }
  }
}

/** After the view clauses and VIEW (CREATE [OR REPLACE] … VIEW, or ALTER … VIEW). */
export function parseCreateView(
  c: Cursor,
  head: ViewOptions & { readonly pos: number; readonly orReplace: boolean; readonly alter?: true },
): Statement {
  const ifNotExists = head.alter !== true && parseIfNotExists(c);
  const view = parseTableName(c);
  const columns = c.isOp('(') ? parseParenthesizedNames(c) : undefined;
  c.expectWord('AS');
  const start = c.token.pos;
  const query = parseQuery(c);
  const text = c.sql.slice(start, c.tokens[c.index - 1]?.end ?? start);
  let checkOption: CreateViewStatement['checkOption'];
  if (c.acceptWord('WITH')) {
    checkOption = c.acceptWord('LOCAL') ? 'LOCAL' : 'CASCADED';
    if (checkOption === 'CASCADED') c.acceptWord('CASCADED');
    c.expectWord('CHECK');
    c.expectWord('OPTION');
  }
  const { pos, orReplace, alter, algorithm, definer, security } = head;
  return {
    kind: 'createView',
    orReplace,
    ...(alter === true ? { alter } : {}),
    ...(ifNotExists ? { ifNotExists } : {}),
    ...(algorithm === undefined ? {} : { algorithm }),
    ...(definer === undefined ? {} : { definer }),
    ...(security === undefined ? {} : { security }),
    view,
    ...(columns === undefined ? {} : { columns }),
    query,
    ...(checkOption === undefined ? {} : { checkOption }),
    text,
    pos,
  };
}

/** After DROP VIEW. */
export function parseDropView(c: Cursor, pos: number): Statement {
  const ifExists = parseIfExists(c);
  const views = parseTableNames(c);
  c.acceptOneOf(['RESTRICT', 'CASCADE']);
  return { kind: 'dropView', ifExists, views, pos };
}
