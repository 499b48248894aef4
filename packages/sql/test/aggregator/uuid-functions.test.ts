/**
 * MySQL 8's IS_UUID, UUID_TO_BIN and BIN_TO_UUID on both storages, with the values of MySQL's
 * reference (MariaDB has none of them): UUIDs kept as BINARY(16) keys, swapped for time order.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const UUID = '6ccd780c-baba-1026-9564-5b8c656024db';

describe('UUID functions', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE uuids PARTITIONS 3');
    await db.query('USE uuids');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  async function row(sql: string, params: unknown[] = []): Promise<unknown[]> {
    const [rows] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true }, params);
    return rows[0] as unknown[];
  }

  it('converts between the text and the binary forms, swapped or not', async () => {
    assert.deepEqual(
      await row(
        `SELECT IS_UUID(?), IS_UUID('{${UUID}}'), IS_UUID(REPLACE(?, '-', '')), IS_UUID('${UUID.slice(1)}'), IS_UUID(NULL)`,
        [UUID, UUID],
      ),
      [1, 1, 1, 0, null],
    );
    assert.deepEqual(
      await row(
        'SELECT HEX(UUID_TO_BIN(?)), HEX(UUID_TO_BIN(?, 1)), BIN_TO_UUID(UUID_TO_BIN(?, 1), 1), BIN_TO_UUID(UUID_TO_BIN(?, 1)), UUID_TO_BIN(NULL), BIN_TO_UUID(NULL)',
        [UUID, UUID, UUID, UUID],
      ),
      [
        '6CCD780CBABA102695645B8C656024DB',
        '1026BABA6CCD780C95645B8C656024DB',
        UUID,
        '1026baba-6ccd-780c-9564-5b8c656024db',
        null,
        null,
      ],
    );
  });

  for (const kind of ['', 'ROWSTORE']) {
    it(`keys a ${kind || 'COLUMNSTORE'} table by BINARY(16) UUIDs`, async () => {
      const table = `keys_${kind.toLowerCase() || 'column'}`;
      await db.query(`CREATE ${kind} TABLE ${table} (id BINARY(16) PRIMARY KEY, n INT)`);
      await db.query(
        `INSERT INTO ${table} VALUES (UUID_TO_BIN(?, 1), 1), (UUID_TO_BIN(UUID(), 1), 2), (UUID_TO_BIN(UUID()), 3)`,
        [UUID],
      );
      assert.deepEqual(
        await row(`SELECT BIN_TO_UUID(id, 1), n FROM ${table} WHERE id = UUID_TO_BIN(?, 1)`, [
          UUID,
        ]),
        [UUID, 1],
      );
      assert.deepEqual(await row(`SELECT COUNT(*), SUM(IS_UUID(BIN_TO_UUID(id))) FROM ${table}`), [
        3,
        '3',
      ]);
    });
  }

  it('answers 1411 to a value that is no UUID', async () => {
    await assert.rejects(db.query("SELECT UUID_TO_BIN('nope')"), {
      errno: 1411,
      message: "Incorrect string value: 'nope' for function uuid_to_bin",
    });
    await assert.rejects(db.query("SELECT BIN_TO_UUID('abc')"), {
      errno: 1411,
      message: "Incorrect string value: 'abc' for function bin_to_uuid",
    });
  });
});
