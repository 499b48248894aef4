/** Prints schema statements (CREATE/ALTER/DROP of databases, tables, indexes, views). */
import type {
  AlterAction,
  AlterTableStatement,
  CheckDef,
  ColumnDef,
  CreateTableStatement,
  Expr,
  ForeignKeyDef,
  ForeignKeyReference,
  IndexColumn,
  IndexDef,
} from './ast.js';
import {
  formatDataType,
  formatExpr,
  formatName,
  quoteIdentifier,
  quoteString,
} from './format-expr.js';
import { formatTableName } from './format-query.js';

export function formatColumnDef(column: ColumnDef): string {
  const parts = [quoteIdentifier(column.name), formatDataType(column.type)];
  if (column.generated !== undefined) {
    parts.push(
      `AS (${formatExpr(column.generated.expr)}) ${column.generated.stored ? 'STORED' : 'VIRTUAL'}`,
    );
  }
  if (column.notNull === true) parts.push('NOT NULL');
  if (column.null === true) parts.push('NULL');
  if (column.default !== undefined) parts.push(`DEFAULT ${formatDefault(column.default)}`);
  if (column.onUpdate !== undefined) parts.push(`ON UPDATE ${formatDefault(column.onUpdate)}`);
  if (column.autoIncrement === true) parts.push('AUTO_INCREMENT');
  if (column.unique === true) parts.push('UNIQUE KEY');
  if (column.primaryKey === true) parts.push('PRIMARY KEY');
  if (column.comment !== undefined) parts.push(`COMMENT ${quoteString(column.comment)}`);
  if (column.check !== undefined) parts.push(formatCheck(column.check));
  if (column.references !== undefined) parts.push(formatReferences(column.references));
  return parts.join(' ');
}

/** A DEFAULT value: literals and niladic calls bare, other expressions in parentheses. */
function formatDefault(value: Expr): string {
  const plain =
    value.kind === 'literal' ||
    (value.kind === 'call' && value.args.length === 0) ||
    (value.kind === 'unary' && value.operand.kind === 'literal' && value.op !== 'NOT');
  return plain ? formatExpr(value) : `(${formatExpr(value)})`;
}

function formatKeyParts(columns: readonly IndexColumn[]): string {
  const parts = columns.map((column) => {
    let text = quoteIdentifier(column.name);
    if (column.length !== undefined) text += `(${column.length})`;
    if (column.desc === true) text += ' DESC';
    return text;
  });
  return `(${parts.join(', ')})`;
}

export function formatIndex(keyword: string, index: IndexDef): string {
  let text = keyword;
  if (index.name !== undefined) text += ` ${quoteIdentifier(index.name)}`;
  text += ` ${formatKeyParts(index.columns)}`;
  if (index.using !== undefined) text += ` USING ${index.using}`;
  if (index.comment !== undefined) text += ` COMMENT ${quoteString(index.comment)}`;
  return text;
}

function formatReferences(reference: ForeignKeyReference): string {
  let text = `REFERENCES ${formatTableName(reference.refTable)} (${reference.refColumns.map(quoteIdentifier).join(', ')})`;
  if (reference.onDelete !== undefined) text += ` ON DELETE ${reference.onDelete}`;
  if (reference.onUpdate !== undefined) text += ` ON UPDATE ${reference.onUpdate}`;
  return text;
}

function formatForeignKey(foreignKey: ForeignKeyDef): string {
  const name =
    foreignKey.name === undefined ? '' : `CONSTRAINT ${quoteIdentifier(foreignKey.name)} `;
  return `${name}FOREIGN KEY (${foreignKey.columns.map(quoteIdentifier).join(', ')}) ${formatReferences(foreignKey)}`;
}

/** Table option values: numbers and plain words bare, everything else as a string. */
function formatOptionValue(name: string, value: string): string {
  if (name === 'COMMENT' || !/^[A-Za-z0-9_]+$/.test(value)) return quoteString(value);
  return value;
}

export function formatCreateTable(
  stmt: CreateTableStatement,
  formatQuery: (query: NonNullable<CreateTableStatement['asSelect']>) => string,
): string {
  let head = 'CREATE ';
  if (stmt.rowstore) head += 'ROWSTORE ';
  if (stmt.columnstore === true) head += 'COLUMNSTORE ';
  if (stmt.reference) head += 'REFERENCE ';
  if (stmt.temporary === true) head += 'TEMPORARY ';
  head += `TABLE ${stmt.ifNotExists ? 'IF NOT EXISTS ' : ''}${formatTableName(stmt)}`;
  if (stmt.like !== undefined) return `${head} LIKE ${formatTableName(stmt.like)}`;
  const elements = stmt.columns.map(formatColumnDef);
  if (stmt.primaryKey !== undefined) elements.push(formatIndex('PRIMARY KEY', stmt.primaryKey));
  for (const index of stmt.uniqueKeys) elements.push(formatIndex('UNIQUE KEY', index));
  for (const index of stmt.indexes)
    elements.push(formatIndex(index.fulltext === true ? 'FULLTEXT KEY' : 'KEY', index));
  if (stmt.shardKey !== undefined)
    elements.push(`SHARD KEY (${stmt.shardKey.map(quoteIdentifier).join(', ')})`);
  if (stmt.sortKey !== undefined) elements.push(`SORT KEY ${formatKeyParts(stmt.sortKey)}`);
  for (const foreignKey of stmt.foreignKeys ?? []) elements.push(formatForeignKey(foreignKey));
  for (const check of stmt.checks ?? []) elements.push(formatCheck(check));
  let text = elements.length > 0 ? `${head} (${elements.join(', ')})` : head;
  for (const [name, value] of Object.entries(stmt.options)) {
    text += ` ${name === 'CHARSET' ? 'DEFAULT CHARSET' : name}=${formatOptionValue(name, value)}`;
  }
  if (stmt.asSelect !== undefined) text += ` AS ${formatQuery(stmt.asSelect)}`;
  return text;
}

function formatPosition(action: { position?: { first: true } | { after: string } }): string {
  const position = action.position;
  if (position === undefined) return '';
  return 'first' in position ? ' FIRST' : ` AFTER ${quoteIdentifier(position.after)}`;
}

function formatAlterAction(action: AlterAction): string {
  switch (action.kind) {
    case 'addColumn':
      return action.columns.length === 1 && action.position !== undefined
        ? `ADD COLUMN ${formatColumnDef(action.columns[0] as ColumnDef)}${formatPosition(action)}`
        : `ADD COLUMN (${action.columns.map(formatColumnDef).join(', ')})`;
    case 'dropColumn':
      return `DROP COLUMN ${quoteIdentifier(action.name)}`;
    case 'modifyColumn':
      return `MODIFY COLUMN ${formatColumnDef(action.column)}${formatPosition(action)}`;
    case 'changeColumn':
      return `CHANGE COLUMN ${quoteIdentifier(action.oldName)} ${formatColumnDef(action.column)}${formatPosition(action)}`;
    case 'renameTable':
      return `RENAME TO ${formatTableName(action.to)}`;
    case 'renameColumn':
      return `RENAME COLUMN ${quoteIdentifier(action.from)} TO ${quoteIdentifier(action.to)}`;
    case 'renameIndex':
      return `RENAME INDEX ${quoteIdentifier(action.from)} TO ${quoteIdentifier(action.to)}`;
    case 'addIndex': {
      const keywords = {
        primary: 'PRIMARY KEY',
        unique: 'UNIQUE KEY',
        index: 'KEY',
        fulltext: 'FULLTEXT KEY',
        shard: 'SHARD KEY',
        sort: 'SORT KEY',
      } as const;
      return `ADD ${formatIndex(keywords[action.type], action.index)}`;
    }
    case 'addForeignKey':
      return `ADD ${formatForeignKey(action.foreignKey)}`;
    case 'addCheck': {
      return `ADD ${formatCheck(action.check)}`;
    }
    case 'dropIndex':
      return `DROP INDEX ${quoteIdentifier(action.name)}`;
    case 'dropPrimaryKey':
      return 'DROP PRIMARY KEY';
    case 'dropForeignKey':
      return `DROP FOREIGN KEY ${quoteIdentifier(action.name)}`;
    case 'dropCheck':
      return `DROP ${action.any === true ? 'CONSTRAINT' : 'CHECK'} ${quoteIdentifier(action.name)}`;
    case 'setDefault':
      return `ALTER COLUMN ${quoteIdentifier(action.column)} SET DEFAULT ${formatDefault(action.value)}`;
    case 'dropDefault':
      return `ALTER COLUMN ${quoteIdentifier(action.column)} DROP DEFAULT`;
    case 'option':
      if (action.value === '' && /^(DISABLE KEYS|ENABLE KEYS|FORCE)$/.test(action.name))
        return action.name;
      return `${action.name === 'CHARSET' ? 'DEFAULT CHARSET' : action.name}=${formatOptionValue(action.name, action.value)}`;
    case 'convertCharset':
      return `CONVERT TO CHARACTER SET ${formatName(action.charset)}${action.collation === undefined ? '' : ` COLLATE ${formatName(action.collation)}`}`;
  }
}

export function formatAlterTable(stmt: AlterTableStatement): string {
  const actions = stmt.actions.map(formatAlterAction).join(', ');
  return `ALTER TABLE ${formatTableName(stmt.table)}${actions === '' ? '' : ` ${actions}`}`;
}

/** `[CONSTRAINT name] CHECK (expr) [NOT ENFORCED]`. */
export function formatCheck(check: CheckDef): string {
  const name = check.name === undefined ? '' : `CONSTRAINT ${quoteIdentifier(check.name)} `;
  const enforced = check.enforced === false ? ' NOT ENFORCED' : '';
  return `${name}CHECK (${formatExpr(check.expr)})${enforced}`;
}
