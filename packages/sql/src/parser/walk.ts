/**
 * Walking and rewriting syntax trees: the direct children of every expression kind, a
 * pre-order visitor, a bottom-up rewriter, and the tables a statement names.
 */
import type { Expr, InExpr, Query, Statement, TableName, TableRef } from './ast.js';

/** The expressions directly inside `expr` (subqueries are not expressions and are not listed). */
export function exprChildren(expr: Expr): Expr[] {
  switch (expr.kind) {
    case 'literal':
    case 'param':
    case 'column':
    case 'star':
    case 'variable':
    case 'exists':
    case 'subquery':
    case 'quantified':
      return [];
    case 'default':
      return expr.column === undefined ? [] : [expr.column];
    case 'unary':
      return [expr.operand];
    case 'binary':
      return [expr.left, expr.right];
    case 'between':
      return [expr.expr, expr.low, expr.high];
    case 'in':
      return [expr.expr, ...(expr.list ?? [])];
    case 'like':
      return expr.escape === undefined
        ? [expr.expr, expr.pattern]
        : [expr.expr, expr.pattern, expr.escape];
    case 'regexp':
      return [expr.expr, expr.pattern];
    case 'isNull':
    case 'isBool':
    case 'cast':
    case 'convertUsing':
    case 'extract':
    case 'collate':
      return [expr.expr];
    case 'case': {
      const children: Expr[] = expr.operand === undefined ? [] : [expr.operand];
      for (const { when, then } of expr.whens) children.push(when, then);
      if (expr.else !== undefined) children.push(expr.else);
      return children;
    }
    case 'call':
      return [...expr.args, ...(expr.orderBy ?? []).map((item) => item.expr)];
    case 'windowCall':
      return [
        ...expr.args,
        ...expr.over.partitionBy,
        ...expr.over.orderBy.map((item) => item.expr),
      ];
    case 'interval':
      return [expr.value];
    case 'trim':
      return expr.remove === undefined ? [expr.expr] : [expr.remove, expr.expr];
    case 'row':
      return [...expr.items];
    case 'assign':
      return [expr.target, expr.value];
    case 'jsonExtract':
      return [expr.expr, expr.path];
    case 'memberOf':
      return [expr.value, expr.json];
  }
}

/** The items of an IN list, `keys` as integer literals; `undefined` for IN (subquery). */
export function inListItems(expr: InExpr): readonly Expr[] | undefined {
  if (expr.keys === undefined) return expr.list;
  return expr.keys.map((key) => ({ kind: 'literal', type: 'int', value: key, raw: String(key) }));
}

/** The query directly inside a subquery, EXISTS, IN (subquery) or ANY/ALL expression. */
export function exprQuery(expr: Expr): Query | undefined {
  if (
    expr.kind === 'subquery' ||
    expr.kind === 'exists' ||
    expr.kind === 'quantified' ||
    expr.kind === 'in'
  ) {
    return expr.query;
  }
  return undefined;
}

/**
 * Visits `expr` and everything inside it, parents first. Returning false from `visit` skips a
 * node's children. Subqueries are not entered.
 */
export function walkExpr(expr: Expr, visit: (expr: Expr) => boolean | void): void {
  if (visit(expr) === false) return;
  for (const child of exprChildren(expr)) walkExpr(child, visit);
}

/**
 * Rewrites `expr` bottom-up: `rewrite` receives each node with its children already rewritten
 * and returns the node to use (itself when unchanged). Subqueries are left as they are.
 */
export function mapExpr(expr: Expr, rewrite: (expr: Expr) => Expr): Expr {
  const map = (child: Expr): Expr => mapExpr(child, rewrite);
  let result: Expr;
  switch (expr.kind) {
    case 'unary':
      result = { ...expr, operand: map(expr.operand) };
      break;
    case 'binary':
      result = { ...expr, left: map(expr.left), right: map(expr.right) };
      break;
    case 'between':
      result = { ...expr, expr: map(expr.expr), low: map(expr.low), high: map(expr.high) };
      break;
    case 'in':
      result =
        expr.list === undefined
          ? { ...expr, expr: map(expr.expr) }
          : { ...expr, expr: map(expr.expr), list: expr.list.map(map) };
      break;
    case 'like':
      result = { ...expr, expr: map(expr.expr), pattern: map(expr.pattern) };
      if (expr.escape !== undefined) result = { ...result, escape: map(expr.escape) };
      break;
    case 'regexp':
      result = { ...expr, expr: map(expr.expr), pattern: map(expr.pattern) };
      break;
    case 'isNull':
    case 'isBool':
    case 'cast':
    case 'convertUsing':
    case 'extract':
    case 'collate':
      result = { ...expr, expr: map(expr.expr) };
      break;
    case 'case': {
      const whens = expr.whens.map(({ when, then }) => ({ when: map(when), then: map(then) }));
      const mapped = { ...expr, whens };
      if (expr.operand !== undefined) mapped.operand = map(expr.operand);
      if (expr.else !== undefined) mapped.else = map(expr.else);
      result = mapped;
      break;
    }
    case 'call': {
      const mapped = { ...expr, args: expr.args.map(map) };
      if (expr.orderBy !== undefined)
        mapped.orderBy = expr.orderBy.map((item) => ({ ...item, expr: map(item.expr) }));
      result = mapped;
      break;
    }
    case 'windowCall':
      result = {
        ...expr,
        args: expr.args.map(map),
        over: {
          ...expr.over,
          partitionBy: expr.over.partitionBy.map(map),
          orderBy: expr.over.orderBy.map((item) => ({ ...item, expr: map(item.expr) })),
        },
      };
      break;
    case 'interval':
      result = { ...expr, value: map(expr.value) };
      break;
    case 'trim':
      result =
        expr.remove === undefined
          ? { ...expr, expr: map(expr.expr) }
          : { ...expr, remove: map(expr.remove), expr: map(expr.expr) };
      break;
    case 'row':
      result = { ...expr, items: expr.items.map(map) };
      break;
    case 'assign':
      result = { ...expr, value: map(expr.value) };
      break;
    case 'jsonExtract':
      result = { ...expr, expr: map(expr.expr), path: map(expr.path) };
      break;
    case 'memberOf':
      result = { ...expr, value: map(expr.value), json: map(expr.json) };
      break;
    case 'literal':
    case 'param':
    case 'column':
    case 'star':
    case 'variable':
    case 'default':
    case 'exists':
    case 'subquery':
    case 'quantified':
      result = expr;
  }
  return rewrite(result);
}

/** Every table a statement names (FROM lists, joins, subqueries, DML and DDL targets), each once. */
export function collectTables(stmt: Statement): TableName[] {
  const collector = new TableCollector();
  collector.statement(stmt);
  return collector.result();
}

class TableCollector {
  private readonly tables = new Map<string, TableName>();
  private readonly cteNames = new Set<string>();

  result(): TableName[] {
    return [...this.tables.values()].filter(
      (table) => table.database !== undefined || !this.cteNames.has(table.name),
    );
  }

  add(table: TableName): void {
    const key = `${table.database ?? ''}\u0000${table.name}`;
    if (!this.tables.has(key)) {
      this.tables.set(
        key,
        table.database === undefined
          ? { name: table.name }
          : { database: table.database, name: table.name },
      );
    }
  }

  expr(expr: Expr | undefined): void {
    if (expr === undefined) return;
    walkExpr(expr, (node) => {
      const query = exprQuery(node);
      if (query !== undefined) this.query(query);
    });
  }

  query(query: Query): void {
    switch (query.kind) {
      case 'select':
        for (const item of query.columns) this.expr(item.expr);
        for (const ref of query.from ?? []) this.tableRef(ref);
        this.expr(query.where);
        for (const expr of query.groupBy) this.expr(expr);
        this.expr(query.having);
        for (const item of query.orderBy) this.expr(item.expr);
        return;
      case 'setOperation':
        this.query(query.left);
        this.query(query.right);
        return;
      case 'with':
        for (const cte of query.ctes) {
          this.cteNames.add(cte.name);
          this.query(cte.query);
        }
        this.query(query.query);
        return;
    }
  }

  tableRef(ref: TableRef): void {
    switch (ref.kind) {
      case 'table':
        this.add(ref);
        return;
      case 'derived':
        this.query(ref.query);
        return;
      case 'join':
        this.tableRef(ref.left);
        this.tableRef(ref.right);
        this.expr(ref.on);
        return;
    }
  }

  statement(stmt: Statement): void {
    switch (stmt.kind) {
      case 'select':
      case 'setOperation':
      case 'with':
        this.query(stmt);
        return;
      case 'insert':
        this.add(stmt.table);
        if (stmt.source.kind === 'query') this.query(stmt.source.query);
        else if (stmt.source.kind === 'values')
          for (const row of stmt.source.rows) for (const expr of row) this.expr(expr);
        else if (stmt.source.kind === 'set')
          for (const assignment of stmt.source.assignments) this.expr(assignment.value);
        for (const assignment of stmt.onDuplicateKeyUpdate ?? []) this.expr(assignment.value);
        for (const item of stmt.returning ?? []) this.expr(item.expr);
        return;
      case 'update':
        for (const ref of stmt.tables) this.tableRef(ref);
        for (const assignment of stmt.set) this.expr(assignment.value);
        this.expr(stmt.where);
        return;
      case 'delete':
        for (const ref of stmt.from) this.tableRef(ref);
        this.expr(stmt.where);
        for (const item of stmt.returning ?? []) this.expr(item.expr);
        return;
      case 'loadData':
      case 'truncateTable':
      case 'alterTable':
      case 'createIndex':
      case 'dropIndex':
      case 'describe':
        this.add(stmt.table);
        return;
      case 'createTable':
        this.add(stmt);
        if (stmt.like !== undefined) this.add(stmt.like);
        if (stmt.asSelect !== undefined) this.query(stmt.asSelect);
        return;
      case 'dropTable':
      case 'analyzeTable':
      case 'optimizeTable':
      case 'checkTable':
      case 'repairTable':
        for (const table of stmt.tables) this.add(table);
        return;
      case 'renameTable':
        for (const rename of stmt.renames) {
          this.add(rename.from);
          this.add(rename.to);
        }
        return;
      case 'createView':
        this.add(stmt.view);
        this.query(stmt.query);
        return;
      case 'dropView':
        for (const view of stmt.views) this.add(view);
        return;
      case 'lockTables':
        for (const entry of stmt.tables) this.add(entry.table);
        return;
      case 'show':
        if (stmt.table !== undefined) this.add(stmt.table);
        return;
      case 'explain':
        this.statement(stmt.statement);
        return;
      case 'addLeaf':
      case 'alterUser':
      case 'begin':
      case 'commit':
      case 'createDatabase':
      case 'createUser':
      case 'do':
      case 'prepare':
      case 'execute':
      case 'deallocatePrepare':
      case 'dropDatabase':
      case 'dropUser':
      case 'flush':
      case 'grant':
      case 'kill':
      case 'rebalancePartitions':
      case 'releaseSavepoint':
      case 'removeLeaf':
      case 'revoke':
      case 'rollback':
      case 'savepoint':
      case 'set':
      case 'setCharset':
      case 'setNames':
      case 'setPassword':
      case 'setTransaction':
      case 'unlockTables':
      case 'use':
        return;
    }
  }
}
