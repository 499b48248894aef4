/**
 * SHOW statements and information_schema as MariaDB 10.11 answers them, rows and column
 * definitions, on a columnstore and a rowstore table of the same shape. Every expected answer
 * was taken from MariaDB through mysql2 (the throwaway server of bench/sql) over the same
 * tables; where this server answers otherwise on purpose (docs/sql-types.md), the test says so
 * next to the value. A field is written `name|orgName|db|orgTable|type|charset|length|decimals|flags`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createConnection,
  type Connection,
  type FieldPacket,
  type RowDataPacket,
} from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const COLUMNS = `(
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, email VARCHAR(191) NOT NULL,
  tenant INT NOT NULL DEFAULT 0, name VARCHAR(100) NULL DEFAULT 'anon' COMMENT 'display name',
  bio TEXT, score DECIMAL(10,2) NOT NULL DEFAULT 0.00, ratio DOUBLE, f FLOAT,
  active TINYINT(1) NOT NULL DEFAULT 1, ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT,
  siu SMALLINT UNSIGNED, mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT,
  born DATE, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME(3) NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  t TIME, y YEAR, c CHAR(10), bin BINARY(16), vb VARBINARY(200), bl BLOB, mt MEDIUMTEXT,
  lt LONGTEXT, st ENUM('new','old') NOT NULL DEFAULT 'new', tags SET('a','b'), doc JSON, bits BIT(8),
  PRIMARY KEY (id), UNIQUE KEY uq_email_tenant (email, id), KEY idx_name (name),
  KEY idx_tenant_born (tenant, born)
) COMMENT='customer table'`;

const PRIVILEGES = 'select,insert,update,references';

/**
 * MariaDB's information_schema.COLUMNS rows of the table (from COLUMN_NAME on). Two columns
 * stay as this server answers: COLUMN_DEFAULT is unquoted with no default NULL (MySQL 8's form,
 * which ORMs read right from a server whose version is 8.0.35; MariaDB writes 'anon' and 'NULL'),
 * and JSON is `json` (MariaDB: longtext, utf8mb4_bin); SRS_ID (MySQL 8) follows MariaDB's columns.
 */
// prettier-ignore
const INFORMATION_COLUMNS = [
  ['id', '1', null, 'NO', 'bigint', null, null, '20', '0', null, null, null, 'bigint(20) unsigned', 'PRI', 'auto_increment'],
  ['email', '2', null, 'NO', 'varchar', '191', '764', null, null, null, 'utf8mb4', 'utf8mb4_general_ci', 'varchar(191)', 'MUL', ''],
  ['tenant', '3', '0', 'NO', 'int', null, null, '10', '0', null, null, null, 'int(11)', 'MUL', ''],
  ['name', '4', 'anon', 'YES', 'varchar', '100', '400', null, null, null, 'utf8mb4', 'utf8mb4_general_ci', 'varchar(100)', 'MUL', ''],
  ['bio', '5', null, 'YES', 'text', '65535', '65535', null, null, null, 'utf8mb4', 'utf8mb4_general_ci', 'text', '', ''],
  ['score', '6', '0.00', 'NO', 'decimal', null, null, '10', '2', null, null, null, 'decimal(10,2)', '', ''],
  ['ratio', '7', null, 'YES', 'double', null, null, '22', null, null, null, null, 'double', '', ''],
  ['f', '8', null, 'YES', 'float', null, null, '12', null, null, null, null, 'float', '', ''],
  ['active', '9', '1', 'NO', 'tinyint', null, null, '3', '0', null, null, null, 'tinyint(1)', '', ''],
  ['ti', '10', null, 'YES', 'tinyint', null, null, '3', '0', null, null, null, 'tinyint(4)', '', ''],
  ['tiu', '11', null, 'YES', 'tinyint', null, null, '3', '0', null, null, null, 'tinyint(3) unsigned', '', ''],
  ['si', '12', null, 'YES', 'smallint', null, null, '5', '0', null, null, null, 'smallint(6)', '', ''],
  ['siu', '13', null, 'YES', 'smallint', null, null, '5', '0', null, null, null, 'smallint(5) unsigned', '', ''],
  ['mi', '14', null, 'YES', 'mediumint', null, null, '7', '0', null, null, null, 'mediumint(9)', '', ''],
  ['miu', '15', null, 'YES', 'mediumint', null, null, '8', '0', null, null, null, 'mediumint(8) unsigned', '', ''],
  ['i', '16', null, 'YES', 'int', null, null, '10', '0', null, null, null, 'int(11)', '', ''],
  ['iu', '17', null, 'YES', 'int', null, null, '10', '0', null, null, null, 'int(10) unsigned', '', ''],
  ['bi', '18', null, 'YES', 'bigint', null, null, '19', '0', null, null, null, 'bigint(20)', '', ''],
  ['born', '19', null, 'YES', 'date', null, null, null, null, null, null, null, 'date', '', ''],
  ['created_at', '20', 'current_timestamp()', 'NO', 'timestamp', null, null, null, null, '0', null, null, 'timestamp', '', ''],
  ['updated_at', '21', 'current_timestamp(3)', 'YES', 'datetime', null, null, null, null, '3', null, null, 'datetime(3)', '', 'on update current_timestamp(3)'],
  ['t', '22', null, 'YES', 'time', null, null, null, null, '0', null, null, 'time', '', ''],
  ['y', '23', null, 'YES', 'year', null, null, null, null, null, null, null, 'year(4)', '', ''],
  ['c', '24', null, 'YES', 'char', '10', '40', null, null, null, 'utf8mb4', 'utf8mb4_general_ci', 'char(10)', '', ''],
  ['bin', '25', null, 'YES', 'binary', '16', '16', null, null, null, null, null, 'binary(16)', '', ''],
  ['vb', '26', null, 'YES', 'varbinary', '200', '200', null, null, null, null, null, 'varbinary(200)', '', ''],
  ['bl', '27', null, 'YES', 'blob', '65535', '65535', null, null, null, null, null, 'blob', '', ''],
  ['mt', '28', null, 'YES', 'mediumtext', '16777215', '16777215', null, null, null, 'utf8mb4', 'utf8mb4_general_ci', 'mediumtext', '', ''],
  ['lt', '29', null, 'YES', 'longtext', '4294967295', '4294967295', null, null, null, 'utf8mb4', 'utf8mb4_general_ci', 'longtext', '', ''],
  ['st', '30', 'new', 'NO', 'enum', '3', '12', null, null, null, 'utf8mb4', 'utf8mb4_general_ci', "enum('new','old')", '', ''],
  ['tags', '31', null, 'YES', 'set', '3', '12', null, null, null, 'utf8mb4', 'utf8mb4_general_ci', "set('a','b')", '', ''],
  ['doc', '32', null, 'YES', 'json', null, null, null, null, null, null, null, 'json', '', ''],
  ['bits', '33', null, 'YES', 'bit', null, null, '8', null, null, null, null, 'bit(8)', '', ''],
];

/** information_schema.COLUMNS's definitions (MariaDB's 22 columns, then MySQL 8's SRS_ID). */
const COLUMNS_FIELDS = [
  'TABLE_CATALOG|TABLE_CATALOG|information_schema|COLUMNS|253|33|1536|0|4097',
  'TABLE_SCHEMA|TABLE_SCHEMA|information_schema|COLUMNS|253|33|192|0|4097',
  'TABLE_NAME|TABLE_NAME|information_schema|COLUMNS|253|33|192|0|4097',
  'COLUMN_NAME|COLUMN_NAME|information_schema|COLUMNS|253|33|192|0|4097',
  'ORDINAL_POSITION|ORDINAL_POSITION|information_schema|COLUMNS|8|63|21|0|4129',
  'COLUMN_DEFAULT|COLUMN_DEFAULT|information_schema|COLUMNS|252|33|589788|0|4112',
  'IS_NULLABLE|IS_NULLABLE|information_schema|COLUMNS|253|33|9|0|4097',
  'DATA_TYPE|DATA_TYPE|information_schema|COLUMNS|253|33|192|0|4097',
  'CHARACTER_MAXIMUM_LENGTH|CHARACTER_MAXIMUM_LENGTH|information_schema|COLUMNS|8|63|21|0|4128',
  'CHARACTER_OCTET_LENGTH|CHARACTER_OCTET_LENGTH|information_schema|COLUMNS|8|63|21|0|4128',
  'NUMERIC_PRECISION|NUMERIC_PRECISION|information_schema|COLUMNS|8|63|21|0|4128',
  'NUMERIC_SCALE|NUMERIC_SCALE|information_schema|COLUMNS|8|63|21|0|4128',
  'DATETIME_PRECISION|DATETIME_PRECISION|information_schema|COLUMNS|8|63|21|0|4128',
  'CHARACTER_SET_NAME|CHARACTER_SET_NAME|information_schema|COLUMNS|253|33|96|0|4096',
  'COLLATION_NAME|COLLATION_NAME|information_schema|COLUMNS|253|33|192|0|4096',
  'COLUMN_TYPE|COLUMN_TYPE|information_schema|COLUMNS|252|33|589815|0|4113',
  'COLUMN_KEY|COLUMN_KEY|information_schema|COLUMNS|253|33|9|0|4097',
  'EXTRA|EXTRA|information_schema|COLUMNS|253|33|240|0|4097',
  'PRIVILEGES|PRIVILEGES|information_schema|COLUMNS|253|33|240|0|4097',
  'COLUMN_COMMENT|COLUMN_COMMENT|information_schema|COLUMNS|253|33|3072|0|4097',
  'IS_GENERATED|IS_GENERATED|information_schema|COLUMNS|253|33|18|0|4097',
  'GENERATION_EXPRESSION|GENERATION_EXPRESSION|information_schema|COLUMNS|252|33|589788|0|4112',
  'SRS_ID|SRS_ID|information_schema|COLUMNS|3|63|10|0|4128',
];

const SHOW_FULL_COLUMNS_FIELDS = [
  'Field|COLUMN_NAME|information_schema|COLUMNS|253|33|192|0|4097',
  'Type|COLUMN_TYPE|information_schema|COLUMNS|252|33|589815|0|4113',
  'Collation|COLLATION_NAME|information_schema|COLUMNS|253|33|192|0|4096',
  'Null|IS_NULLABLE|information_schema|COLUMNS|253|33|9|0|4097',
  'Key|COLUMN_KEY|information_schema|COLUMNS|253|33|9|0|4097',
  'Default|COLUMN_DEFAULT|information_schema|COLUMNS|252|33|589788|0|4112',
  'Extra|EXTRA|information_schema|COLUMNS|253|33|240|0|4097',
  'Privileges|PRIVILEGES|information_schema|COLUMNS|253|33|240|0|4097',
  'Comment|COLUMN_COMMENT|information_schema|COLUMNS|253|33|3072|0|4097',
];

const SHOW_INDEX_FIELDS = [
  'Table|TABLE_NAME|information_schema|STATISTICS|253|33|192|0|4097',
  'Non_unique|NON_UNIQUE|information_schema|STATISTICS|8|63|1|0|4097',
  'Key_name|INDEX_NAME|information_schema|STATISTICS|253|33|192|0|4097',
  'Seq_in_index|SEQ_IN_INDEX|information_schema|STATISTICS|3|63|2|0|4129',
  'Column_name|COLUMN_NAME|information_schema|STATISTICS|253|33|192|0|4097',
  'Collation|COLLATION|information_schema|STATISTICS|253|33|3|0|4096',
  'Cardinality|CARDINALITY|information_schema|STATISTICS|8|63|21|0|4096',
  'Sub_part|SUB_PART|information_schema|STATISTICS|8|63|3|0|4096',
  'Packed|PACKED|information_schema|STATISTICS|253|33|30|0|4096',
  'Null|NULLABLE|information_schema|STATISTICS|253|33|9|0|4097',
  'Index_type|INDEX_TYPE|information_schema|STATISTICS|253|33|48|0|4097',
  'Comment|COMMENT|information_schema|STATISTICS|253|33|48|0|4096',
  'Index_comment|INDEX_COMMENT|information_schema|STATISTICS|253|33|3072|0|4097',
  'Ignored|IGNORED|information_schema|STATISTICS|253|33|9|0|4097',
];

/** SHOW INDEX rows after the table name. */
// prettier-ignore
const INDEX_ROWS = [
  ['0', 'PRIMARY', '1', 'id', 'A', '0', null, null, '', 'BTREE', '', '', 'NO'],
  ['0', 'uq_email_tenant', '1', 'email', 'A', '0', null, null, '', 'BTREE', '', '', 'NO'],
  ['0', 'uq_email_tenant', '2', 'id', 'A', '0', null, null, '', 'BTREE', '', '', 'NO'],
  ['1', 'idx_name', '1', 'name', 'A', '0', null, null, 'YES', 'BTREE', '', '', 'NO'],
  ['1', 'idx_tenant_born', '1', 'tenant', 'A', '0', null, null, '', 'BTREE', '', '', 'NO'],
  ['1', 'idx_tenant_born', '2', 'born', 'A', '0', null, null, 'YES', 'BTREE', '', '', 'NO'],
];

function describeField(field: FieldPacket): string {
  const { name, orgName, db, orgTable, columnType, characterSet, columnLength, decimals, flags } =
    field as FieldPacket & { columnType: number; characterSet: number; columnLength: number };
  return `${name}|${orgName}|${db}|${orgTable}|${columnType}|${characterSet}|${columnLength}|${decimals}|${String(flags)}`;
}

describe('metadata and introspection answered as MariaDB does', () => {
  let cluster: SqlCluster;
  /** Asks for utf8mb3 results, as the `mariadb` client does. */
  let utf8mb3: Connection;
  let utf8mb4: Connection;

  const answer = async (
    db: Connection,
    sql: string,
  ): Promise<{ rows: unknown[][]; fields: string[] }> => {
    const [rows, fields] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
    return { rows, fields: fields.map(describeField) };
  };

  before(async () => {
    cluster = await startSqlCluster();
    const open = (charset: string): Promise<Connection> =>
      createConnection({
        host: '127.0.0.1',
        port: cluster.port,
        user: 'root',
        charset,
        typeCast: (field) => field.string('utf8'),
      });
    utf8mb3 = await open('UTF8_GENERAL_CI');
    // mysql2's own default, labelled 224 by MariaDB.
    utf8mb4 = await open('UTF8MB4_UNICODE_CI');
    await utf8mb3.query('CREATE DATABASE meta');
    await utf8mb3.query('USE meta');
    await utf8mb4.query('USE meta');
    await utf8mb3.query(`CREATE TABLE people ${COLUMNS}`);
    await utf8mb3.query(`CREATE ROWSTORE TABLE people_rs ${COLUMNS}`);
  });

  after(async () => {
    await utf8mb3.end();
    await utf8mb4.end();
    await cluster.close();
  });

  it('defines SHOW WARNINGS and SHOW ERRORS columns in the client character set', async () => {
    await utf8mb3.query('SELECT 1/0');
    const warnings = await answer(utf8mb3, 'SHOW WARNINGS');
    assert.deepEqual(warnings.fields, [
      'Level||||253|33|21|39|1',
      'Code||||3|63|4|0|161',
      'Message||||253|33|1536|39|1',
    ]);
    assert.deepEqual(warnings.rows, [['Warning', '1365', 'Division by 0']]);
    assert.deepEqual((await answer(utf8mb3, 'SHOW ERRORS')).fields, warnings.fields);
    assert.deepEqual((await answer(utf8mb4, 'SHOW WARNINGS')).fields, [
      'Level||||253|224|28|39|1',
      'Code||||3|63|4|0|161',
      'Message||||253|224|2048|39|1',
    ]);
    assert.deepEqual((await answer(utf8mb3, 'SHOW COUNT(*) WARNINGS')).fields, [
      '@@session.warning_count||||8|63|21|0|160',
    ]);
    assert.deepEqual((await answer(utf8mb3, "SHOW VARIABLES LIKE 'character_set_results'")).rows, [
      ['character_set_results', 'utf8mb3'],
    ]);
  });

  for (const table of ['people', 'people_rs']) {
    it(`answers information_schema.COLUMNS with MariaDB's values and definitions (${table})`, async () => {
      const columns = await answer(
        utf8mb3,
        `SELECT * FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'meta' AND TABLE_NAME = '${table}' ORDER BY ORDINAL_POSITION`,
      );
      assert.deepEqual(columns.fields, COLUMNS_FIELDS);
      const comments = new Map([['name', 'display name']]);
      assert.deepEqual(
        columns.rows,
        INFORMATION_COLUMNS.map((row) => [
          'def',
          'meta',
          table,
          ...row,
          PRIVILEGES,
          comments.get(String(row[0])) ?? '',
          'NEVER',
          null,
          null,
        ]),
      );
    });

    it(`answers SHOW FULL COLUMNS and SHOW INDEX as MariaDB (${table})`, async () => {
      const columns = await answer(utf8mb3, `SHOW FULL COLUMNS FROM ${table}`);
      assert.deepEqual(columns.fields, SHOW_FULL_COLUMNS_FIELDS);
      assert.deepEqual(
        columns.rows,
        INFORMATION_COLUMNS.map((row) => [
          row[0],
          row[12],
          row[11],
          row[3],
          row[13],
          row[2],
          row[14],
          PRIVILEGES,
          row[0] === 'name' ? 'display name' : '',
        ]),
      );
      const described = await answer(utf8mb3, `DESCRIBE ${table} 'b%'`);
      assert.deepEqual(described.rows, [
        ['bio', 'text', 'YES', '', null, ''],
        ['bi', 'bigint(20)', 'YES', '', null, ''],
        ['born', 'date', 'YES', '', null, ''],
        ['bin', 'binary(16)', 'YES', '', null, ''],
        ['bl', 'blob', 'YES', '', null, ''],
        ['bits', 'bit(8)', 'YES', '', null, ''],
      ]);
      const index = await answer(utf8mb3, `SHOW INDEX FROM ${table}`);
      assert.deepEqual(index.fields, SHOW_INDEX_FIELDS);
      assert.deepEqual(
        index.rows,
        INDEX_ROWS.map((row) => [table, ...row]),
      );
      assert.deepEqual((await answer(utf8mb3, `SHOW KEYS FROM ${table}`)).rows, index.rows);
    });
  }

  for (const kind of ['', 'ROWSTORE']) {
    it(`reads string defaults with quotes and backslashes back as MariaDB (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `quoted_${kind.toLowerCase() || 'columnstore'}`;
      await utf8mb3.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, c VARCHAR(20) DEFAULT 'it''s', d VARCHAR(10) DEFAULT 'a\\\\b')`,
      );
      await utf8mb3.query(`INSERT INTO ${table} (id) VALUES (1)`);
      await utf8mb3.query(`ALTER TABLE ${table} ADD COLUMN e VARCHAR(10) NOT NULL DEFAULT 'x''y'`);
      await utf8mb3.query(`INSERT INTO ${table} (id) VALUES (2)`);
      assert.deepEqual((await answer(utf8mb3, `SELECT * FROM ${table} ORDER BY id`)).rows, [
        ['1', "it's", 'a\\b', "x'y"],
        ['2', "it's", 'a\\b', "x'y"],
      ]);
      assert.deepEqual(
        (await answer(utf8mb3, `SHOW COLUMNS FROM ${table}`)).rows.map((row) => row[4]),
        [null, "it's", 'a\\b', "x'y"],
      );
      const [[, created]] = (await answer(utf8mb3, `SHOW CREATE TABLE ${table}`)).rows as [
        [string, string],
      ];
      assert.match(created, /`c` varchar\(20\) DEFAULT 'it''s',\n/);
      assert.match(created, /`d` varchar\(10\) DEFAULT 'a\\\\b',\n/);
      assert.match(created, /`e` varchar\(10\) NOT NULL DEFAULT 'x''y',\n/);
      await utf8mb3.query(`DROP TABLE ${table}`);
    });
  }

  it('answers SHOW TABLES, SHOW DATABASES and SHOW CREATE with MariaDB definitions', async () => {
    const tables = await answer(utf8mb3, 'SHOW FULL TABLES');
    assert.deepEqual(tables.fields, [
      'Tables_in_meta|TABLE_NAME|information_schema|TABLE_NAMES|253|33|219|0|4097',
      'Table_type|TABLE_TYPE|information_schema|TABLE_NAMES|253|33|192|0|4097',
    ]);
    assert.deepEqual(tables.rows, [
      ['people', 'BASE TABLE'],
      ['people_rs', 'BASE TABLE'],
    ]);
    assert.deepEqual((await answer(utf8mb3, "SHOW DATABASES LIKE 'meta'")).fields, [
      'Database (meta)|SCHEMA_NAME|information_schema|SCHEMATA|253|33|192|0|4097',
    ]);
    assert.deepEqual((await answer(utf8mb3, 'SHOW CREATE TABLE people')).fields, [
      'Table||||253|33|192|39|1',
      'Create Table||||253|33|3072|39|1',
    ]);
    const autocommit = await answer(utf8mb3, "SHOW VARIABLES LIKE 'autocommit'");
    assert.deepEqual(autocommit.rows, [['autocommit', 'ON']]);
    assert.deepEqual(autocommit.fields, [
      'Variable_name|VARIABLE_NAME|information_schema|SESSION_VARIABLES|253|33|192|0|4097',
      'Value|VARIABLE_VALUE|information_schema|SESSION_VARIABLES|253|33|12288|0|4097',
    ]);
  });

  it('lists a table once in information_schema.PARTITIONS, unpartitioned, as MariaDB', async () => {
    // MariaDB's row but the sizes (InnoDB's 16384 bytes of data and index).
    assert.deepEqual(
      (
        await answer(
          utf8mb3,
          "SELECT TABLE_NAME, PARTITION_NAME, PARTITION_METHOD, TABLE_ROWS, DATA_LENGTH, INDEX_LENGTH, PARTITION_COMMENT, NODEGROUP, TABLESPACE_NAME FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = 'meta' ORDER BY TABLE_NAME",
        )
      ).rows,
      [
        ['people', null, null, '0', '0', '0', '', '', null],
        ['people_rs', null, null, '0', '0', '0', '', '', null],
      ],
    );
  });

  it('describes information_schema itself as MariaDB does', async () => {
    assert.deepEqual(
      (await answer(utf8mb3, "SHOW FULL TABLES FROM information_schema LIKE 'SCHEMATA'")).rows,
      [['SCHEMATA', 'SYSTEM VIEW']],
    );
    // MariaDB's six columns, then MySQL 8's DEFAULT_ENCRYPTION.
    assert.deepEqual((await answer(utf8mb3, 'DESCRIBE information_schema.SCHEMATA')).rows, [
      ['CATALOG_NAME', 'varchar(512)', 'NO', '', null, ''],
      ['SCHEMA_NAME', 'varchar(64)', 'NO', '', null, ''],
      ['DEFAULT_CHARACTER_SET_NAME', 'varchar(32)', 'NO', '', null, ''],
      ['DEFAULT_COLLATION_NAME', 'varchar(64)', 'NO', '', null, ''],
      ['SQL_PATH', 'varchar(512)', 'YES', '', null, ''],
      ['SCHEMA_COMMENT', 'varchar(1024)', 'NO', '', null, ''],
      ['DEFAULT_ENCRYPTION', 'varchar(3)', 'NO', '', null, ''],
    ]);
    const columns = await answer(
      utf8mb3,
      "SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, CHARACTER_OCTET_LENGTH, NUMERIC_PRECISION, CHARACTER_SET_NAME, COLUMN_TYPE, PRIVILEGES FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME = 'PROCESSLIST' AND ORDINAL_POSITION <= 9 ORDER BY ORDINAL_POSITION",
    );
    assert.deepEqual(columns.rows, [
      ['ID', 'bigint', null, null, '19', null, 'bigint(4)', 'select'],
      ['USER', 'varchar', '128', '384', null, 'utf8mb3', 'varchar(128)', 'select'],
      ['HOST', 'varchar', '64', '192', null, 'utf8mb3', 'varchar(64)', 'select'],
      ['DB', 'varchar', '64', '192', null, 'utf8mb3', 'varchar(64)', 'select'],
      ['COMMAND', 'varchar', '16', '48', null, 'utf8mb3', 'varchar(16)', 'select'],
      ['TIME', 'int', null, null, '10', null, 'int(7)', 'select'],
      ['STATE', 'varchar', '64', '192', null, 'utf8mb3', 'varchar(64)', 'select'],
      ['INFO', 'longtext', '4294967295', '4294967295', null, 'utf8mb3', 'longtext', 'select'],
      ['TIME_MS', 'decimal', null, null, '22', null, 'decimal(22,3)', 'select'],
    ]);
  });

  it('answers SHOW about triggers, routines, open tables and the binary log with MariaDB columns', async () => {
    const client = [
      'character_set_client|CHARACTER_SET_CLIENT|information_schema|%|253|33|96|0|4097',
      'collation_connection|COLLATION_CONNECTION|information_schema|%|253|33|192|0|4097',
      'Database Collation|DATABASE_COLLATION|information_schema|%|253|33|192|0|4097',
    ];
    const triggers = await answer(utf8mb3, 'SHOW TRIGGERS');
    assert.deepEqual(triggers.rows, []);
    assert.deepEqual(triggers.fields, [
      'Trigger|TRIGGER_NAME|information_schema|TRIGGERS|253|33|192|0|4097',
      'Event|EVENT_MANIPULATION|information_schema|TRIGGERS|253|33|18|0|4097',
      'Table|EVENT_OBJECT_TABLE|information_schema|TRIGGERS|253|33|192|0|4097',
      'Statement|ACTION_STATEMENT|information_schema|TRIGGERS|252|33|589815|0|4112',
      'Timing|ACTION_TIMING|information_schema|TRIGGERS|253|33|18|0|4097',
      'Created|CREATED|information_schema|TRIGGERS|12|63|22|2|4224',
      'sql_mode|SQL_MODE|information_schema|TRIGGERS|253|33|24576|0|4097',
      'Definer|DEFINER|information_schema|TRIGGERS|253|33|1152|0|4096',
      ...client.map((field) => field.replace('%', 'TRIGGERS')),
    ]);
    assert.deepEqual((await answer(utf8mb3, "SHOW PROCEDURE STATUS WHERE Db = 'meta'")).fields, [
      'Db|ROUTINE_SCHEMA|information_schema|ROUTINES|253|33|192|0|4097',
      'Name|ROUTINE_NAME|information_schema|ROUTINES|253|33|192|0|4097',
      'Type|ROUTINE_TYPE|information_schema|ROUTINES|253|33|39|0|4097',
      'Definer|DEFINER|information_schema|ROUTINES|253|33|1152|0|4097',
      'Modified|LAST_ALTERED|information_schema|ROUTINES|12|63|19|0|4225',
      'Created|CREATED|information_schema|ROUTINES|12|63|19|0|4225',
      'Security_type|SECURITY_TYPE|information_schema|ROUTINES|253|33|21|0|4097',
      'Comment|ROUTINE_COMMENT|information_schema|ROUTINES|252|33|589815|0|4113',
      ...client.map((field) => field.replace('%', 'ROUTINES')),
    ]);
    assert.deepEqual((await answer(utf8mb3, 'SHOW OPEN TABLES')).fields, [
      'Database|Database|information_schema|OPEN_TABLES|253|33|192|0|4097',
      'Table|Table|information_schema|OPEN_TABLES|253|33|192|0|4097',
      'In_use|In_use|information_schema|OPEN_TABLES|8|63|1|0|4097',
      'Name_locked|Name_locked|information_schema|OPEN_TABLES|8|63|4|0|4097',
    ]);
    assert.deepEqual(await answer(utf8mb3, 'SHOW MASTER STATUS'), {
      rows: [],
      fields: [
        'File||||253|33|1536|39|1',
        'Position||||8|63|20|0|161',
        'Binlog_Do_DB||||253|33|765|39|1',
        'Binlog_Ignore_DB||||253|33|765|39|1',
      ],
    });
    // The account as CURRENT_USER() names it and its GRANT line does (MariaDB: root@127.0.0.1,
    // the account that matched the host it connected from).
    const grants = await answer(utf8mb3, 'SHOW GRANTS FOR CURRENT_USER');
    assert.deepEqual(grants.fields, ['Grants for root@localhost||||253|33|3072|39|1']);
    assert.deepEqual(grants, await answer(utf8mb3, 'SHOW GRANTS'));
    // No roles are kept: CURRENT_ROLE is NULL, as in a MariaDB session that set none.
    assert.deepEqual((await answer(utf8mb3, 'SELECT CURRENT_ROLE(), CURRENT_ROLE')).rows, [
      [null, null],
    ]);
  });

  it('keeps MariaDB errors for what does not exist', async () => {
    const refused = async (sql: string): Promise<[unknown, unknown]> => {
      const error = (await utf8mb3.query(sql).then(
        () => undefined,
        (failure: unknown) => failure,
      )) as (Error & { errno?: number }) | undefined;
      assert.ok(error !== undefined, `${sql} was accepted`);
      return [error.errno, error.message];
    };
    assert.deepEqual(await refused('SELECT * FROM information_schema.NOPE'), [
      1109,
      "Unknown table 'NOPE' in information_schema",
    ]);
    assert.deepEqual(await refused('SHOW COLUMNS FROM information_schema.nope'), [
      1109,
      "Unknown table 'nope' in information_schema",
    ]);
    assert.deepEqual(await refused('SHOW COLUMNS FROM nope'), [
      1146,
      "Table 'meta.nope' doesn't exist",
    ]);
    // An unknown function is looked for in the current database, named as written (MariaDB).
    assert.deepEqual(await refused('SELECT NOSUCH(1)'), [
      1305,
      'FUNCTION meta.NOSUCH does not exist',
    ]);
    assert.deepEqual(await refused('SELECT 1 + NoSuch (1)'), [
      1305,
      'FUNCTION meta.NoSuch does not exist',
    ]);
    assert.deepEqual(await refused('SELECT Abs(1, 2)'), [
      1582,
      "Incorrect parameter count in the call to native function 'Abs'",
    ]);
    assert.deepEqual(await refused('SELECT Foo.NOSUCH(1)'), [
      1305,
      'FUNCTION Foo.NOSUCH does not exist',
    ]);
    assert.deepEqual(await refused('SHOW INDEX FROM nope'), [
      1146,
      "Table 'meta.nope' doesn't exist",
    ]);
    assert.deepEqual(await refused('SHOW TABLE STATUS FROM nodb'), [
      1049,
      "Unknown database 'nodb'",
    ]);
    assert.deepEqual(await refused('SET NAMES bogus'), [1115, "Unknown character set: 'bogus'"]);
  });
});
