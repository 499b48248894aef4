/** ALTER TABLE (MySQL 8.0 manual, "ALTER TABLE Statement"): the common actions. */
import type { AlterAction, AlterTableStatement, ColumnPosition, IndexDef } from './ast.js';
import type { Cursor } from './cursor.js';
import {
  parseCheckBody,
  parseColumnDef,
  parseForeignKeyBody,
  parseIndexBody,
  parseTableOption,
} from './parse-column-def.js';
import { parseExpr, parseUnary } from './parse-expr.js';
import { parseTableName } from './parse-table-ref.js';

/** After ALTER [ONLINE] [IGNORE] TABLE. */
export function parseAlterTable(c: Cursor, pos: number): AlterTableStatement {
  const table = parseTableName(c);
  const actions: AlterAction[] = [];
  if (!c.atEnd() && !c.isOp(';')) {
    do actions.push(parseAlterAction(c));
    while (c.acceptOp(','));
  }
  return { kind: 'alterTable', table, actions, pos };
}

function parsePosition(c: Cursor): ColumnPosition | undefined {
  if (c.acceptWord('FIRST')) return { first: true };
  if (c.acceptWord('AFTER')) return { after: c.identifier() };
  return undefined;
}

function withPosition<T extends object>(action: T, position: ColumnPosition | undefined): T {
  return position === undefined ? action : { ...action, position };
}

function parseAlterAction(c: Cursor): AlterAction {
  if (c.acceptWord('ADD')) return parseAdd(c);
  if (c.acceptWord('DROP')) return parseDrop(c);
  if (c.acceptWord('MODIFY')) {
    c.acceptWord('COLUMN');
    const column = parseColumnDef(c);
    return withPosition({ kind: 'modifyColumn', column }, parsePosition(c));
  }
  if (c.acceptWord('CHANGE')) {
    c.acceptWord('COLUMN');
    const oldName = c.identifier();
    const column = parseColumnDef(c);
    return withPosition({ kind: 'changeColumn', oldName, column }, parsePosition(c));
  }
  if (c.acceptWord('RENAME')) {
    if (c.acceptWord('COLUMN')) {
      const from = c.identifier();
      c.expectWord('TO');
      return { kind: 'renameColumn', from, to: c.identifier() };
    }
    if (c.acceptWord('INDEX') || c.acceptWord('KEY')) {
      const from = c.identifier();
      c.expectWord('TO');
      return { kind: 'renameIndex', from, to: c.identifier() };
    }
    if (!c.acceptWord('TO')) c.acceptWord('AS');
    return { kind: 'renameTable', to: parseTableName(c) };
  }
  if (c.acceptWord('ALTER')) {
    c.acceptWord('COLUMN');
    const column = c.identifier();
    if (c.acceptWords('SET', 'DEFAULT')) {
      if (c.acceptOp('(')) {
        const value = parseExpr(c);
        c.expectOp(')');
        return { kind: 'setDefault', column, value };
      }
      return { kind: 'setDefault', column, value: parseUnary(c) };
    }
    c.expectWord('DROP');
    c.expectWord('DEFAULT');
    return { kind: 'dropDefault', column };
  }
  if (c.acceptWords('CONVERT', 'TO')) {
    if (!c.acceptWords('CHARACTER', 'SET')) c.expectWord('CHARSET');
    const charset = c.identifierOrString().toLowerCase();
    if (c.acceptWord('COLLATE')) {
      return { kind: 'convertCharset', charset, collation: c.identifierOrString().toLowerCase() };
    }
    return { kind: 'convertCharset', charset };
  }
  for (const words of [['DISABLE', 'KEYS'], ['ENABLE', 'KEYS'], ['FORCE']]) {
    if (c.acceptWords(...words)) return { kind: 'option', name: words.join(' '), value: '' };
  }
  const option = parseTableOption(c);
  if (option === undefined) throw c.error();
  return { kind: 'option', ...option };
}

function parseAdd(c: Cursor): AlterAction {
  let constraint: string | undefined;
  if (c.acceptWord('CONSTRAINT')) {
    if (c.isIdentifier()) constraint = c.identifier();
  }
  const named = (index: IndexDef): IndexDef =>
    constraint !== undefined && index.name === undefined ? { ...index, name: constraint } : index;
  if (c.acceptWords('PRIMARY', 'KEY'))
    return { kind: 'addIndex', type: 'primary', index: parseIndexBody(c) };
  if (c.acceptWord('UNIQUE')) {
    if (!c.acceptWord('INDEX')) c.acceptWord('KEY');
    return { kind: 'addIndex', type: 'unique', index: named(parseIndexBody(c)) };
  }
  if (c.acceptWords('FOREIGN', 'KEY')) {
    return { kind: 'addForeignKey', foreignKey: parseForeignKeyBody(c, constraint) };
  }
  if (c.acceptWord('CHECK')) {
    const check = parseCheckBody(c);
    return {
      kind: 'addCheck',
      check: constraint === undefined ? check : { name: constraint, ...check },
    };
  }
  if (constraint !== undefined) throw c.error();
  if (c.acceptWord('INDEX') || c.acceptWord('KEY')) {
    return { kind: 'addIndex', type: 'index', index: parseIndexBody(c) };
  }
  if (c.acceptWord('FULLTEXT')) {
    if (!c.acceptWord('INDEX')) c.acceptWord('KEY');
    return { kind: 'addIndex', type: 'fulltext', index: { ...parseIndexBody(c), fulltext: true } };
  }
  if (c.isWord('SHARD') && c.isWordAt(1, 'KEY')) {
    c.index += 2;
    return { kind: 'addIndex', type: 'shard', index: parseIndexBody(c, { allowEmpty: true }) };
  }
  if (c.isWord('SORT') && c.isWordAt(1, 'KEY')) {
    c.index += 2;
    return { kind: 'addIndex', type: 'sort', index: parseIndexBody(c, { allowEmpty: true }) };
  }
  c.acceptWord('COLUMN');
  if (c.acceptOp('(')) {
    const columns = [parseColumnDef(c)];
    while (c.acceptOp(',')) columns.push(parseColumnDef(c));
    c.expectOp(')');
    return { kind: 'addColumn', columns };
  }
  const column = parseColumnDef(c);
  return withPosition({ kind: 'addColumn', columns: [column] }, parsePosition(c));
}

function parseDrop(c: Cursor): AlterAction {
  if (c.acceptWords('PRIMARY', 'KEY')) return { kind: 'dropPrimaryKey' };
  if (c.acceptWords('FOREIGN', 'KEY')) return { kind: 'dropForeignKey', name: c.identifier() };
  if (c.acceptWord('CHECK')) return { kind: 'dropCheck', name: c.identifier() };
  if (c.acceptWord('CONSTRAINT')) return { kind: 'dropCheck', name: c.identifier(), any: true };
  if (c.acceptWord('INDEX') || c.acceptWord('KEY'))
    return { kind: 'dropIndex', name: c.identifier() };
  c.acceptWord('COLUMN');
  return { kind: 'dropColumn', name: c.identifier() };
}
