// The TPC-H schema (v3.0.1 clause 1.4) as data, and its DDL in two forms from one source:
// SingleStore-style (columnstore tables with SHARD KEY and SORT KEY, nation and region as
// REFERENCE tables; lineitem and orders both sharded on the order key so their join is local)
// and plain MySQL/InnoDB (the same columns and primary keys, plus secondary indexes) for MariaDB.

export const tableNames = [
  'region',
  'nation',
  'part',
  'supplier',
  'partsupp',
  'customer',
  'orders',
  'lineitem',
] as const;
export type TableName = (typeof tableNames)[number];

export interface TableDefinition {
  readonly name: TableName;
  /** Column name and SQL type; the type text is valid in MySQL, SingleStore and DuckDB. */
  readonly columns: readonly (readonly [string, string])[];
  readonly primaryKey: readonly string[];
  /** Secondary indexes for the InnoDB form (a columnstore scans instead). */
  readonly indexes: readonly (readonly string[])[];
  /** SHARD KEY columns, or 'reference' for a table copied to every leaf. */
  readonly shard: readonly string[] | 'reference';
  readonly sortKey?: readonly string[];
}

const money = 'DECIMAL(15,2)';

export const tables: readonly TableDefinition[] = [
  {
    name: 'region',
    columns: [
      ['r_regionkey', 'INT NOT NULL'],
      ['r_name', 'CHAR(25) NOT NULL'],
      ['r_comment', 'VARCHAR(152)'],
    ],
    primaryKey: ['r_regionkey'],
    indexes: [],
    shard: 'reference',
  },
  {
    name: 'nation',
    columns: [
      ['n_nationkey', 'INT NOT NULL'],
      ['n_name', 'CHAR(25) NOT NULL'],
      ['n_regionkey', 'INT NOT NULL'],
      ['n_comment', 'VARCHAR(152)'],
    ],
    primaryKey: ['n_nationkey'],
    indexes: [['n_regionkey']],
    shard: 'reference',
  },
  {
    name: 'part',
    columns: [
      ['p_partkey', 'INT NOT NULL'],
      ['p_name', 'VARCHAR(55) NOT NULL'],
      ['p_mfgr', 'CHAR(25) NOT NULL'],
      ['p_brand', 'CHAR(10) NOT NULL'],
      ['p_type', 'VARCHAR(25) NOT NULL'],
      ['p_size', 'INT NOT NULL'],
      ['p_container', 'CHAR(10) NOT NULL'],
      ['p_retailprice', `${money} NOT NULL`],
      ['p_comment', 'VARCHAR(23) NOT NULL'],
    ],
    primaryKey: ['p_partkey'],
    indexes: [],
    shard: ['p_partkey'],
  },
  {
    name: 'supplier',
    columns: [
      ['s_suppkey', 'INT NOT NULL'],
      ['s_name', 'CHAR(25) NOT NULL'],
      ['s_address', 'VARCHAR(40) NOT NULL'],
      ['s_nationkey', 'INT NOT NULL'],
      ['s_phone', 'CHAR(15) NOT NULL'],
      ['s_acctbal', `${money} NOT NULL`],
      ['s_comment', 'VARCHAR(101) NOT NULL'],
    ],
    primaryKey: ['s_suppkey'],
    indexes: [['s_nationkey']],
    shard: ['s_suppkey'],
  },
  {
    name: 'partsupp',
    columns: [
      ['ps_partkey', 'INT NOT NULL'],
      ['ps_suppkey', 'INT NOT NULL'],
      ['ps_availqty', 'INT NOT NULL'],
      ['ps_supplycost', `${money} NOT NULL`],
      ['ps_comment', 'VARCHAR(199) NOT NULL'],
    ],
    primaryKey: ['ps_partkey', 'ps_suppkey'],
    indexes: [['ps_suppkey']],
    shard: ['ps_partkey'],
  },
  {
    name: 'customer',
    columns: [
      ['c_custkey', 'INT NOT NULL'],
      ['c_name', 'VARCHAR(25) NOT NULL'],
      ['c_address', 'VARCHAR(40) NOT NULL'],
      ['c_nationkey', 'INT NOT NULL'],
      ['c_phone', 'CHAR(15) NOT NULL'],
      ['c_acctbal', `${money} NOT NULL`],
      ['c_mktsegment', 'CHAR(10) NOT NULL'],
      ['c_comment', 'VARCHAR(117) NOT NULL'],
    ],
    primaryKey: ['c_custkey'],
    indexes: [['c_nationkey']],
    shard: ['c_custkey'],
  },
  {
    name: 'orders',
    columns: [
      ['o_orderkey', 'BIGINT NOT NULL'],
      ['o_custkey', 'INT NOT NULL'],
      ['o_orderstatus', 'CHAR(1) NOT NULL'],
      ['o_totalprice', `${money} NOT NULL`],
      ['o_orderdate', 'DATE NOT NULL'],
      ['o_orderpriority', 'CHAR(15) NOT NULL'],
      ['o_clerk', 'CHAR(15) NOT NULL'],
      ['o_shippriority', 'INT NOT NULL'],
      ['o_comment', 'VARCHAR(79) NOT NULL'],
    ],
    primaryKey: ['o_orderkey'],
    indexes: [['o_custkey'], ['o_orderdate']],
    shard: ['o_orderkey'],
    sortKey: ['o_orderdate'],
  },
  {
    name: 'lineitem',
    columns: [
      ['l_orderkey', 'BIGINT NOT NULL'],
      ['l_partkey', 'INT NOT NULL'],
      ['l_suppkey', 'INT NOT NULL'],
      ['l_linenumber', 'INT NOT NULL'],
      ['l_quantity', `${money} NOT NULL`],
      ['l_extendedprice', `${money} NOT NULL`],
      ['l_discount', `${money} NOT NULL`],
      ['l_tax', `${money} NOT NULL`],
      ['l_returnflag', 'CHAR(1) NOT NULL'],
      ['l_linestatus', 'CHAR(1) NOT NULL'],
      ['l_shipdate', 'DATE NOT NULL'],
      ['l_commitdate', 'DATE NOT NULL'],
      ['l_receiptdate', 'DATE NOT NULL'],
      ['l_shipinstruct', 'CHAR(25) NOT NULL'],
      ['l_shipmode', 'CHAR(10) NOT NULL'],
      ['l_comment', 'VARCHAR(44) NOT NULL'],
    ],
    primaryKey: ['l_orderkey', 'l_linenumber'],
    indexes: [['l_partkey', 'l_suppkey'], ['l_suppkey'], ['l_shipdate']],
    shard: ['l_orderkey'],
    sortKey: ['l_shipdate'],
  },
];

export type DdlDialect = 'singlestore' | 'mysql' | 'duckdb';

/**
 * CREATE TABLE statements, one per table in `tables` order. 'singlestore' adds the
 * SingleStore-only clauses (REFERENCE, SHARD KEY, SORT KEY) and leaves out secondary indexes;
 * 'mysql' adds secondary indexes and ENGINE=InnoDB; 'duckdb' has columns and primary keys only.
 */
export function tpchDdl(dialect: DdlDialect): string[] {
  return tables.map((table) => {
    const items = table.columns.map(([name, type]) => `  ${name} ${type}`);
    items.push(`  PRIMARY KEY (${table.primaryKey.join(', ')})`);
    if (dialect === 'mysql')
      for (const index of table.indexes) items.push(`  KEY (${index.join(', ')})`);
    if (dialect === 'singlestore' && table.shard !== 'reference') {
      items.push(`  SHARD KEY (${table.shard.join(', ')})`);
      if (table.sortKey) items.push(`  SORT KEY (${table.sortKey.join(', ')})`);
    }
    const kind =
      dialect === 'singlestore' && table.shard === 'reference' ? 'REFERENCE TABLE' : 'TABLE';
    const suffix = dialect === 'mysql' ? ' ENGINE=InnoDB' : '';
    return `CREATE ${kind} ${table.name} (\n${items.join(',\n')}\n)${suffix}`;
  });
}
