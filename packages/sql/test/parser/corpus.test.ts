import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatStatement, parseStatement } from '../../src/parser/index.js';
import type { Expr, Statement } from '../../src/parser/index.js';
import { ALL_STATEMENTS } from './corpus.js';
import { statementTree, withoutPositions } from './helpers.js';

function parse(sql: string): Statement {
  return parseStatement(sql);
}

function first<T>(items: readonly T[] | undefined): T {
  assert.ok(items !== undefined && items.length > 0, 'expected a non-empty list');
  return items[0] as T;
}

function selectColumns(sql: string): Expr[] {
  const stmt = parse(sql);
  assert.equal(stmt.kind, 'select');
  return stmt.columns.map((item) => item.expr);
}

describe('parser corpus', () => {
  it('holds at least 250 statements', () => {
    assert.ok(ALL_STATEMENTS.length >= 250, `only ${ALL_STATEMENTS.length}`);
  });

  it('parses every statement and prints text that parses back to the same tree', () => {
    for (const sql of ALL_STATEMENTS) {
      const tree = parse(sql);
      const text = formatStatement(tree);
      let again: Statement;
      try {
        again = parse(text);
      } catch (error) {
        assert.fail(`${sql}\nprinted as\n${text}\nfails: ${String(error)}`);
      }
      assert.deepEqual(statementTree(again), statementTree(tree), `${sql}\nprinted as\n${text}`);
      // Printing is canonical: the printed text prints to itself.
      assert.equal(formatStatement(again), text);
    }
  });
});

describe('parser trees', () => {
  it('reads a point select with its placeholder', () => {
    const stmt = parse('SELECT a, b FROM t WHERE id = ?');
    assert.deepEqual(withoutPositions(stmt), {
      kind: 'select',
      distinct: false,
      columns: [
        { expr: { kind: 'column', column: 'a' } },
        { expr: { kind: 'column', column: 'b' } },
      ],
      from: [{ kind: 'table', name: 't' }],
      where: {
        kind: 'binary',
        op: '=',
        left: { kind: 'column', column: 'id' },
        right: { kind: 'param', index: 0 },
      },
      groupBy: [],
      withRollup: false,
      windows: [],
      orderBy: [],
    });
  });

  it('follows MySQL operator precedence', () => {
    const [sum, logic, not] = selectColumns('SELECT 1 + 2 * 3, a OR b AND c, NOT a = b');
    assert.equal(sum?.kind === 'binary' && sum.op, '+');
    assert.equal(logic?.kind === 'binary' && logic.op, 'OR');
    assert.ok(not?.kind === 'unary' && not.op === 'NOT' && not.operand.kind === 'binary');
    const [bang] = selectColumns('SELECT !a = b');
    assert.ok(bang?.kind === 'binary' && bang.left.kind === 'unary');
    const [between] = selectColumns('SELECT a BETWEEN 1 AND 2 AND c');
    assert.ok(
      between?.kind === 'binary' && between.op === 'AND' && between.left.kind === 'between',
    );
  });

  it('reads literals with their types', () => {
    const items = selectColumns(
      "SELECT 1, 1.50, 1e3, 'x' 'y', X'1f', b'101', TRUE, NULL, DATE '2020-01-01', 18446744073709551615, _binary'z'",
    );
    const literals = items.map((item) =>
      item.kind === 'literal' ? [item.type, item.value] : item.kind,
    );
    assert.deepEqual(literals, [
      ['int', 1],
      ['decimal', '1.50'],
      ['double', 1000],
      ['string', 'xy'],
      ['hex', '1F'],
      ['bit', '101'],
      ['bool', true],
      ['null', null],
      ['date', '2020-01-01'],
      ['int', 18446744073709551615n],
      ['string', 'z'],
    ]);
    const last = items[10];
    assert.equal(last?.kind === 'literal' && last.charset, 'binary');
  });

  it('decodes string escapes', () => {
    const [value] = selectColumns("SELECT 'a\\'b''c\\n\\%'");
    assert.equal(value?.kind === 'literal' && value.value, "a'b'c\n\\%");
  });

  it('reads variables and assignments', () => {
    // A GLOBAL or SESSION keyword also applies to the bare names after it (MySQL manual, "SET Syntax").
    const stmt = parse(
      "SET autocommit = ON, @a := 1, GLOBAL max_connections = 10, sort_buffer_size = 5, @@session.sql_mode = ''",
    );
    assert.equal(stmt.kind, 'set');
    const targets = stmt.assignments.map(({ target }) => [
      target.name,
      target.system,
      target.scope ?? null,
    ]);
    assert.deepEqual(targets, [
      ['autocommit', true, null],
      ['a', false, null],
      ['max_connections', true, 'global'],
      ['sort_buffer_size', true, 'global'],
      ['sql_mode', true, 'session'],
    ]);
    assert.deepEqual(withoutPositions(stmt.assignments[0]?.value), {
      kind: 'column',
      column: 'ON',
    });
  });

  it('reads SingleStore table DDL', () => {
    const stmt = parse(
      'CREATE ROWSTORE REFERENCE TABLE IF NOT EXISTS db.t (a INT NOT NULL, b VARCHAR(10), PRIMARY KEY (a) USING HASH, KEY kb (b), SHARD KEY (a), SORT KEY (b DESC)) ENGINE=x',
    );
    assert.equal(stmt.kind, 'createTable');
    assert.equal(stmt.database, 'db');
    assert.equal(stmt.name, 't');
    assert.equal(stmt.rowstore, true);
    assert.equal(stmt.reference, true);
    assert.equal(stmt.ifNotExists, true);
    assert.deepEqual(stmt.primaryKey, { columns: [{ name: 'a' }], using: 'HASH' });
    assert.deepEqual(stmt.indexes, [{ name: 'kb', columns: [{ name: 'b' }] }]);
    assert.deepEqual(stmt.shardKey, ['a']);
    assert.deepEqual(stmt.sortKey, [{ name: 'b', desc: true }]);
    assert.deepEqual(stmt.options, { ENGINE: 'x' });
    assert.deepEqual(first(stmt.columns).type, { name: 'INT' });
    assert.equal(first(stmt.columns).notNull, true);
    const keyless = parse('CREATE TABLE k (a INT, SHARD KEY ())');
    assert.ok(keyless.kind === 'createTable');
    assert.deepEqual(keyless.shardKey, []);
  });

  it('reads column types canonically', () => {
    const stmt = parse(
      "CREATE TABLE t (a INTEGER(11) UNSIGNED, b NUMERIC(10,2), c DOUBLE PRECISION, d BOOLEAN, e DATETIME(6), f ENUM('x','y'), g VARCHAR(5) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin)",
    );
    assert.ok(stmt.kind === 'createTable');
    assert.deepEqual(
      stmt.columns.map((column) => column.type),
      [
        { name: 'INT', length: 11, unsigned: true },
        { name: 'DECIMAL', precision: 10, scale: 2 },
        { name: 'DOUBLE' },
        { name: 'BOOL' },
        { name: 'DATETIME', scale: 6 },
        { name: 'ENUM', values: ['x', 'y'] },
        { name: 'VARCHAR', length: 5, charset: 'utf8mb4', collation: 'utf8mb4_bin' },
      ],
    );
  });

  it('reads INSERT with ON DUPLICATE KEY UPDATE', () => {
    const stmt = parse(
      'INSERT IGNORE INTO t (a, b) VALUES (1, ?), (2, DEFAULT) ON DUPLICATE KEY UPDATE b = VALUES(b)',
    );
    assert.ok(stmt.kind === 'insert');
    assert.equal(stmt.ignore, true);
    assert.equal(stmt.replace, false);
    assert.deepEqual(stmt.columns, ['a', 'b']);
    assert.ok(stmt.source.kind === 'values');
    assert.equal(stmt.source.rows.length, 2);
    assert.equal(first(stmt.onDuplicateKeyUpdate).column.column, 'b');
    const replace = parse('REPLACE INTO t SET a = 1');
    assert.ok(replace.kind === 'insert' && replace.replace && replace.source.kind === 'set');
  });

  it('reads joins and derived tables', () => {
    const stmt = parse(
      'SELECT * FROM a LEFT JOIN (b JOIN c USING (k)) ON a.x = b.x, (SELECT 1) AS d (one)',
    );
    assert.ok(stmt.kind === 'select');
    const [join, derived] = stmt.from ?? [];
    assert.ok(join?.kind === 'join' && join.type === 'left' && join.right.kind === 'join');
    assert.deepEqual(join.right.using, ['k']);
    assert.ok(derived?.kind === 'derived');
    assert.deepEqual(derived.columnAliases, ['one']);
  });

  it('moves a trailing ORDER BY/LIMIT to the set operation', () => {
    const stmt = parse('SELECT a FROM t UNION ALL SELECT b FROM u ORDER BY 1 LIMIT 2');
    assert.ok(stmt.kind === 'setOperation');
    assert.equal(stmt.all, true);
    assert.equal(stmt.orderBy.length, 1);
    assert.ok(stmt.right.kind === 'select' && stmt.right.orderBy.length === 0);
    const intersect = parse('SELECT 1 UNION SELECT 2 INTERSECT SELECT 3');
    assert.ok(intersect.kind === 'setOperation' && intersect.op === 'union');
    assert.ok(intersect.right.kind === 'setOperation' && intersect.right.op === 'intersect');
  });

  it('numbers placeholders in source order, LIMIT included', () => {
    const stmt = parse('SELECT ? FROM t WHERE a = ? LIMIT ?, ?');
    assert.ok(stmt.kind === 'select');
    assert.deepEqual(withoutPositions(stmt.limit), {
      count: { kind: 'param', index: 3 },
      offset: { kind: 'param', index: 2 },
    });
  });

  it('reads SHOW, cluster and account statements', () => {
    assert.deepEqual(withoutPositions(parse("SHOW FULL COLUMNS FROM t FROM db LIKE 'a%'")), {
      kind: 'show',
      what: 'columns',
      full: true,
      table: { database: 'db', name: 't' },
      like: 'a%',
    });
    assert.deepEqual(withoutPositions(parse("ADD LEAF root:'pw'@'10.0.0.5':3307")), {
      kind: 'addLeaf',
      user: 'root',
      password: 'pw',
      host: '10.0.0.5',
      port: 3307,
    });
    assert.deepEqual(withoutPositions(parse("REMOVE LEAF '10.0.0.5':3307")), {
      kind: 'removeLeaf',
      host: '10.0.0.5',
      port: 3307,
    });
    const grant = parse("GRANT SELECT, INSERT ON app.* TO 'u'@'%' WITH GRANT OPTION");
    assert.ok(grant.kind === 'grant');
    assert.deepEqual(grant.on, { database: 'app', table: '*' });
    assert.deepEqual(grant.to, [{ user: { user: 'u', host: '%' } }]);
    assert.equal(grant.withGrantOption, true);
    assert.deepEqual(withoutPositions(parse('KILL QUERY 7')), {
      kind: 'kill',
      target: 'query',
      id: { kind: 'literal', type: 'int', value: 7, raw: '7' },
    });
  });

  it('keeps very long AND/OR chains shallow', () => {
    const terms = Array.from({ length: 5000 }, (_, index) => `a = ${index}`);
    const stmt = parse(`SELECT 1 FROM t WHERE ${terms.join(' OR ')}`);
    assert.ok(stmt.kind === 'select' && stmt.where !== undefined);
    let depth = 0;
    for (let node: Expr = stmt.where; node.kind === 'binary' && node.op === 'OR'; node = node.left)
      depth++;
    assert.ok(depth < 20, `depth ${depth}`);
    assert.equal(formatStatement(parse(formatStatement(stmt))), formatStatement(stmt));
  });
});
