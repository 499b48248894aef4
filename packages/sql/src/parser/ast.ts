/**
 * The syntax tree of the data plane's MySQL dialect (with SingleStore DDL). Plain readonly data,
 * JSON-serializable except bigint literals; every node has a `kind` discriminator and an
 * optional `pos` (source offset). Changes are additive only: new kinds and optional fields.
 */
import type {
  AddLeafStatement,
  AlterUserStatement,
  BeginStatement,
  CommitStatement,
  CreateUserStatement,
  DeallocatePrepareStatement,
  DescribeStatement,
  DoStatement,
  ExecuteStatement,
  DropUserStatement,
  ExplainStatement,
  FlushStatement,
  GrantStatement,
  KillStatement,
  LockTablesStatement,
  PrepareStatement,
  RebalancePartitionsStatement,
  ReleaseSavepointStatement,
  RemoveLeafStatement,
  RevokeStatement,
  RollbackStatement,
  SavepointStatement,
  SetCharsetStatement,
  SetNamesStatement,
  SetPasswordStatement,
  SetStatement,
  SetTransactionStatement,
  ShowStatement,
  TableMaintenanceStatement,
  UnlockTablesStatement,
  UseStatement,
} from './ast-admin.js';
import type {
  AlterTableStatement,
  CreateDatabaseStatement,
  CreateIndexStatement,
  CreateTableStatement,
  CreateViewStatement,
  DropDatabaseStatement,
  DropIndexStatement,
  DropTableStatement,
  DropViewStatement,
  RenameTableStatement,
  TruncateTableStatement,
} from './ast-ddl.js';
import type {
  DeleteStatement,
  InsertStatement,
  LoadDataStatement,
  UpdateStatement,
} from './ast-dml.js';
import type { Query } from './ast-query.js';

export type * from './ast-expr.js';
export type * from './ast-query.js';
export type * from './ast-dml.js';
export type * from './ast-ddl.js';
export type * from './ast-admin.js';

export type Statement =
  | Query
  | InsertStatement
  | UpdateStatement
  | DeleteStatement
  | LoadDataStatement
  | CreateDatabaseStatement
  | DropDatabaseStatement
  | CreateTableStatement
  | DropTableStatement
  | TruncateTableStatement
  | AlterTableStatement
  | CreateIndexStatement
  | DropIndexStatement
  | RenameTableStatement
  | CreateViewStatement
  | DropViewStatement
  | UseStatement
  | SetStatement
  | SetNamesStatement
  | SetCharsetStatement
  | SetTransactionStatement
  | SetPasswordStatement
  | BeginStatement
  | CommitStatement
  | RollbackStatement
  | SavepointStatement
  | ReleaseSavepointStatement
  | ShowStatement
  | DescribeStatement
  | ExplainStatement
  | KillStatement
  | CreateUserStatement
  | DropUserStatement
  | AlterUserStatement
  | GrantStatement
  | RevokeStatement
  | AddLeafStatement
  | RemoveLeafStatement
  | RebalancePartitionsStatement
  | FlushStatement
  | DoStatement
  | PrepareStatement
  | ExecuteStatement
  | DeallocatePrepareStatement
  | LockTablesStatement
  | UnlockTablesStatement
  | TableMaintenanceStatement;

export type StatementKind = Statement['kind'];
