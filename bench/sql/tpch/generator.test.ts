// The TPC-H generator at SF 0.01: same bytes every time, row counts and key integrity as the
// specification demands (v3.0.1 clause 4.2), and the 22 queries answering on DuckDB.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { ensureTpchData, generateTpch, type TpchData } from './generate.js';
import { tpchQueries } from './queries.js';
import { duckdbResult, loadDuckdb } from './run-duckdb.js';
import { tableNames } from './schema.js';

const sf = 0.01;

describe('TPC-H generator at SF 0.01', () => {
  let root: string;
  let data: TpchData;
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'exo-tpch-'));
    data = await ensureTpchData({ sf, root });
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await loadDuckdb(connection, data);
  });

  after(async () => {
    connection.closeSync();
    instance.closeSync();
    await rm(root, { recursive: true, force: true });
  });

  async function scalar(sql: string): Promise<number> {
    const result = await duckdbResult(connection, sql);
    return Number(result.rows[0]?.[0]);
  }

  it('writes the same bytes on every run', async () => {
    const again = await mkdtemp(join(tmpdir(), 'exo-tpch-again-'));
    try {
      await generateTpch(sf, again, 2);
      for (const name of tableNames) {
        const digest = (path: string): string =>
          createHash('sha256').update(readFileSync(path)).digest('hex');
        assert.equal(digest(join(again, `${name}.tbl`)), digest(data.files[name]), name);
      }
    } finally {
      await rm(again, { recursive: true, force: true });
    }
  });

  it('has the row counts of clause 4.2.5', async () => {
    const expected = {
      region: 5,
      nation: 25,
      part: 2000,
      partsupp: 8000,
      supplier: 100,
      customer: 1500,
      orders: 15000,
    };
    for (const [name, count] of Object.entries(expected)) {
      assert.equal(data.rowCounts[name as keyof typeof expected], count, name);
      assert.equal(await scalar(`select count(*) from ${name}`), count, name);
    }
    // 1 to 7 lines per order: about 4 × 15,000.
    const lines = await scalar('select count(*) from lineitem');
    assert.ok(lines > 58_000 && lines < 62_000, `lineitem has ${lines} rows`);
  });

  it('keeps every foreign key inside its parent table', async () => {
    const orphans: Record<string, string> = {
      'lineitem → orders':
        'select count(*) from lineitem where l_orderkey not in (select o_orderkey from orders)',
      'orders → lineitem':
        'select count(*) from orders where o_orderkey not in (select l_orderkey from lineitem)',
      'lineitem → partsupp':
        'select count(*) from lineitem left join partsupp on l_partkey = ps_partkey and l_suppkey = ps_suppkey where ps_partkey is null',
      'partsupp → part':
        'select count(*) from partsupp where ps_partkey not in (select p_partkey from part)',
      'partsupp → supplier':
        'select count(*) from partsupp where ps_suppkey not in (select s_suppkey from supplier)',
      'orders → customer':
        'select count(*) from orders where o_custkey not in (select c_custkey from customer)',
      'customer → nation':
        'select count(*) from customer where c_nationkey not in (select n_nationkey from nation)',
      'supplier → nation':
        'select count(*) from supplier where s_nationkey not in (select n_nationkey from nation)',
      'nation → region':
        'select count(*) from nation where n_regionkey not in (select r_regionkey from region)',
      'custkey divisible by 3 has orders': 'select count(*) from orders where o_custkey % 3 = 0',
      'duplicate partsupp keys':
        'select count(*) from (select ps_partkey, ps_suppkey from partsupp group by all having count(*) > 1)',
      'order status disagrees with lines': `select count(*) from orders join (select l_orderkey,
          case when bool_and(l_linestatus = 'F') then 'F' when bool_and(l_linestatus = 'O') then 'O' else 'P' end as status
          from lineitem group by l_orderkey) on l_orderkey = o_orderkey where status <> o_orderstatus`,
    };
    for (const [name, sql] of Object.entries(orphans)) assert.equal(await scalar(sql), 0, name);
  });

  it('answers the 22 queries with the shapes the specification describes', async () => {
    // At SF 0.01 Q18 (orders of more than 300 units) and Q20 (few CANADA suppliers) may be empty,
    // and Q19 sums over no rows (one NULL row); every other query must return rows.
    const mayBeEmpty = new Set([18, 20]);
    for (const query of tpchQueries(sf)) {
      const result = await duckdbResult(connection, query.sql);
      if (!mayBeEmpty.has(query.number))
        assert.ok(result.rows.length > 0, `Q${query.number} returned no rows`);
    }
    assert.equal(
      (await duckdbResult(connection, tpchQueries(sf)[0]!.sql)).rows.length,
      4,
      'Q1 has four groups',
    );
    const q13 = await duckdbResult(connection, tpchQueries(sf)[12]!.sql);
    assert.equal(
      Number(q13.rows.find((row) => Number(row[0]) === 0)?.[1]),
      500,
      'Q13: the third of customers whose key is divisible by 3 have no orders',
    );
  });
});
